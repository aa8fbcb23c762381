package dev.portal.approval;

import dev.portal.catalog.model.EntityRef;

import java.util.Optional;
import java.util.Set;

/**
 * Who may decide an approval task: its assignee, a candidate user, or a member of a candidate group
 * (membership from the catalog, nested if configured); a task with no assignment at all goes to the
 * admin groups. Four-eyes: the requester of a run never decides its own approvals unless the task
 * turns it off. Everybody else is refused, admins included.
 */
public final class ApprovalPolicy {

    private final CatalogGroups groups;
    private final Set<EntityRef> adminGroups;

    public ApprovalPolicy(CatalogGroups groups, Set<EntityRef> adminGroups) {
        this.groups = groups;
        this.adminGroups = Set.copyOf(adminGroups);
    }

    /** Why {@code caller} may not decide {@code task}, or empty if they may. */
    public Optional<String> refusal(ApprovalTask task, EntityRef caller) {
        if (task.fourEyes() && caller.canonical().equals(task.requester())) {
            return Optional.of("four-eyes: " + caller.canonical() + " requested run " + task.runId()
                    + " and may not decide its approvals");
        }
        if (task.assignee().filter(caller::equals).isPresent() || task.candidateUsers().contains(caller)) {
            return Optional.empty();
        }
        Set<EntityRef> callerGroups = groups.groupsOf(caller);
        if (task.candidateGroups().stream().anyMatch(callerGroups::contains)) {
            return Optional.empty();
        }
        boolean unassigned = task.assignee().isEmpty() && task.candidateUsers().isEmpty() && task.candidateGroups().isEmpty();
        if (unassigned && callerGroups.stream().anyMatch(adminGroups::contains)) {
            return Optional.empty();
        }
        return Optional.of(caller.canonical() + " is not the assignee, a candidate user or a member of a candidate group of task "
                + task.jobKey() + " (" + describe(task) + ")");
    }

    /** The groups that decide tasks nobody is assigned to. */
    public Set<EntityRef> adminGroups() {
        return adminGroups;
    }

    /**
     * Whether nobody in particular is assigned to the task, so that the admin groups decide it.
     */
    public static boolean unassigned(ApprovalTask task) {
        return task.assignee().isEmpty() && task.candidateUsers().isEmpty() && task.candidateGroups().isEmpty();
    }

    public boolean isAdmin(EntityRef caller) {
        return groups.groupsOf(caller).stream().anyMatch(adminGroups::contains);
    }

    private static String describe(ApprovalTask task) {
        StringBuilder who = new StringBuilder();
        task.assignee().ifPresent(assignee -> who.append("assignee ").append(assignee.canonical()));
        if (!task.candidateUsers().isEmpty()) {
            who.append(who.isEmpty() ? "" : ", ").append("candidate users ").append(task.candidateUsers().stream().map(EntityRef::canonical).toList());
        }
        if (!task.candidateGroups().isEmpty()) {
            who.append(who.isEmpty() ? "" : ", ").append("candidate groups ").append(task.candidateGroups().stream().map(EntityRef::canonical).toList());
        }
        return who.isEmpty() ? "unassigned: admins decide" : who.toString();
    }
}
