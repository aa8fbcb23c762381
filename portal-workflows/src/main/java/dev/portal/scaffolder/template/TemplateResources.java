package dev.portal.scaffolder.template;

import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.model.LocationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Reads the BPMN resource a template names in {@code spec.workflow.resource}: {@code classpath:...}
 * from the host application (and the portal's {@code bpmn} module), or a path relative to the
 * template's own location, read with the catalog's location readers (file or git). A relative path
 * may not climb out of the template's folder.
 */
public final class TemplateResources {

    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private final List<LocationReader> readers;
    private final ClassLoader classLoader;

    public TemplateResources(List<LocationReader> readers, ClassLoader classLoader) {
        this.readers = List.copyOf(readers);
        this.classLoader = classLoader;
    }

    /** A resource's name (for Zeebe) and bytes. */
    public record Resource(String name, byte[] content) {
    }

    public Optional<Resource> bpmn(TemplateDefinition template) {
        if (template.bpmnResource().isEmpty()) {
            return Optional.empty();
        }
        String resource = template.bpmnResource().get();
        if (resource.startsWith("classpath:")) {
            return Optional.of(classpath(template, resource.substring("classpath:".length())));
        }
        LocationSpec base = template.sourceLocation().orElseThrow(() -> new TemplateException(template.ref()
                + ": spec.workflow.resource '" + resource + "' is relative, but the template has no "
                + "backstage.io/managed-by-location to resolve it against"));
        if (resource.startsWith("/") || resource.contains("://") || List.of(resource.split("[/\\\\]")).contains("..")) {
            throw new TemplateException(template.ref() + ": spec.workflow.resource '" + resource
                    + "' must be a path inside the template's folder (no '..', not absolute) or classpath:...");
        }
        LocationReader reader = readers.stream().filter(r -> r.type().equals(base.type())).findFirst()
                .orElseThrow(() -> new TemplateException(template.ref() + ": no reader for location type " + base.type()));
        LocationSpec location = reader.resolve(base, resource);
        byte[] content = reader.read(location, null).content();
        String name = resource.contains("/") ? resource.substring(resource.lastIndexOf('/') + 1) : resource;
        return Optional.of(new Resource(name, content));
    }

    private Resource classpath(TemplateDefinition template, String path) {
        String normalized = path.startsWith("/") ? path.substring(1) : path;
        try (InputStream in = classLoader.getResourceAsStream(normalized)) {
            if (in == null) {
                throw new TemplateException(template.ref() + ": spec.workflow.resource 'classpath:" + path
                        + "' is not on the application's classpath");
            }
            byte[] content = in.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new TemplateException(template.ref() + ": classpath:" + path + " is larger than " + MAX_BYTES + " bytes");
            }
            return new Resource(normalized.substring(normalized.lastIndexOf('/') + 1), content);
        } catch (IOException e) {
            throw new TemplateException(template.ref() + ": cannot read classpath:" + path + ": " + e.getMessage(), e);
        }
    }
}
