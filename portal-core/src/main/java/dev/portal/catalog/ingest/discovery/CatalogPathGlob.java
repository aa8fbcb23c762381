package dev.portal.catalog.ingest.discovery;

import java.util.regex.Pattern;

/**
 * A glob over paths inside a repository: {@code *} within one folder name, {@code ?} one character,
 * {@code **}{@code /} any number of folders (none included), so {@code **}{@code /catalog-info.yaml}
 * also matches the one at the root. A leading {@code /} is ignored.
 */
public final class CatalogPathGlob {

    private final String glob;
    private final Pattern pattern;

    public CatalogPathGlob(String glob) {
        this.glob = glob;
        String text = glob.replaceAll("^/+", "");
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' && text.startsWith("**/", i)) {
                regex.append("(?:[^/]+/)*");
                i += 2;
            } else if (c == '*' && text.startsWith("**", i)) {
                regex.append(".*");
                i += 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.pattern = Pattern.compile(regex.toString());
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
