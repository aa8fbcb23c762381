package dev.portal.ui.runs;

import dev.portal.ui.UiShell;

import java.util.List;

/**
 * A run's page: its summary (refreshed while it runs), its process diagram with the steps marked,
 * the values it was started with, and its event log, followed live.
 *
 * @param diagramHref the BPMN XML of the run's process, or {@code null} when this application has none
 * @param eventsHref the run's live event stream
 * @param lastEventId the last event drawn on the page; the stream continues after it
 */
public record RunPage(UiShell shell, RunView run, String diagramHref, List<Value> values, List<EventLine> events,
                      long lastEventId, String eventsHref) {

    /** @param multiline whether the value spans lines (shown in a block) */
    public record Value(String label, String value, boolean multiline) {
    }

    public record EventLine(long id, String time, String type, String level, String step, String message) {
    }
}
