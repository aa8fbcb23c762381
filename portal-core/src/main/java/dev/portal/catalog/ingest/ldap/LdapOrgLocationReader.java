package dev.portal.catalog.ingest.ldap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import dev.portal.catalog.ingest.LocationReadException;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.model.LocationSpec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.SocketFactory;

/**
 * People and teams from an LDAP directory, as Backstage's LDAP org provider emits them: reads the
 * {@code ldap-org} location {@code ldap-org:<id>} by searching the directory the settings of that id
 * describe, and hands the catalog one User entity per user entry and one Group entity per group entry,
 * as a descriptor of documents. Membership comes from the directory: a group's {@code member} values
 * and a user's {@code memberOf} values (DNs) make the user's {@code spec.memberOf}; a group that is a
 * member of another group is its child ({@code spec.parent}, {@code spec.children}). Every entity carries
 * Backstage's annotations {@code backstage.io/ldap-dn}, {@code backstage.io/ldap-rdn} and
 * {@code backstage.io/ldap-uuid}.
 *
 * <p>Being a location, the directory is read on the catalog's refresh schedule with everything a
 * location has: a user who leaves the directory becomes an orphan (and so counts for no group), a
 * problem with one entry is a processing error on the location and not a failed refresh, and an
 * unchanged directory (same emitted entities) is not processed again. Only the application's
 * configuration may name such a location ({@link #configurationOnly()}), so the directory is a
 * trusted source of people and teams. Its output counts as one descriptor for the parser's limits.
 */
public final class LdapOrgLocationReader implements LocationReader {

    /** The location type. */
    public static final String TYPE = "ldap-org";

    /** Backstage's annotations. */
    public static final String DN_ANNOTATION = "backstage.io/ldap-dn";
    public static final String RDN_ANNOTATION = "backstage.io/ldap-rdn";
    public static final String UUID_ANNOTATION = "backstage.io/ldap-uuid";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, LdapOrgSettings> providers;
    private final int maxBytes;
    private final int maxEntries;

    /**
     * @param providers the directories, by id
     * @param maxBytes the most bytes the emitted descriptor may have (the parser's limit)
     * @param maxEntries the most entries one read handles (the parser's document limit)
     */
    public LdapOrgLocationReader(List<LdapOrgSettings> providers, int maxBytes, int maxEntries) {
        this.providers = providers.stream().collect(Collectors.toMap(LdapOrgSettings::id, Function.identity(),
                (a, b) -> {
                    throw new IllegalArgumentException("two LDAP org providers with the id " + a.id());
                }, LinkedHashMap::new));
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /** The location that reads a provider. */
    public static LocationSpec location(String id) {
        return new LocationSpec(TYPE, id);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean configurationOnly() {
        return true;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        LdapOrgSettings settings = providers.get(location.target());
        if (settings == null) {
            throw new LocationReadException(location, "no LDAP org provider '" + location.target()
                    + "' is configured (portal.catalog.providers.ldap-org)");
        }
        byte[] content;
        try (LDAPConnection connection = connect(location, settings)) {
            List<SearchResultEntry> users = search(location, connection, settings.users(), LdapOrgSettings.userDefaults());
            List<SearchResultEntry> groups = search(location, connection, settings.groups(), LdapOrgSettings.groupDefaults());
            content = emit(location, settings, users, groups);
        }
        String version = sha256(content);
        return version.equals(knownVersion) ? SourceContent.unchanged(version) : new SourceContent(version, content);
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        throw new LocationReadException(base, "an LDAP org provider names no other locations");
    }

    private LDAPConnection connect(LocationSpec location, LdapOrgSettings settings) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) settings.timeout().toMillis());
        options.setResponseTimeoutMillis(settings.timeout().toMillis());
        options.setAbandonOnTimeout(true);
        LDAPConnection connection = null;
        try {
            LDAPURL url = new LDAPURL(settings.target());
            SocketFactory sockets = url.getScheme().equalsIgnoreCase("ldaps")
                    ? new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLSocketFactory()
                    : SocketFactory.getDefault();
            connection = new LDAPConnection(sockets, options, url.getHost(), url.getPort());
            if (settings.bindDn() != null && !settings.bindDn().isBlank()) {
                connection.bind(settings.bindDn(), settings.bindSecret() == null ? "" : settings.bindSecret());
            }
            return connection;
        } catch (LDAPException e) {
            if (connection != null) {
                connection.close();
            }
            boolean bind = connection != null;
            throw new LocationReadException(location, (bind ? "binding as " + settings.bindDn() + " to "
                    : "cannot reach ") + settings.target() + (bind ? " failed" : "") + ": " + describe(e));
        } catch (GeneralSecurityException e) {
            throw new LocationReadException(location, "cannot set up TLS for " + settings.target() + ": " + e.getMessage());
        }
    }

    private List<SearchResultEntry> search(LocationSpec location, LDAPConnection connection,
                                           List<LdapOrgSettings.Search> searches, Map<String, String> defaults) {
        List<SearchResultEntry> entries = new ArrayList<>();
        for (LdapOrgSettings.Search search : searches) {
            try {
                SearchRequest request = new SearchRequest(search.dn(), scope(search.scope()),
                        Filter.create(search.filter()), "*", "+");
                ASN1OctetString cookie = null;
                do {
                    if (search.pageSize() > 0) {
                        request.setControls(new SimplePagedResultsControl(search.pageSize(), cookie));
                    }
                    SearchResult result = connection.search(request);
                    entries.addAll(result.getSearchEntries());
                    if (entries.size() > maxEntries) {
                        throw new LocationReadException(location, "the directory answers with more than " + maxEntries
                                + " users and groups, the most documents one descriptor may have"
                                + " (portal.catalog.parser.max-documents)");
                    }
                    SimplePagedResultsControl paged = search.pageSize() > 0 ? SimplePagedResultsControl.get(result) : null;
                    cookie = paged != null && paged.moreResultsToReturn() ? paged.getCookie() : null;
                } while (cookie != null);
            } catch (LDAPException e) {
                throw new LocationReadException(location, "searching " + search.dn() + " with " + search.filter()
                        + " failed: " + describe(e));
            }
        }
        return entries;
    }

    private byte[] emit(LocationSpec location, LdapOrgSettings settings, List<SearchResultEntry> userEntries,
                        List<SearchResultEntry> groupEntries) {
        // DN (normalised) -> the entity made from it; sorted output, so the same directory gives the same bytes
        Map<String, Made> users = new LinkedHashMap<>();
        Map<String, Made> groups = new LinkedHashMap<>();
        for (SearchResultEntry entry : userEntries) {
            made(location, settings, entry, "User", true).ifPresent(m -> users.putIfAbsent(m.dn, m));
        }
        for (SearchResultEntry entry : groupEntries) {
            made(location, settings, entry, "Group", false).ifPresent(m -> groups.putIfAbsent(m.dn, m));
        }
        Map<String, Set<String>> memberOf = new TreeMap<>();
        Map<String, Set<String>> parents = new TreeMap<>();
        for (Made group : groups.values()) {
            for (String member : group.dns("members")) {
                if (users.containsKey(member)) {
                    memberOf.computeIfAbsent(member, k -> new LinkedHashSet<>()).add(group.dn);
                } else if (groups.containsKey(member) && !member.equals(group.dn)) {
                    parents.computeIfAbsent(member, k -> new LinkedHashSet<>()).add(group.dn);
                }
            }
            for (String parent : group.dns("memberOf")) {
                if (groups.containsKey(parent) && !parent.equals(group.dn)) {
                    parents.computeIfAbsent(group.dn, k -> new LinkedHashSet<>()).add(parent);
                }
            }
        }
        for (Made user : users.values()) {
            for (String group : user.dns("memberOf")) {
                if (groups.containsKey(group)) {
                    memberOf.computeIfAbsent(user.dn, k -> new LinkedHashSet<>()).add(group);
                }
            }
        }
        for (Made user : users.values()) {
            ArrayNode list = ((ObjectNode) user.entity.get("spec")).putArray("memberOf");
            memberOf.getOrDefault(user.dn, Set.of()).stream().map(dn -> groups.get(dn).name).sorted().distinct()
                    .forEach(list::add);
        }
        Map<String, Set<String>> children = new TreeMap<>();
        for (Made group : groups.values()) {
            ObjectNode spec = (ObjectNode) group.entity.get("spec");
            List<String> parentNames = parents.getOrDefault(group.dn, Set.of()).stream()
                    .map(dn -> groups.get(dn).name).sorted().distinct().toList();
            // A Group has one parent in Backstage's model; the first by name, the others see it as a child all the same.
            if (!parentNames.isEmpty()) {
                spec.put("parent", parentNames.getFirst());
            }
            parents.getOrDefault(group.dn, Set.of()).forEach(parent ->
                    children.computeIfAbsent(parent, k -> new java.util.TreeSet<>()).add(group.name));
        }
        for (Made group : groups.values()) {
            ArrayNode list = ((ObjectNode) group.entity.get("spec")).putArray("children");
            children.getOrDefault(group.dn, Set.of()).forEach(list::add);
        }
        List<Made> all = new ArrayList<>(groups.values());
        all.addAll(users.values());
        all.sort(java.util.Comparator.comparing((Made m) -> m.kind).thenComparing(m -> m.name).thenComparing(m -> m.dn));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Made made : all) {
            for (var set : made.search.set().entrySet()) {
                put(made.entity, set.getKey(), set.getValue());
            }
            byte[] document;
            try {
                document = JSON.writeValueAsBytes(made.entity);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of strings always serialises", e);
            }
            // JSON is YAML: one document per entity
            out.writeBytes("---\n".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(document);
            out.write('\n');
            if (out.size() > maxBytes) {
                throw new LocationReadException(location, "the directory's users and groups come to more than "
                        + maxBytes + " bytes, the limit for one descriptor (portal.catalog.parser.max-size)");
            }
        }
        return out.toByteArray();
    }

    /** An entity made from one entry, with what membership resolution needs. */
    private static final class Made {
        final String kind;
        final String dn;
        final String name;
        final ObjectNode entity;
        final SearchResultEntry entry;
        final LdapOrgSettings.Search search;
        final Map<String, String> defaults;

        Made(String kind, String dn, String name, ObjectNode entity, SearchResultEntry entry,
             LdapOrgSettings.Search search, Map<String, String> defaults) {
            this.kind = kind;
            this.dn = dn;
            this.name = name;
            this.entity = entity;
            this.entry = entry;
            this.search = search;
            this.defaults = defaults;
        }

        /** The normalised DNs in the attribute mapped to {@code field}. */
        List<String> dns(String field) {
            String attribute = search.attribute(field, defaults);
            if (attribute == null || !entry.hasAttribute(attribute)) {
                return List.of();
            }
            List<String> dns = new ArrayList<>();
            for (String value : entry.getAttributeValues(attribute)) {
                normalized(value).ifPresent(dns::add);
            }
            return dns;
        }
    }

    private java.util.Optional<Made> made(LocationSpec location, LdapOrgSettings settings, SearchResultEntry entry,
                                          String kind, boolean user) {
        // An entry is matched to the search whose base it lies under; a search of several bases keeps the first.
        LdapOrgSettings.Search search = (user ? settings.users() : settings.groups()).stream()
                .filter(s -> isUnder(entry.getDN(), s.dn())).findFirst()
                .orElse((user ? settings.users() : settings.groups()).getFirst());
        Map<String, String> defaults = user ? LdapOrgSettings.userDefaults() : LdapOrgSettings.groupDefaults();
        String name = value(entry, search.attribute("name", defaults));
        java.util.Optional<String> dn = normalized(entry.getDN());
        if (name == null || dn.isEmpty()) {
            // an entry without a name cannot become an entity; the others are still read
            return java.util.Optional.empty();
        }
        ObjectNode entity = JsonNodeFactory.instance.objectNode();
        entity.put("apiVersion", "backstage.io/v1alpha1");
        entity.put("kind", kind);
        ObjectNode metadata = entity.putObject("metadata");
        metadata.put("name", name);
        putIfPresent(metadata, "description", value(entry, search.attribute("description", defaults)));
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put(DN_ANNOTATION, entry.getDN());
        putIfPresent(annotations, RDN_ANNOTATION, value(entry, search.attribute("rdn", defaults)));
        putIfPresent(annotations, UUID_ANNOTATION, value(entry, search.attribute("uuid", defaults)));
        ObjectNode spec = entity.putObject("spec");
        if (!user) {
            String type = value(entry, search.attribute("type", defaults));
            spec.put("type", type == null ? "team" : type);
        }
        ObjectNode profile = spec.putObject("profile");
        putIfPresent(profile, "displayName", value(entry, search.attribute("displayName", defaults)));
        putIfPresent(profile, "email", value(entry, search.attribute("email", defaults)));
        putIfPresent(profile, "picture", value(entry, search.attribute("picture", defaults)));
        return java.util.Optional.of(new Made(kind, dn.get(), name, entity, entry, search, defaults));
    }

    private static boolean isUnder(String dn, String base) {
        try {
            DN entry = new DN(dn);
            DN root = new DN(base);
            return entry.equals(root) || entry.isDescendantOf(root, false);
        } catch (LDAPException e) {
            return false;
        }
    }

    private static java.util.Optional<String> normalized(String dn) {
        try {
            return java.util.Optional.of(new DN(dn).toNormalizedString());
        } catch (LDAPException e) {
            return java.util.Optional.empty();
        }
    }

    private static String value(SearchResultEntry entry, String attribute) {
        if (attribute == null) {
            return null;
        }
        String value = entry.getAttributeValue(attribute);
        return value == null || value.isBlank() ? null : value;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** Puts {@code value} at a dotted path ({@code metadata.labels.team}), making the mappings on the way. */
    private static void put(ObjectNode entity, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = entity;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.get(parts[i]);
            node = next instanceof ObjectNode object ? object : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value.deepCopy());
    }

    private static SearchScope scope(LdapOrgSettings.Scope scope) {
        return switch (scope) {
            case BASE -> SearchScope.BASE;
            case ONE -> SearchScope.ONE;
            case SUB -> SearchScope.SUB;
        };
    }

    /** The result code and the server's message; never the bind secret, which LDAP never echoes. */
    private static String describe(LDAPException e) {
        String diagnostic = e.getDiagnosticMessage();
        return e.getResultCode().getName() + (diagnostic == null || diagnostic.isBlank() ? "" : " (" + diagnostic + ")");
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
