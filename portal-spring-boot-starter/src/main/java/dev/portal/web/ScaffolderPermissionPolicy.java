package dev.portal.web;

import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.run.Run;

import java.util.Set;

/**
 * Decides whether a caller may do something through the Scaffolder API; a host application
 * declares its own bean to change the rules. A refusal is 401 for an anonymous caller and 403
 * otherwise.
 */
@FunctionalInterface
public interface ScaffolderPermissionPolicy {

    /**
     * @param caller     who is asking
     * @param permission what they want to do
     * @param run        the run it concerns, for {@code TASK_CANCEL} and {@code TASK_RETRY}; else {@code null}
     */
    boolean isAllowed(PortalCaller caller, ScaffolderPermission permission, Run run);

    /**
     * The starter's default: templates are readable like catalog entities ({@code anonymousReads});
     * everything else needs an authenticated caller; cancelling and retrying a run is for its
     * requester and for members of {@code adminGroups}.
     */
    static ScaffolderPermissionPolicy requesterOrAdmin(boolean anonymousReads, Set<EntityRef> adminGroups,
                                                       CatalogGroups memberships) {
        return (caller, permission, run) -> switch (permission) {
            case TEMPLATE_READ -> caller.isAuthenticated() || anonymousReads;
            case TASK_CREATE, TASK_READ -> caller.isAuthenticated();
            case TASK_CANCEL, TASK_RETRY -> caller.isAuthenticated()
                    && (run == null || run.requester().equals(caller.userRef().canonical())
                    || memberships.groupsOf(caller.userRef()).stream().anyMatch(adminGroups::contains));
        };
    }
}
