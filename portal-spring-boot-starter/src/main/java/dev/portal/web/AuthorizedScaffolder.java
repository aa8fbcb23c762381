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

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link Scaffolder} as the REST API may use it: each call asks the
 * {@link ScaffolderPermissionPolicy} about the current caller first, and runs are started in the
 * caller's name. 401 for an anonymous caller, 403 for an authenticated one.
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

    public List<TemplateDefinition> templates() {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        return scaffolder.templates();
    }

    /** Templates whose BPMN the last check found broken ({@link Scaffolder#templateProblems}). */
    public java.util.Map<String, String> templateProblems() {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        return scaffolder.templateProblems();
    }

    public TemplateDefinition template(EntityRef ref) {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        return scaffolder.template(ref);
    }

    public ActionRegistry actions() {
        authorize(ScaffolderPermission.TEMPLATE_READ, null);
        return scaffolder.actions();
    }

    public Run start(EntityRef template, JsonNode values) {
        PortalCaller caller = authorize(ScaffolderPermission.TASK_CREATE, null);
        return scaffolder.start(template, values, caller.toString());
    }

    public Scaffolder.DryRunResult dryRun(EntityRef template, JsonNode values) {
        PortalCaller caller = authorize(ScaffolderPermission.TASK_CREATE, null);
        return scaffolder.dryRun(template, values, caller.toString());
    }

    public Run run(UUID id) {
        authorize(ScaffolderPermission.TASK_READ, null);
        return scaffolder.run(id);
    }

    /** The BPMN XML of {@code id}'s process, for who may read the run ({@link Scaffolder#processXml}). */
    public Optional<String> processXml(UUID id) {
        authorize(ScaffolderPermission.TASK_READ, null);
        return scaffolder.processXml(id);
    }

    public List<Run> runs(Collection<RunStatus> statuses, Optional<String> requester, int limit, int offset) {
        authorize(ScaffolderPermission.TASK_READ, null);
        return scaffolder.runs(statuses, requester, limit, offset);
    }

    public List<RunEvent> events(UUID id, long after, int limit) {
        authorize(ScaffolderPermission.TASK_READ, null);
        return scaffolder.events(id, after, limit);
    }

    /** Checks that the caller may read {@code id}'s events (for the live stream), and that it exists. */
    public Run streamable(UUID id) {
        authorize(ScaffolderPermission.TASK_READ, null);
        return scaffolder.run(id);
    }

    public Run cancel(UUID id) {
        authorize(ScaffolderPermission.TASK_READ, null);
        Run run = scaffolder.run(id);
        PortalCaller caller = authorize(ScaffolderPermission.TASK_CANCEL, run);
        return scaffolder.cancel(id, caller.toString());
    }

    public Run retry(UUID id) {
        authorize(ScaffolderPermission.TASK_READ, null);
        Run run = scaffolder.run(id);
        PortalCaller caller = authorize(ScaffolderPermission.TASK_RETRY, run);
        return scaffolder.retry(id, caller.toString());
    }

    public Optional<Run> createdBy(Entity entity) {
        authorize(ScaffolderPermission.TASK_READ, null);
        return scaffolder.createdBy(entity);
    }

    private PortalCaller authorize(ScaffolderPermission permission, Run run) {
        PortalCaller caller = identity.currentCaller();
        if (policy.isAllowed(caller, permission, run)) {
            return caller;
        }
        String what = permission.name().toLowerCase(Locale.ROOT).replace('_', '.') + (run == null ? "" : " on run " + run.id());
        throw caller.isAuthenticated() ? new NotAllowedException(caller + " may not " + what
                + (run == null ? "" : " (only its requester " + run.requester() + " and Scaffolder admins may)"))
                : new AuthenticationRequiredException("authentication is required for " + what);
    }
}
