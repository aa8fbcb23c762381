package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/**
 * A run about to start: recorded before its process instance is created, so that no job of the
 * instance can arrive for a run the store does not know.
 */
public record NewRun(UUID id, String templateRef, String templateEtag, ObjectNode templateDocument,
                     String processId, ObjectNode values, String requester) {
}
