package dev.portal.web;

import dev.portal.approval.ApprovalTask;
import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.template.TemplateDefinition;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The starter's default rules ({@link ScaffolderPermissionPolicy#requesterTeamOrAdmin}). */
final class DefaultScaffolderPermissionPolicy implements ScaffolderPermissionPolicy {

    private final boolean anonymousReads;
    private final Set<EntityRef> adminGroups;
    private final CatalogGroups memberships;
    private final Function<UUID, List<ApprovalTask>> approvalsOfRun;
    private final Function<EntityRef, Set<EntityRef>> teamsOf;

    /**
     * @param teamsOf a user's own groups, without their parents: a run is shared with the requester's
     *                teams, not with everybody in the department above them
     */
    DefaultScaffolderPermissionPolicy(boolean anonymousReads, Set<EntityRef> adminGroups, CatalogGroups memberships,
                                      Function<EntityRef, Set<EntityRef>> teamsOf,
                                      Function<UUID, List<ApprovalTask>> approvalsOfRun) {
        this.teamsOf = teamsOf;
        this.anonymousReads = anonymousReads;
        this.adminGroups = Set.copyOf(adminGroups);
        this.memberships = memberships;
        this.approvalsOfRun = approvalsOfRun;
    }

    @Override
    public boolean isAllowed(PortalCaller caller, ScaffolderPermission permission, Run run) {
        if (permission == ScaffolderPermission.TEMPLATE_READ) {
            return caller.isAuthenticated() || anonymousReads;
        }
        if (!caller.isAuthenticated()) {
            return false;
        }
        if (run == null) {
            return true;
        }
        EntityRef user = caller.userRef();
        if (run.requester().equals(user.canonical())) {
            return true;
        }
        Set<EntityRef> groups = memberships.groupsOf(user);
        if (groups.stream().anyMatch(adminGroups::contains)) {
            return true;
        }
        return switch (permission) {
            case TASK_READ -> teammates(groups, run.requester()) || approver(user, groups, run.id());
            default -> false;
        };
    }

    @Override
    public boolean isAllowedOnTemplate(PortalCaller caller, ScaffolderPermission permission, TemplateDefinition template) {
        if (!isAllowed(caller, permission, null)) {
            return false;
        }
        Set<EntityRef> allowed = allowedGroups(template);
        if (allowed.isEmpty()) {
            return true;
        }
        if (!caller.isAuthenticated()) {
            return false;
        }
        Set<EntityRef> groups = memberships.groupsOf(caller.userRef());
        return groups.stream().anyMatch(group -> allowed.contains(group) || adminGroups.contains(group));
    }

    /** The groups a template's {@value #ALLOWED_GROUPS_ANNOTATION} names; empty when it names none. */
    static Set<EntityRef> allowedGroups(TemplateDefinition template) {
        String annotation = template.annotations().get(ALLOWED_GROUPS_ANNOTATION);
        if (annotation == null || annotation.isBlank()) {
            return Collections.emptySet();
        }
        return Stream.of(annotation.split(",")).map(String::trim).filter(ref -> !ref.isEmpty())
                .map(ref -> EntityRef.parse(ref, "group", EntityRef.DEFAULT_NAMESPACE)).collect(Collectors.toSet());
    }

    private boolean teammates(Set<EntityRef> callerGroups, String requester) {
        if (callerGroups.isEmpty()) {
            return false;
        }
        EntityRef requesterRef;
        try {
            requesterRef = EntityRef.parse(requester, "user", EntityRef.DEFAULT_NAMESPACE);
        } catch (RuntimeException e) {
            return false;
        }
        // the caller's groups include the parents of their own (nested membership): a member of a
        // sub-team of the requester's team counts, a member of the team's parent does not
        return teamsOf.apply(requesterRef).stream().anyMatch(callerGroups::contains);
    }

    private boolean approver(EntityRef user, Set<EntityRef> groups, UUID runId) {
        return approvalsOfRun.apply(runId).stream().anyMatch(task -> task.assignee().filter(user::equals).isPresent()
                || task.candidateUsers().contains(user) || task.candidateGroups().stream().anyMatch(groups::contains));
    }
}
