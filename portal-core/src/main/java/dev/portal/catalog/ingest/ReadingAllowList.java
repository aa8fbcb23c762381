package dev.portal.catalog.ingest;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which plain HTTP(S) URLs the catalog may read files from ({@code portal.catalog.reading.allow}, as
 * Backstage's {@code backend.reading.allow}): nothing unless listed. Checked before every request,
 * redirects included, whoever named the URL (configuration, the API, a descriptor).
 *
 * <p>An entry names a host ({@code config.example.com}, {@code *.example.com} for its sub-domains,
 * {@code host:8080} for one port), optionally path prefixes, and whether plain {@code http} is allowed
 * (HTTPS only otherwise). A host that resolves to a loopback, private, link-local or unspecified
 * address is refused unless an entry names that host exactly, not through a wildcard: a wildcard
 * entry, or a DNS answer nobody expected, must not turn the reader against the machine's own
 * network. Paths with encoded dots or slashes are refused, since a server decodes them after the check.
 */
public final class ReadingAllowList {

    /**
     * One allowed host.
     *
     * @param host the host, {@code *.example.com} for every sub-domain of example.com, optionally {@code :port}
     * @param paths path prefixes the URL's path must start with; empty allows every path
     * @param http whether plain {@code http://} URLs are allowed too
     */
    public record Entry(String host, List<String> paths, boolean http) {

        public Entry {
            Objects.requireNonNull(host, "host");
            host = host.trim().toLowerCase(Locale.ROOT);
            paths = paths == null ? List.of() : List.copyOf(paths);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("a reading allow-list entry needs a host");
            }
        }

        boolean wildcard() {
            return host.startsWith("*.");
        }

        private String hostPart() {
            if (host.startsWith("[")) {
                return host.substring(0, host.indexOf(']') + 1);
            }
            int colon = host.indexOf(':');
            return colon < 0 ? host : host.substring(0, colon);
        }

        private Integer port() {
            String name = hostPart();
            return name.length() == host.length() ? null : Integer.valueOf(host.substring(name.length() + 1));
        }

        boolean matchesHost(String urlHost, int urlPort) {
            String name = hostPart();
            boolean hostMatches = wildcard() ? urlHost.endsWith(name.substring(1)) : urlHost.equals(name);
            Integer port = port();
            return hostMatches && (port == null || port == urlPort);
        }

        boolean matchesPath(String path) {
            return paths.isEmpty() || paths.stream().anyMatch(prefix -> path.equals(prefix)
                    || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/"));
        }
    }

    private static final ReadingAllowList NOTHING = new ReadingAllowList(List.of());

    private final List<Entry> entries;

    public ReadingAllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Allows nothing: plain HTTP files are not read. */
    public static ReadingAllowList nothing() {
        return NOTHING;
    }

    /** Why the URL may not be read, or empty if it may. Looks the host up in DNS for its addresses. */
    public Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("only http and https URLs are read, not '" + scheme + "'");
        }
        if (url.getHost() == null) {
            return Optional.of("'" + url + "' names no host");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("'" + url + "' carries user information; credentials belong in configuration");
        }
        String rawPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String lowerRaw = rawPath.toLowerCase(Locale.ROOT);
        if (lowerRaw.contains("%2e") || lowerRaw.contains("%2f") || lowerRaw.contains("%5c")) {
            return Optional.of("'" + url + "' has an encoded dot, slash or backslash in its path");
        }
        String path = URI.create(scheme + "://x" + rawPath).normalize().getPath();
        if (path.startsWith("/..")) {
            return Optional.of("'" + url + "' climbs above the root of its host");
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        if (entries.isEmpty()) {
            return Optional.of("plain HTTP reading is not allowed for any host (portal.catalog.reading.allow is empty)");
        }
        List<Entry> hostEntries = entries.stream().filter(entry -> entry.matchesHost(host, port)).toList();
        if (hostEntries.isEmpty()) {
            return Optional.of("host '" + host + (url.getPort() >= 0 ? ":" + port : "")
                    + "' is not in the reading allow-list (portal.catalog.reading.allow)");
        }
        List<Entry> pathEntries = hostEntries.stream().filter(entry -> entry.matchesPath(path)).toList();
        if (pathEntries.isEmpty()) {
            return Optional.of("path '" + path + "' on " + host + " is outside the allowed paths "
                    + hostEntries.stream().flatMap(entry -> entry.paths().stream()).toList()
                    + " (portal.catalog.reading.allow)");
        }
        if (scheme.equals("http") && pathEntries.stream().noneMatch(Entry::http)) {
            return Optional.of("'" + url + "' uses plain http; " + host + " is allowed over https only (list it"
                    + " with http: true in portal.catalog.reading.allow to allow http)");
        }
        boolean named = pathEntries.stream().anyMatch(entry -> !entry.wildcard());
        if (!named) {
            try {
                for (InetAddress address : InetAddress.getAllByName(host)) {
                    if (isInternal(address)) {
                        return Optional.of("host '" + host + "' resolves to the internal address "
                                + address.getHostAddress() + "; loopback and private addresses are read only from"
                                + " hosts the reading allow-list names exactly, not through a wildcard");
                    }
                }
            } catch (UnknownHostException e) {
                return Optional.of("host '" + host + "' is unknown");
            }
        }
        return Optional.empty();
    }

    private static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean sharedV4 = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || sharedV4;
    }
}
