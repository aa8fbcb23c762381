package dev.portal.scaffolder.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Runs and templates as the renderer's tests need them. */
public final class Runs {

    public static final UUID RUN_ID = UUID.fromString("5f0c1a8e-8f9d-4d6b-9a57-3c1f2b9e7a10");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {
    }

    public static TemplateDefinition template(String skeleton, LocationSpec source) {
        return new TemplateDefinition(EntityRef.parse("template:default/service"), "Service", "", List.of(), "group:default/platform",
                "etag-1", List.of(), "create-service", Optional.empty(), Optional.ofNullable(skeleton), Optional.ofNullable(source));
    }

    public static TemplateDefinition fileTemplate(String skeleton, java.nio.file.Path templateFile) {
        return template(skeleton, templateFile == null ? null : new LocationSpec(LocationSpec.FILE, templateFile.toString()));
    }

    public static RunInfo run(TemplateDefinition template, ObjectNode values) {
        return new RunInfo(RUN_ID, template, "etag-1@3", values, "user:default/alice");
    }

    public static ObjectNode json(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
