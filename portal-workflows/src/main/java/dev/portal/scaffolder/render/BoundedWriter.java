package dev.portal.scaffolder.render;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;

/** Collects rendered text and fails as soon as there is more than a file may hold. */
final class BoundedWriter extends Writer {

    private final StringWriter target;
    private final long maxChars;
    private final String what;
    private long written;

    BoundedWriter(StringWriter target, long maxChars, String what) {
        this.target = target;
        this.maxChars = maxChars;
        this.what = what;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        grow(length);
        target.write(buffer, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
        grow(length);
        target.write(text, offset, length);
    }

    private void grow(int length) {
        written += length;
        if (written > maxChars) {
            throw new TemplateRenderException(what + " renders to more than " + maxChars
                    + " characters (RenderLimits.maxFileBytes)");
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
