package dev.portal.ui.catalog;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;

import java.util.List;

/**
 * An entity's page: what it is, who owns it, where it is defined, what it relates to (as lists and
 * as a graph), kind-specific sections (an API's operations, a group's members), the problems the
 * catalog found and, for entities a Scaffolder run created, where they came from.
 *
 * @param kindHref the catalog list of this kind
 * @param tags each tag, linking to the catalog list of that tag
 * @param about facts in display order (owner, system, type, lifecycle, ...)
 * @param warnings processing errors and dangling references
 * @param sections kind-specific lists: a group's members and children, a system's parts, ...
 * @param api an API's definition, or {@code null} for other kinds
 * @param provenance where a Scaffolder run created it, or {@code null}
 * @param jsonHref the entity in the REST API
 */
public record EntityDetailPage(UiShell shell, String kind, String kindHref, String title, String ref, String description,
                         boolean orphan, List<Link> tags, List<Fact> about, List<Link> links, List<Warning> warnings,
                         List<Section> sections, List<RelationGroup> relations, GraphView graph, ApiView api,
                         ProvenanceView provenance, String jsonHref) {

    /**
     * @param href a link for the value, or {@code null}
     * @param code whether the value is code-like (a path, a ref) and shown in monospace
     */
    public record Fact(String label, String value, String href, boolean code) {
    }

    public record Warning(String title, String message) {
    }

    public record Section(String title, List<RefView> items, String emptyText) {
    }

    public record RelationGroup(String label, List<RefView> targets) {
    }

    /**
     * @param operations the OpenAPI operations, empty for other definition types
     * @param problem why the definition could not be read, or {@code null}
     * @param definition the raw definition
     */
    public record ApiView(String type, List<Operation> operations, String problem, String definition) {
    }

    public record Operation(String method, String path, String summary) {
    }

    /**
     * @param visible whether the caller may see the run's details (otherwise only that it exists)
     * @param template the template's page
     * @param requester the requester's page
     */
    public record ProvenanceView(boolean visible, String runId, Link template, String templateVersion,
                                 Link requester, String status, String createdAt, List<ApprovalView> approvals) {
    }

    public record ApprovalView(Link approver, boolean approved, String comment, String decidedAt) {
    }
}
