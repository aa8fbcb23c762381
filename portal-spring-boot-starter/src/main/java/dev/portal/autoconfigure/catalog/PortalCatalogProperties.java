package dev.portal.autoconfigure.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of Portal's software catalog ({@code portal.catalog.*}).
 */
@ConfigurationProperties("portal.catalog")
public class PortalCatalogProperties {

    /**
     * Whether to set up the catalog (store, refresh, REST API).
     */
    private boolean enabled = true;

    /**
     * PostgreSQL schema holding the catalog tables; created and migrated at start-up with Portal's
     * own Flyway history table, so the host application's schema and Flyway setup are untouched.
     */
    private String schema = "portal";

    /**
     * Whether to reject entities whose refs (owner, system, dependsOn, ...) point at entities that
     * do not exist, instead of storing them with dangling relations.
     */
    private boolean strictReferences = false;

    /**
     * Locations read at start-up and kept refreshed, e.g. {@code type: file},
     * {@code target: /srv/catalog/all.yaml}. They are the application's configuration: the API
     * fences below do not apply to them, the API cannot remove them, and one removed from this list
     * leaves the catalog at the next start (its entities become orphans).
     */
    private List<Location> locations = new ArrayList<>();

    /**
     * Most locations the Location entities of one location may name together; the targets past it
     * are refused with a processing error on the location.
     */
    private int maxNestedLocations = 100;

    /**
     * Most locations one registration may lead to, itself and every location nested below it
     * counted; further nested locations are refused with a processing error.
     */
    private int maxLocationsPerRegistration = 1_000;

    /**
     * Folders under which {@code file} locations may be registered through the REST API. Empty
     * (the default) refuses every {@code file} location registered through the API.
     */
    private List<String> allowedFileRoots = new ArrayList<>();

    /**
     * Hosts whose git repositories {@code url} locations registered through the REST API may read,
     * e.g. {@code git.example.com}; {@code *.example.com} matches sub-domains. Empty (the default)
     * refuses every {@code url} location registered through the API.
     */
    private List<String> allowedHosts = new ArrayList<>();

    private final Refresh refresh = new Refresh();

    private final Parser parser = new Parser();

    private final Api api = new Api();

    private final Reading reading = new Reading();

    private final Providers providers = new Providers();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public boolean isStrictReferences() {
        return strictReferences;
    }

    public void setStrictReferences(boolean strictReferences) {
        this.strictReferences = strictReferences;
    }

    public List<Location> getLocations() {
        return locations;
    }

    public void setLocations(List<Location> locations) {
        this.locations = locations;
    }

    public int getMaxNestedLocations() {
        return maxNestedLocations;
    }

    public void setMaxNestedLocations(int maxNestedLocations) {
        this.maxNestedLocations = maxNestedLocations;
    }

    public int getMaxLocationsPerRegistration() {
        return maxLocationsPerRegistration;
    }

    public void setMaxLocationsPerRegistration(int maxLocationsPerRegistration) {
        this.maxLocationsPerRegistration = maxLocationsPerRegistration;
    }

    public List<String> getAllowedFileRoots() {
        return allowedFileRoots;
    }

    public void setAllowedFileRoots(List<String> allowedFileRoots) {
        this.allowedFileRoots = allowedFileRoots;
    }

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    public Refresh getRefresh() {
        return refresh;
    }

    public Parser getParser() {
        return parser;
    }

    public Api getApi() {
        return api;
    }

    public Reading getReading() {
        return reading;
    }

    public Providers getProviders() {
        return providers;
    }

    /** A location listed in configuration. */
    public static class Location {

        /**
         * Location type: {@code file} (an absolute path) or {@code url}: a file or folder in a git
         * repository in any shape GitHub, GitLab, Bitbucket, Gitea, Azure DevOps or Gerrit show it
         * (or {@code <repository URL>/-/blob/<branch>/<path>}), a repository URL, or a plain HTTP(S)
         * file on a host of portal.catalog.reading.allow.
         */
        private String type = "file";

        /**
         * Path or URL of the descriptor file.
         */
        private String target;

        /**
         * Whether this location (and the locations its Location entities name) may define people
         * and teams: User and Group entities, whose memberships decide who may approve what. Set it
         * to false for a location that gathers files other people write, such as every team's
         * repository. Locations registered through the API never may.
         */
        private boolean trusted = true;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getTarget() {
            return target;
        }

        public void setTarget(String target) {
            this.target = target;
        }

        public boolean isTrusted() {
            return trusted;
        }

        public void setTrusted(boolean trusted) {
            this.trusted = trusted;
        }
    }

    /** How locations are kept up to date. */
    public static class Refresh {

        /**
         * Whether to re-read locations in the background.
         */
        private boolean enabled = true;

        /**
         * Interval between two reads of the same location.
         */
        private Duration interval = Duration.ofMinutes(3);

        /**
         * Interval between two looks for locations that are due; each instance of the application
         * claims due locations with a lease (FOR UPDATE SKIP LOCKED), so several instances share
         * the work.
         */
        private Duration pollInterval = Duration.ofSeconds(5);

        /**
         * Longest time reading one location's source may take: reading a file, or each remote
         * operation of a git read. A source that takes longer is reported on its location and
         * the refresh moves on to the next.
         */
        private Duration readTimeout = Duration.ofSeconds(30);

        /**
         * How many locations one instance reads at once in the background: a slow or stuck source
         * holds up only the worker reading it.
         */
        private int workers = 4;

        /**
         * How long an instance holds a location it claimed before another may claim it; must be
         * longer than a whole read (a git read is two remote operations, each up to the read
         * timeout). An instance that dies mid-read delays that location's refresh by at most this.
         */
        private Duration claimLease = Duration.ofMinutes(5);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getReadTimeout() {
            return readTimeout;
        }

        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        public int getWorkers() {
            return workers;
        }

        public void setWorkers(int workers) {
            this.workers = workers;
        }

        public Duration getClaimLease() {
            return claimLease;
        }

        public void setClaimLease(Duration claimLease) {
            this.claimLease = claimLease;
        }
    }

    /** Limits on descriptor files, so hostile input is refused before it costs anything. */
    public static class Parser {

        /**
         * Largest descriptor file read; also the most characters of keys and values one file may
         * expand to, YAML aliases counted each time they are used.
         */
        private DataSize maxSize = DataSize.ofMegabytes(2);

        /**
         * Most YAML documents in one descriptor file.
         */
        private int maxDocuments = 10_000;

        /**
         * Most YAML aliases in one document (a "billion laughs" bomb needs many).
         */
        private int maxAliases = 20;

        /**
         * Deepest nesting of mappings and sequences.
         */
        private int maxDepth = 64;

        /**
         * Most $text, $json and $yaml substitutions one descriptor may make; what they bring in
         * counts against max-size together with the descriptor itself.
         */
        private int maxSubstitutions = 100;

        public int getMaxSubstitutions() {
            return maxSubstitutions;
        }

        public void setMaxSubstitutions(int maxSubstitutions) {
            this.maxSubstitutions = maxSubstitutions;
        }

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public int getMaxDocuments() {
            return maxDocuments;
        }

        public void setMaxDocuments(int maxDocuments) {
            this.maxDocuments = maxDocuments;
        }

        public int getMaxAliases() {
            return maxAliases;
        }

        public void setMaxAliases(int maxAliases) {
            this.maxAliases = maxAliases;
        }

        public int getMaxDepth() {
            return maxDepth;
        }

        public void setMaxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
        }
    }

    /** The Backstage-compatible catalog REST API under /api/catalog. */
    public static class Api {

        /**
         * Whether to serve the catalog REST API.
         */
        private boolean enabled = true;

        /**
         * Whether reads (GET, and the read-only POST queries) are open to anonymous callers. Writes
         * (registering and removing locations, deleting entities, refresh) always need an
         * authenticated caller and pass the authorization hook.
         */
        private boolean anonymousReads = true;

        /**
         * Largest request body accepted.
         */
        private DataSize maxRequestSize = DataSize.ofMegabytes(2);

        /**
         * Longest time one catalog read (lists, queries, facets, by-refs) may run in PostgreSQL
         * before it is cancelled and answered with 503. PostgreSQL's JIT compiler is off for these
         * reads. Reads by name and by uid are single-row look-ups and run without this guard.
         */
        private Duration statementTimeout = Duration.ofSeconds(10);

        /**
         * Most items one filter may have: every $all, $any and $not, every condition and every
         * value of a condition counts once (filter=kind=component,spec.type=service has five).
         */
        private int maxFilterItems = 200;

        /**
         * Deepest nesting of $all, $any and $not in a predicate.
         */
        private int maxFilterDepth = 10;

        /**
         * Most sort fields one read may have.
         */
        private int maxOrderFields = 10;

        /**
         * Most paths one fields= projection may list.
         */
        private int maxFields = 100;

        /**
         * Most facets one entity-facets request may ask for.
         */
        private int maxFacets = 20;

        /**
         * Longest full-text term, in characters.
         */
        private int maxFullTextLength = 200;

        /**
         * Most fields one full-text term may be looked for in.
         */
        private int maxFullTextFields = 20;

        /**
         * Most entity refs one entities/by-refs request may name.
         */
        private int maxRefs = 1000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAnonymousReads() {
            return anonymousReads;
        }

        public void setAnonymousReads(boolean anonymousReads) {
            this.anonymousReads = anonymousReads;
        }

        public DataSize getMaxRequestSize() {
            return maxRequestSize;
        }

        public void setMaxRequestSize(DataSize maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public int getMaxFilterItems() {
            return maxFilterItems;
        }

        public void setMaxFilterItems(int maxFilterItems) {
            this.maxFilterItems = maxFilterItems;
        }

        public int getMaxFilterDepth() {
            return maxFilterDepth;
        }

        public void setMaxFilterDepth(int maxFilterDepth) {
            this.maxFilterDepth = maxFilterDepth;
        }

        public int getMaxOrderFields() {
            return maxOrderFields;
        }

        public void setMaxOrderFields(int maxOrderFields) {
            this.maxOrderFields = maxOrderFields;
        }

        public int getMaxFields() {
            return maxFields;
        }

        public void setMaxFields(int maxFields) {
            this.maxFields = maxFields;
        }

        public int getMaxFacets() {
            return maxFacets;
        }

        public void setMaxFacets(int maxFacets) {
            this.maxFacets = maxFacets;
        }

        public int getMaxFullTextLength() {
            return maxFullTextLength;
        }

        public void setMaxFullTextLength(int maxFullTextLength) {
            this.maxFullTextLength = maxFullTextLength;
        }

        public int getMaxFullTextFields() {
            return maxFullTextFields;
        }

        public void setMaxFullTextFields(int maxFullTextFields) {
            this.maxFullTextFields = maxFullTextFields;
        }

        public int getMaxRefs() {
            return maxRefs;
        }

        public void setMaxRefs(int maxRefs) {
            this.maxRefs = maxRefs;
        }
    }

    /** How the catalog reads from other hosts: plain HTTP files, and credentials for git. */
    public static class Reading {

        /**
         * Hosts plain HTTP(S) descriptor files may be read from (url locations that are not in git),
         * whoever names them; nothing unless listed. Checked again on every redirect.
         */
        private List<AllowedHost> allow = new ArrayList<>();

        /**
         * Credentials for reading git repositories over HTTPS, per host (and the token for a host's
         * REST API when discovery lists an organization's repositories).
         */
        private List<HostCredentials> credentials = new ArrayList<>();

        public List<AllowedHost> getAllow() {
            return allow;
        }

        public void setAllow(List<AllowedHost> allow) {
            this.allow = allow;
        }

        public List<HostCredentials> getCredentials() {
            return credentials;
        }

        public void setCredentials(List<HostCredentials> credentials) {
            this.credentials = credentials;
        }
    }

    /** One host plain HTTP files may be read from. */
    public static class AllowedHost {

        /**
         * Host name, optionally with :port; *.example.com allows every sub-domain of example.com.
         * A host that resolves to a loopback or private address is read only when named exactly.
         */
        private String host;

        /**
         * Path prefixes the URL's path must start with; empty allows every path.
         */
        private List<String> paths = new ArrayList<>();

        /**
         * Whether plain http:// is allowed too; HTTPS only otherwise.
         */
        private boolean http = false;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public List<String> getPaths() {
            return paths;
        }

        public void setPaths(List<String> paths) {
            this.paths = paths;
        }

        public boolean isHttp() {
            return http;
        }

        public void setHttp(boolean http) {
            this.http = http;
        }
    }

    /** Credentials for one host. */
    public static class HostCredentials {

        /**
         * Host name the credentials are sent to, optionally with :port.
         */
        private String host;

        /**
         * User name git sends with the token (GitHub: x-access-token, GitLab: oauth2; others: the account).
         */
        private String username = "portal";

        /**
         * Password or access token.
         */
        private String password;

        /**
         * Whether to send them over plain http:// too (a test server on this machine); HTTPS only otherwise.
         */
        private boolean allowHttp = false;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public boolean isAllowHttp() {
            return allowHttp;
        }

        public void setAllowHttp(boolean allowHttp) {
            this.allowHttp = allowHttp;
        }
    }

    /**
     * Sources that fill the catalog on their own: each provider becomes a configured location
     * (ldap-org:&lt;id&gt;, discovery:&lt;id&gt;) read on the refresh schedule.
     */
    public static class Providers {

        /**
         * LDAP directories people and teams are read from, by id (Backstage's
         * catalog.providers.ldapOrg). A trusted source of User and Group entities.
         */
        private Map<String, LdapOrg> ldapOrg = new LinkedHashMap<>();

        /**
         * Repository discoveries, by id: every repository of a list, a URL pattern or a host
         * organization with files matching catalog-path becomes a location.
         */
        private Map<String, Discovery> discovery = new LinkedHashMap<>();

        public Map<String, LdapOrg> getLdapOrg() {
            return ldapOrg;
        }

        public void setLdapOrg(Map<String, LdapOrg> ldapOrg) {
            this.ldapOrg = ldapOrg;
        }

        public Map<String, Discovery> getDiscovery() {
            return discovery;
        }

        public void setDiscovery(Map<String, Discovery> discovery) {
            this.discovery = discovery;
        }
    }

    /** One LDAP directory. */
    public static class LdapOrg {

        /**
         * Directory URL, ldap://host:port or ldaps://host:port (verified against the JVM's trust store).
         */
        private String target;

        private final Bind bind = new Bind();

        /**
         * Where users are found; each search emits User entities.
         */
        private List<LdapSearch> users = new ArrayList<>();

        /**
         * Where groups are found; each search emits Group entities. Group members (member) and
         * memberOf values that are DNs of users or groups become memberships and parent groups.
         */
        private List<LdapSearch> groups = new ArrayList<>();

        /**
         * Longest time connecting and each search may take.
         */
        private Duration timeout = Duration.ofSeconds(30);

        public String getTarget() {
            return target;
        }

        public void setTarget(String target) {
            this.target = target;
        }

        public Bind getBind() {
            return bind;
        }

        public List<LdapSearch> getUsers() {
            return users;
        }

        public void setUsers(List<LdapSearch> users) {
            this.users = users;
        }

        public List<LdapSearch> getGroups() {
            return groups;
        }

        public void setGroups(List<LdapSearch> groups) {
            this.groups = groups;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** How to bind to a directory. */
    public static class Bind {

        /**
         * DN to bind as; empty binds anonymously.
         */
        private String dn;

        /**
         * Password of the bind DN.
         */
        private String secret;

        public String getDn() {
            return dn;
        }

        public void setDn(String dn) {
            this.dn = dn;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }
    }

    /** One search of a directory. */
    public static class LdapSearch {

        /**
         * Base DN of the search.
         */
        private String dn;

        private final LdapSearchOptions options = new LdapSearchOptions();

        /**
         * Entity field to attribute: rdn, name, description, displayName, email, picture, memberOf,
         * uuid, and for groups type and members (Backstage's defaults: uid/cn, cn, description, cn,
         * mail, -, memberOf, entryUUID, groupType, member).
         */
        private Map<String, String> map = new LinkedHashMap<>();

        /**
         * Values set on every entity of this search, by dotted path, e.g. spec.type: team.
         */
        private Map<String, Object> set = new LinkedHashMap<>();

        public String getDn() {
            return dn;
        }

        public void setDn(String dn) {
            this.dn = dn;
        }

        public LdapSearchOptions getOptions() {
            return options;
        }

        public Map<String, String> getMap() {
            return map;
        }

        public void setMap(Map<String, String> map) {
            this.map = map;
        }

        public Map<String, Object> getSet() {
            return set;
        }

        public void setSet(Map<String, Object> set) {
            this.set = set;
        }
    }

    /** Scope, filter and paging of a search. */
    public static class LdapSearchOptions {

        /**
         * How deep below the base DN: base, one or sub.
         */
        private String scope = "sub";

        /**
         * LDAP filter, e.g. (objectClass=inetOrgPerson).
         */
        private String filter = "(objectClass=*)";

        /**
         * Results per page (simple paged results); 0 asks for everything at once.
         */
        private int paged = 0;

        public String getScope() {
            return scope;
        }

        public void setScope(String scope) {
            this.scope = scope;
        }

        public String getFilter() {
            return filter;
        }

        public void setFilter(String filter) {
            this.filter = filter;
        }

        public int getPaged() {
            return paged;
        }

        public void setPaged(int paged) {
            this.paged = paged;
        }
    }

    /** One repository discovery. */
    public static class Discovery {

        /**
         * Repository URLs to look into.
         */
        private List<String> repositories = new ArrayList<>();

        /**
         * Repository URL with {name}, e.g. https://git.example.com/acme/{name}.git, for the names below.
         */
        private String urlPattern;

        /**
         * Repository names filled into url-pattern.
         */
        private List<String> names = new ArrayList<>();

        private final Organization organization = new Organization();

        /**
         * Glob of the descriptor files in each repository, e.g. catalog-info.yaml or
         * **&#47;catalog-info.yaml; ** spans folders.
         */
        private String catalogPath = "catalog-info.yaml";

        /**
         * Whether the discovered repositories may define people and teams; they are files other
         * people write, so not unless set.
         */
        private boolean trusted = false;

        public List<String> getRepositories() {
            return repositories;
        }

        public void setRepositories(List<String> repositories) {
            this.repositories = repositories;
        }

        public String getUrlPattern() {
            return urlPattern;
        }

        public void setUrlPattern(String urlPattern) {
            this.urlPattern = urlPattern;
        }

        public List<String> getNames() {
            return names;
        }

        public void setNames(List<String> names) {
            this.names = names;
        }

        public Organization getOrganization() {
            return organization;
        }

        public String getCatalogPath() {
            return catalogPath;
        }

        public void setCatalogPath(String catalogPath) {
            this.catalogPath = catalogPath;
        }

        public boolean isTrusted() {
            return trusted;
        }

        public void setTrusted(boolean trusted) {
            this.trusted = trusted;
        }
    }

    /** A host organization whose repositories are listed through the host's REST API. */
    public static class Organization {

        /**
         * Host kind: github, gitlab or gitea (Forgejo too).
         */
        private String type;

        /**
         * Web URL of the host, e.g. https://github.com or https://gitea.example.com.
         */
        private String url;

        /**
         * API base URL when it is not the default for the host kind (https://api.github.com for
         * github.com, <url>/api/v3 for GitHub Enterprise, <url>/api/v4 for GitLab, <url>/api/v1 for Gitea).
         */
        private String apiUrl;

        /**
         * Organization (GitHub, Gitea) or group path (GitLab, sub-groups included).
         */
        private String name;

        /**
         * Whether archived repositories are left out.
         */
        private boolean skipArchived = true;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getApiUrl() {
            return apiUrl;
        }

        public void setApiUrl(String apiUrl) {
            this.apiUrl = apiUrl;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public boolean isSkipArchived() {
            return skipArchived;
        }

        public void setSkipArchived(boolean skipArchived) {
            this.skipArchived = skipArchived;
        }
    }
}
