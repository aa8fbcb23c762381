package dev.portal.catalog.model;

import dev.portal.error.InvalidInputException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where descriptors are read from: {@code file} (a path on this machine), {@code url} (a file in a
 * git repository in any host's URL shape, see {@code GitUrl}, or a plain HTTP(S) file), or a type of
 * the application's own readers ({@code classpath}, {@code ldap-org}, {@code discovery}).
 *
 * @param type {@code file}, {@code url}, or another reader's type
 * @param target the path or URL
 * @throws dev.portal.error.InvalidInputException when the type or target holds a control character
 *     ({@link CatalogText})
 */
public record LocationSpec(String type, String target) {

    public static final String FILE = "file";
    public static final String URL = "url";

    // scheme://user:password@ at the start of a URL; user and password without '/', '@', '?' or '#'
    private static final Pattern PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@?#:]*):[^/@?#]*@");
    private static final Pattern PASSWORD_ANYWHERE = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@?#:\\s]*):[^/@?#\\s]*@");

    public LocationSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        if (target.isBlank()) {
            throw new InvalidInputException("a location target must not be empty");
        }
        // Stored, read and shown in errors: one with a control character can do none of these.
        CatalogText.require("location type", type);
        CatalogText.require("location target", target);
    }

    /**
     * Whether the target is a URL whose user info carries a password ({@code https://user:secret@host/...}).
     * Such targets are refused: a location's target is stored and shown to everyone who may read
     * locations, and credentials belong in configuration.
     */
    public boolean hasPassword() {
        return PASSWORD.matcher(target).find();
    }

    /** The target with a password in its user info replaced by {@code ***}: what may be shown or logged. */
    public String redactedTarget() {
        return redact(target);
    }

    /** {@code text} with the password of every URL in it ({@code scheme://user:password@}) replaced by {@code ***}. */
    public static String redact(String text) {
        return text == null ? null : PASSWORD_ANYWHERE.matcher(text).replaceAll("$1$2:***@");
    }

    /** {@code type:target}, the form Backstage's managed-by-location annotations use. */
    public String ref() {
        return type + ":" + target;
    }

    /** {@link #ref()} with any password in the target replaced by {@code ***}: for messages and logs. */
    @Override
    public String toString() {
        return type + ":" + redactedTarget();
    }
}
