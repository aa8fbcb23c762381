package dev.portal.scaffolder.render;

import java.time.Duration;

/**
 * How much a skeleton may make the renderer do. Skeletons are written by other people and their
 * values come from users, so every dimension a template could blow up has a bound; crossing one
 * fails the render with a message naming the limit rather than truncating the output.
 *
 * @param maxFiles              the most files a skeleton may have (and a render may write)
 * @param maxFileBytes          the largest file a skeleton may have and a template may render; also
 *                              the longest string a template may build
 * @param maxTotalBytes         the most bytes a skeleton may have, and a render may write, in all
 * @param maxLoopIterations     the most times one {@code #foreach} may run its body
 * @param maxIterationsPerFile  the most {@code #foreach} bodies one file may run in all, nested loops included
 * @param maxRenderTimePerFile  how long rendering one file (or one path) may take
 */
public record RenderLimits(int maxFiles, long maxFileBytes, long maxTotalBytes, int maxLoopIterations,
                           long maxIterationsPerFile, Duration maxRenderTimePerFile) {

    private static final long MIB = 1024 * 1024;

    public RenderLimits {
        if (maxFiles < 1 || maxFileBytes < 1 || maxTotalBytes < 1 || maxLoopIterations < 1 || maxIterationsPerFile < 1) {
            throw new IllegalArgumentException("render limits must be positive: " + maxFiles + " files, "
                    + maxFileBytes + " bytes per file, " + maxTotalBytes + " bytes in all, " + maxLoopIterations
                    + " loop iterations, " + maxIterationsPerFile + " iterations per file");
        }
        if (maxFileBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxFileBytes must fit in a Java string: " + maxFileBytes);
        }
        if (maxRenderTimePerFile.isNegative() || maxRenderTimePerFile.isZero()) {
            throw new IllegalArgumentException("maxRenderTimePerFile must be positive: " + maxRenderTimePerFile);
        }
    }

    /** 2,000 files, 1 MiB per file, 50 MiB in all, 10,000 iterations per loop, 1,000,000 per file, 10 s per file. */
    public static RenderLimits defaults() {
        return new RenderLimits(2_000, MIB, 50 * MIB, 10_000, 1_000_000, Duration.ofSeconds(10));
    }

    /** These limits with a different file count. */
    public RenderLimits withMaxFiles(int files) {
        return new RenderLimits(files, maxFileBytes, maxTotalBytes, maxLoopIterations, maxIterationsPerFile, maxRenderTimePerFile);
    }

    /** These limits with a different loop bound. */
    public RenderLimits withMaxLoopIterations(int iterations) {
        return new RenderLimits(maxFiles, maxFileBytes, maxTotalBytes, iterations, maxIterationsPerFile, maxRenderTimePerFile);
    }

    /** These limits with different size bounds: per file and in all. */
    public RenderLimits withMaxBytes(long perFile, long total) {
        return new RenderLimits(maxFiles, perFile, total, maxLoopIterations, maxIterationsPerFile, maxRenderTimePerFile);
    }
}
