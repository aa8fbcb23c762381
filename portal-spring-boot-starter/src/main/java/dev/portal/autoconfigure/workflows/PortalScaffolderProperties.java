package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.WorkerSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Scaffolder: where runs work, where new repositories go, and how the job workers behave.
 */
@ConfigurationProperties(prefix = "portal.scaffolder")
public class PortalScaffolderProperties {

    /** Whether to run the Scaffolder (templates, runs, actions, job workers and its REST API). */
    private boolean enabled = true;

    /**
     * Directory under which every run gets its working directory (removed when the run ends).
     * Instances that share one Zeebe cluster need it on shared storage, since steps of one run may
     * execute on different instances.
     */
    private Path workspaceRoot = Path.of(System.getProperty("java.io.tmpdir"), "portal-scaffolder");

    /**
     * Group refs (e.g. {@code group:default/platform}) whose members may run every template and
     * read, cancel and retry every run; everyone else reads their own and their teams' runs and
     * cancels and retries their own.
     */
    private List<String> adminGroups = new ArrayList<>();

    /**
     * Job types that workers outside the portal handle. A template process using a job type that
     * is neither a registered action nor listed here is refused when it is deployed.
     */
    private List<String> externalJobTypes = new ArrayList<>();

    /**
     * Interval between checks of active runs for incidents that no portal action raised (a failing
     * input mapping, an uncaught BPMN error); such a run is marked failed with Zeebe's message.
     */
    private Duration incidentCheckInterval = Duration.ofSeconds(5);

    /** How long a live event stream of a run stays open at most. */
    private Duration eventStreamTimeout = Duration.ofMinutes(30);

    /**
     * Whether live event streams hear of events other instances wrote through PostgreSQL
     * LISTEN/NOTIFY (one connection per instance, beside the pool), rather than only by polling.
     */
    private boolean eventNotifications = true;

    /**
     * Interval between looks at the database for every open event stream, whatever notifications
     * said: the safety net for notifications lost while the listener reconnected (every second
     * without event-notifications).
     */
    private Duration eventStreamPollInterval = Duration.ofSeconds(5);

    private final Git git = new Git();

    private final Worker worker = new Worker();

    private final Secrets secrets = new Secrets();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getWorkspaceRoot() {
        return workspaceRoot;
    }

    public void setWorkspaceRoot(Path workspaceRoot) {
        this.workspaceRoot = workspaceRoot;
    }

    public List<String> getAdminGroups() {
        return adminGroups;
    }

    public void setAdminGroups(List<String> adminGroups) {
        this.adminGroups = adminGroups;
    }

    public List<String> getExternalJobTypes() {
        return externalJobTypes;
    }

    public void setExternalJobTypes(List<String> externalJobTypes) {
        this.externalJobTypes = externalJobTypes;
    }

    public Duration getIncidentCheckInterval() {
        return incidentCheckInterval;
    }

    public void setIncidentCheckInterval(Duration incidentCheckInterval) {
        this.incidentCheckInterval = incidentCheckInterval;
    }

    public Duration getEventStreamTimeout() {
        return eventStreamTimeout;
    }

    public void setEventStreamTimeout(Duration eventStreamTimeout) {
        this.eventStreamTimeout = eventStreamTimeout;
    }

    public boolean isEventNotifications() {
        return eventNotifications;
    }

    public void setEventNotifications(boolean eventNotifications) {
        this.eventNotifications = eventNotifications;
    }

    public Duration getEventStreamPollInterval() {
        return eventStreamPollInterval;
    }

    public void setEventStreamPollInterval(Duration eventStreamPollInterval) {
        this.eventStreamPollInterval = eventStreamPollInterval;
    }

    public Git getGit() {
        return git;
    }

    public Worker getWorker() {
        return worker;
    }

    public Secrets getSecrets() {
        return secrets;
    }

    /** How parameter values a template marks secret are kept while a run needs them. */
    public static class Secrets {

        /**
         * AES key (base64 of 16, 24 or 32 bytes) that seals secret parameter values in the run's
         * row and in the process variables; every instance sharing the engine needs the same key.
         * When unset, a key is generated at start-up: a step that needs a secret then only runs on
         * the instance that started the run, before it restarts.
         */
        private String key;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }
    }

    /** Where {@code portal.publish-git} publishes new repositories. */
    public static class Git {

        /**
         * URL of a new repository, with a {name} (required) and an {owner} placeholder, e.g.
         * https://git.example.com/{owner}/{name}.git or file:///srv/git/{name}.git. Without it the
         * portal.publish-git action is not registered.
         */
        private String urlPattern;

        /** User name for HTTP remotes ("x-access-token" when only a password/token is set). */
        private String username;

        /** Password or access token for HTTP remotes. */
        private String password;

        /** Branch to publish to when a step names none. */
        private String defaultBranch = "main";

        /** Name of the author and committer of published commits. */
        private String authorName = "Portal Scaffolder";

        /** Email of the author and committer of published commits. */
        private String authorEmail = "scaffolder@portal.local";

        /** Whether to create the bare repository of a file: URL that does not exist yet. */
        private boolean createMissingFileRepositories = true;

        /** How long one remote git operation (list, fetch, push) may take. */
        private Duration pushTimeout = Duration.ofSeconds(60);

        public String getUrlPattern() {
            return urlPattern;
        }

        public void setUrlPattern(String urlPattern) {
            this.urlPattern = urlPattern;
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

        public String getDefaultBranch() {
            return defaultBranch;
        }

        public void setDefaultBranch(String defaultBranch) {
            this.defaultBranch = defaultBranch;
        }

        public String getAuthorName() {
            return authorName;
        }

        public void setAuthorName(String authorName) {
            this.authorName = authorName;
        }

        public String getAuthorEmail() {
            return authorEmail;
        }

        public void setAuthorEmail(String authorEmail) {
            this.authorEmail = authorEmail;
        }

        public boolean isCreateMissingFileRepositories() {
            return createMissingFileRepositories;
        }

        public void setCreateMissingFileRepositories(boolean createMissingFileRepositories) {
            this.createMissingFileRepositories = createMissingFileRepositories;
        }

        public Duration getPushTimeout() {
            return pushTimeout;
        }

        public void setPushTimeout(Duration pushTimeout) {
            this.pushTimeout = pushTimeout;
        }
    }

    /** The job workers that run actions for Zeebe. */
    public static class Worker {

        /** Worker name recorded on the jobs it activates. */
        private String name = "portal";

        /**
         * How long a job stays with a worker before Zeebe offers it to another one. While an action
         * runs, the worker extends it every third of it (a heartbeat), so this is how soon a step
         * held by an instance that died is taken over, not a limit on how long an action may take.
         */
        private Duration timeout = WorkerSettings.DEFAULT_TIMEOUT;

        /** Jobs one worker holds at a time, per action (never more than {@code threads}). */
        private int maxJobsActive = 32;

        /**
         * Actions that run at once on this instance, each on a thread of its own, apart from the
         * Camunda client's job-handler thread: a slow git host or OpenAPI generation never delays
         * another run's steps or approvals. A job arriving while all are busy is handed back to
         * Zeebe (retries untouched) for an instance with a free thread.
         */
        private int threads = WorkerSettings.DEFAULT_THREADS;

        /**
         * Job timeouts of single actions, by action id (e.g. {@code timeouts[portal.publish-git]=2m}: the id holds dots, so in brackets), instead
         * of {@code timeout}: for an action whose heartbeat may be held up (a host under heavy load).
         */
        private Map<String, Duration> timeouts = new LinkedHashMap<>();

        /**
         * How long one attempt of an action may run. Past it the worker gives the attempt up: it
         * stops the heartbeat, interrupts the action and fails the attempt as if the action had
         * thrown (a retry after {@code retry-backoff}, or an incident and a failed run when none is
         * left). What the action does after that is not the step's result. Without a limit, an
         * action stuck on a host that never answers would hold its step and one of {@code threads}
         * for ever.
         */
        private Duration maxActionTime = WorkerSettings.DEFAULT_MAX_ACTION_TIME;

        /**
         * The same limit for single actions, by action id (e.g.
         * {@code max-action-times[acme.terraform-apply]=2h}), instead of {@code max-action-time}.
         */
        private Map<String, Duration> maxActionTimes = new LinkedHashMap<>();

        /** How often a worker polls for jobs (streaming delivers most jobs at once anyway). */
        private Duration pollInterval = Duration.ofMillis(100);

        /** Wait before a failed job with retries left is offered again. */
        private Duration retryBackoff = Duration.ofSeconds(5);

        /**
         * Whether Zeebe pushes new jobs to the workers as soon as they exist (job streaming): steps
         * start within milliseconds instead of within a poll interval. Off by default: with
         * camunda-client-java 8.8.14, closing a streaming worker while the gateway is unreachable
         * can block the application's shutdown. Turn it on when the engine is reliably reachable.
         */
        private boolean streamEnabled = false;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getMaxJobsActive() {
            return maxJobsActive;
        }

        public void setMaxJobsActive(int maxJobsActive) {
            this.maxJobsActive = maxJobsActive;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public Map<String, Duration> getTimeouts() {
            return timeouts;
        }

        public void setTimeouts(Map<String, Duration> timeouts) {
            this.timeouts = timeouts;
        }

        public Duration getMaxActionTime() {
            return maxActionTime;
        }

        public void setMaxActionTime(Duration maxActionTime) {
            this.maxActionTime = maxActionTime;
        }

        public Map<String, Duration> getMaxActionTimes() {
            return maxActionTimes;
        }

        public void setMaxActionTimes(Map<String, Duration> maxActionTimes) {
            this.maxActionTimes = maxActionTimes;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getRetryBackoff() {
            return retryBackoff;
        }

        public void setRetryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
        }

        public boolean isStreamEnabled() {
            return streamEnabled;
        }

        public void setStreamEnabled(boolean streamEnabled) {
            this.streamEnabled = streamEnabled;
        }
    }
}
