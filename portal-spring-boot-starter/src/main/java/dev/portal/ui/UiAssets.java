package dev.portal.ui;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The UI's static files, read once from the class path: Portal's stylesheet and script, htmx from
 * its WebJar, and bpmn-js and form-js as vendored from npm ({@code src/main/ui-vendor/refresh.sh}). Each is addressed as {@code <content hash>/<name>}, so a browser may keep it for a year
 * and still never uses an old one after an upgrade.
 */
public final class UiAssets {

    /** htmx's WebJar version; the pom's {@code htmx.version}. A test checks the file is there. */
    static final String HTMX_VERSION = "2.0.10";

    public static final String STYLESHEET = "portal.css";
    public static final String HTMX = "htmx.min.js";
    public static final String SCRIPT = "portal.js";
    public static final String BPMN_SCRIPT = "bpmn-navigated-viewer.production.min.js";
    public static final String BPMN_STYLES = "bpmn-js.css";
    public static final String DIAGRAM_STYLES = "diagram-js.css";
    public static final String FORM_SCRIPT = "form-viewer.umd.js";
    public static final String FORM_STYLES = "form-js.css";

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public UiAssets() {
        add(STYLESHEET, "META-INF/portal/ui/portal.css", MediaType.valueOf("text/css;charset=UTF-8"));
        add(HTMX, "META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
                MediaType.valueOf("text/javascript;charset=UTF-8"));
        MediaType javascript = MediaType.valueOf("text/javascript;charset=UTF-8");
        MediaType css = MediaType.valueOf("text/css;charset=UTF-8");
        add(SCRIPT, "META-INF/portal/ui/portal.js", javascript);
        add(BPMN_SCRIPT, "META-INF/portal/ui/vendor/bpmn-js/" + BPMN_SCRIPT, javascript);
        add(BPMN_STYLES, "META-INF/portal/ui/vendor/bpmn-js/" + BPMN_STYLES, css);
        add(DIAGRAM_STYLES, "META-INF/portal/ui/vendor/bpmn-js/" + DIAGRAM_STYLES, css);
        add(FORM_SCRIPT, "META-INF/portal/ui/vendor/form-js/" + FORM_SCRIPT, javascript);
        add(FORM_STYLES, "META-INF/portal/ui/vendor/form-js/" + FORM_STYLES, css);
    }

    /**
     * A static file.
     *
     * @param version the first 16 hex digits of the SHA-256 of its content
     */
    public record Asset(String name, byte[] content, MediaType contentType, String version) {

        /** {@code <version>/<name>}: the path below the assets folder. */
        public String path() {
            return version + "/" + name;
        }
    }

    public Optional<Asset> asset(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    /** The versioned path of an asset that exists. */
    public String path(String name) {
        return assets.get(name).path();
    }

    private void add(String name, String classpathLocation, MediaType contentType) {
        ClassPathResource resource = new ClassPathResource(classpathLocation, UiAssets.class.getClassLoader());
        try (InputStream in = resource.getInputStream()) {
            byte[] content = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            assets.put(name, new Asset(name, content, contentType, hash.substring(0, 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("Portal's UI cannot read its asset " + classpathLocation, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
