package dev.portal.autoconfigure.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /** A location listed in configuration. */
    public static class Location {

        /**
         * Location type: {@code file} (an absolute path) or {@code url} (a file in a git repository,
         * {@code <repository URL>/-/blob/<branch>/<path>}).
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
}
