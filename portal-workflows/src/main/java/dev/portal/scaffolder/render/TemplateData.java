package dev.portal.scaffolder.render;

/**
 * A record whose components templates may read, as {@code $run.id} or {@code $run.id()}. Nothing
 * else of the record is reachable from a template: values put into a template's context are either
 * plain data (strings, numbers, booleans, lists, maps) or records marked with this interface.
 */
public interface TemplateData {
}
