package dev.portal.web;

/**
 * Decides whether a caller may do something through the catalog API: the authorization hook. The
 * starter's default lets authenticated callers do everything and anonymous callers read (when
 * {@code portal.catalog.api.anonymous-reads} is on); a host application declares its own bean to
 * refuse specific actions.
 *
 * <p>A refusal is answered with 401 {@code AuthenticationError} when the caller is anonymous (they
 * may be allowed once they sign in) and with 403 {@code NotAllowedError} otherwise.
 */
@FunctionalInterface
public interface CatalogPermissionPolicy {

    /**
     * @param caller who is asking
     * @param permission what they want to do
     * @param resource what it concerns: its ref, the origin of the location involved and the kinds
     *     of the entities involved ({@link CatalogResource#NONE} when the action concerns no single
     *     resource). A registration is asked about twice: before the location is read (kinds
     *     empty) and after, with the kinds it would provide.
     */
    boolean isAllowed(PortalCaller caller, CatalogPermission permission, CatalogResource resource);

    /**
     * Writes need an authenticated caller; reads are open to anonymous callers when
     * {@code anonymousReads}, and to authenticated callers always.
     */
    static CatalogPermissionPolicy authenticatedWrites(boolean anonymousReads) {
        return (caller, permission, resource) -> caller.isAuthenticated() || (anonymousReads && !permission.isWrite());
    }
}
