package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.NotAllowedException;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.template.TemplateDefinition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The {@link Scaffolder} as the REST API may use it: each call asks the
 * {@link ScaffolderPermissionPolicy} about the current caller first, then about the template or
 * run it concerns; lists hold only what the caller may see; runs are started in the caller's
 * name. 401 for an anonymous caller, 403 for an authenticated one. The REST API, the event streams
 * and the web UI all go through this class.
 */
public class AuthorizedScaffolder {

    private final Scaffolder scaffolder;
    private final ScaffolderPermissionPolicy policy;
    private final PortalIdentityResolver identity;

    public AuthorizedScaffolder(Scaffolder scaffolder, ScaffolderPermissionPolicy policy, PortalIdentityResolver identity) {
        this.scaffolder = scaffolder;
        this.policy = policy;
        this.identity = identity;
    }

    /** The templates the caller may see: those the policy allows one by one. */
    public List<TemplateDefinition> templates() {
        PortalCaller caller = authorize(ScaffolderPermission.TEMPLATE_READ, null);
        return scaffolder.templates().stream()
                .filter(template -> policy.isAllowedOnTemplate(caller, ScaffolderPermission.TEMPLATE_READ, template))
                .toList();
    }

    /** Templates whose BPMN the last check found broken ({@link Scaffolder#templateProblems}), of those the caller sees. */
    public java.util.Map<String, String> templateProblems() {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        Set<String> visible = templates().stream().map(template -> template.ref().canonical()).collect(Collectors.toSet());
        return scaffolder.templateProblems().entrySet().stream().filter(problem -> visible.contains(problem.getKey()))
                .collect(Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue));
    }

    public TemplateDefinition template(EntityRef ref) {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        TemplateDefinition template = scaffolder.template(ref);
        authorizeTemplate(ScaffolderPermission.TEMPLATE_READ, template);
        return template;
    }

    public ActionRegistry actions() {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        return scaffolder.actions();
    }

    public Run start(EntityRef template, JsonNode values) {
        PortalCaller caller = authorize(ScaffolderPermission.TASK_CREATE, null);
        authorizeTemplate(ScaffolderPermission.TASK_CREATE, scaffolder.template(template));
        return scaffolder.start(template, values, caller.toString());
    }

    public Scaffolder.DryRunResult dryRun(EntityRef template, JsonNode values) {
        PortalCaller caller = authorize(ScaffolderPermission.TASK_CREATE, null);
        authorizeTemplate(ScaffolderPermission.TASK_CREATE, scaffolder.template(template));
        return scaffolder.dryRun(template, values, caller.toString());
    }

    /** The run, if the caller may read it. */
    public Run run(UUID id) {
        return readable(id);
    }

    /** The BPMN XML of {@code id}'s process, for who may read the run ({@link Scaffolder#processXml}). */
    public Optional<String> processXml(UUID id) {
        readable(id);
        return scaffolder.processXml(id);
    }

    /**
     * The runs the caller may read, {@code limit} of them after skipping {@code offset} readable
     * ones: the policy decides run by run, so pages are counted in readable runs.
     */
    public List<Run> runs(Collection<RunStatus> statuses, Optional<String> requester, int limit, int offset) {
        PortalCaller caller = authorize(ScaffolderPermission.TASK_READ, null);
        List<Run> visible = new ArrayList<>();
        int skipped = 0;
        int batchSize = Math.max(limit, 100);
        for (int from = 0; visible.size() < limit; from += batchSize) {
            List<Run> batch = scaffolder.runs(statuses, requester, batchSize, from);
            for (Run run : batch) {
                if (visible.size() == limit || !policy.isAllowed(caller, ScaffolderPermission.TASK_READ, run)) {
                    continue;
                }
                if (skipped < offset) {
                    skipped++;
                } else {
                    visible.add(run);
                }
            }
            if (batch.size() < batchSize) {
                break;
            }
        }
        return visible;
    }

    public List<RunEvent> events(UUID id, long after, int limit) {
        readable(id);
        return scaffolder.events(id, after, limit);
    }

    /** Checks that the caller may read {@code id}'s events (for the live stream), and that it exists. */
    public Run streamable(UUID id) {
        return readable(id);
    }

    public Run cancel(UUID id) {
        Run run = readable(id);
        PortalCaller caller = authorize(ScaffolderPermission.TASK_CANCEL, run);
        return scaffolder.cancel(id, caller.toString());
    }

    public Run retry(UUID id) {
        Run run = readable(id);
        PortalCaller caller = authorize(ScaffolderPermission.TASK_RETRY, run);
        return scaffolder.retry(id, caller.toString());
    }

    /** Which run created the entity, if the caller may read that run (403 if not). */
    public Optional<Run> createdBy(Entity entity) {
        checkMayReadRuns();
        Optional<Run> run = scaffolder.createdBy(entity);
        run.ifPresent(found -> authorize(ScaffolderPermission.TASK_READ, found));
        return run;
    }

    /**
     * Refuses (401/403) a caller who may read no run at all: before anything about a run is looked
     * up, so that what is refused does not depend on whether it exists.
     */
    public void checkMayReadRuns() {
        authorize(ScaffolderPermission.TASK_READ, null);
    }

    private Run readable(UUID id) {
        authorize(ScaffolderPermission.TASK_READ, null);
        Run run = scaffolder.run(id);
        authorize(ScaffolderPermission.TASK_READ, run);
        return run;
    }

    private void authorizeTemplate(ScaffolderPermission permission, TemplateDefinition template) {
        PortalCaller caller = identity.currentCaller();
        if (policy.isAllowedOnTemplate(caller, permission, template)) {
            return;
        }
        String what = (permission == ScaffolderPermission.TASK_CREATE ? "run " : "see ") + template.ref().canonical();
        throw caller.isAuthenticated() ? new NotAllowedException(caller + " may not " + what
                + " (the template names who may in " + ScaffolderPermissionPolicy.ALLOWED_GROUPS_ANNOTATION + ")")
                : new AuthenticationRequiredException("authentication is required to " + what);
    }

    private PortalCaller authorize(ScaffolderPermission permission, Run run) {
        PortalCaller caller = identity.currentCaller();
        if (policy.isAllowed(caller, permission, run)) {
            return caller;
        }
        String what = permission.name().toLowerCase(Locale.ROOT).replace('_', '.') + (run == null ? "" : " on run " + run.id());
        String who = run == null ? "" : permission == ScaffolderPermission.TASK_READ
                ? " (its requester " + run.requester() + ", their teams, its approvers and Scaffolder admins may)"
                : " (only its requester " + run.requester() + " and Scaffolder admins may)";
        throw caller.isAuthenticated() ? new NotAllowedException(caller + " may not " + what + who)
                : new AuthenticationRequiredException("authentication is required for " + what);
    }
}
