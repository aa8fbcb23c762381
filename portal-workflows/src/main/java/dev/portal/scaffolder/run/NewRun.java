package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.UUID;

/**
 * A run about to start: recorded before its process instance is created, so that no job of the
 * instance can arrive for a run the store does not know.
 *
 * @param processXmlSha256 the deployed XML its instance will run ({@code ProcessStore}), when the
 *                         portal deployed it for this start
 */
public record NewRun(UUID id, String templateRef, String templateEtag, ObjectNode templateDocument,
                     String processId, ObjectNode values, String requester, Optional<String> processXmlSha256) {

    public NewRun(UUID id, String templateRef, String templateEtag, ObjectNode templateDocument, String processId,
                  ObjectNode values, String requester) {
        this(id, templateRef, templateEtag, templateDocument, processId, values, requester, Optional.empty());
    }
}
