package dev.portal.scaffolder.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.template.TemplateDefinition;

import java.util.UUID;

/**
 * The run an action works for, as far as actions need it.
 *
 * @param id              the run id
 * @param template        the template the run was started from
 * @param templateVersion the template's version at start: its entity etag and the BPMN version, as
 *                        {@code etag@bpmnVersion}; stamped on everything the run creates
 * @param values          the parameter values, validated against the template's schema
 * @param requester       the entity ref of the user who started the run, e.g. {@code user:default/alice}
 */
public record RunInfo(UUID id, TemplateDefinition template, String templateVersion, ObjectNode values,
                      String requester) {
}
