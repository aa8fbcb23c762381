package dev.portal.scaffolder.run;

/**
 * The process instance a job or a start belongs to, as the engine reports it.
 *
 * @param processId            the BPMN process id of the instance (a called process has its own)
 * @param processDefinitionKey the definition it runs
 * @param processInstanceKey   the instance: unique within one engine cluster only
 * @param version              the definition's version
 */
public record ProcessInstanceRef(String processId, long processDefinitionKey, long processInstanceKey, int version) {
}
