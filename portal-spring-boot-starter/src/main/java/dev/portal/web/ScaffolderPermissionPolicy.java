package dev.portal.web;

import dev.portal.approval.ApprovalTask;
import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.template.TemplateDefinition;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides whether a caller may do something through the Scaffolder (REST API, event streams and
 * web UI alike); a host application declares its own bean to change the rules. A refusal is 401 for
 * an anonymous caller and 403 otherwise.
 *
 * <p>Each permission is asked first without a subject ("may this caller list runs at all?"), then,
 * where there is one, with it: {@code TEMPLATE_READ} and {@code TASK_CREATE} with the template
 * ({@link #isAllowedOnTemplate}), {@code TASK_READ}, {@code TASK_CANCEL} and {@code TASK_RETRY}
 * with the run. Lists show only what the policy allows item by item.
 */
@FunctionalInterface
public interface ScaffolderPermissionPolicy {

    /**
     * The annotation with which a template names who may see and run it: group refs, separated
     * by commas ({@code group:default/payments, platform}); absent, everyone who may start runs may.
     */
    String ALLOWED_GROUPS_ANNOTATION = "portal.dev/scaffolder-allowed-groups";

    /**
     * @param caller     who is asking
     * @param permission what they want to do
     * @param run        the run it concerns ({@code TASK_READ}, {@code TASK_CANCEL}, {@code TASK_RETRY}
     *                   on one run); {@code null} for the question without a subject
     */
    boolean isAllowed(PortalCaller caller, ScaffolderPermission permission, Run run);

    /**
     * Whether the caller may see ({@code TEMPLATE_READ}) or start and dry-run ({@code TASK_CREATE})
     * this template; by default, the answer without a subject.
     */
    default boolean isAllowedOnTemplate(PortalCaller caller, ScaffolderPermission permission, TemplateDefinition template) {
        return isAllowed(caller, permission, null);
    }

    /**
     * The starter's default: templates are readable like catalog entities ({@code anonymousReads});
     * a template that names groups in {@value #ALLOWED_GROUPS_ANNOTATION} is seen and run only by
     * their members and admins; everything else needs an authenticated caller; a run (its events,
     * values and provenance) is read by its requester, by members of the requester's own groups
     * (and of their sub-groups, with nested membership), by the assignee and candidates of its
     * approval tasks and by admins; cancelling and retrying a run is for its requester and admins.
     * Admins are the members of {@code adminGroups}.
     *
     * @param memberships    a caller's groups (with their parents, when membership is nested)
     * @param teamsOf        a requester's own groups, without parents (whose members share the requester's runs)
     * @param approvalsOfRun the approval tasks of a run (an approver may read the run they decide on)
     */
    static ScaffolderPermissionPolicy requesterTeamOrAdmin(boolean anonymousReads, Set<EntityRef> adminGroups,
                                                           CatalogGroups memberships,
                                                           Function<EntityRef, Set<EntityRef>> teamsOf,
                                                           Function<UUID, List<ApprovalTask>> approvalsOfRun) {
        return new DefaultScaffolderPermissionPolicy(anonymousReads, adminGroups, memberships, teamsOf, approvalsOfRun);
    }
}
