package dev.portal.scaffolder.render;

import java.nio.file.Path;

/**
 * What a render wrote.
 *
 * @param target     the folder the skeleton was rendered into
 * @param targetPath that folder relative to the workspace, with {@code /} separators; {@code .} for the workspace itself
 * @param files      how many files it holds
 * @param bytes      how many bytes they hold in all
 */
public record RenderedSkeleton(Path target, String targetPath, int files, long bytes) {
}
