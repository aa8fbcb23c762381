package dev.portal.web;

/**
 * Resolves who is calling, for the request being handled on the current thread. The starter's
 * default reads Spring Security's {@code SecurityContextHolder} when Spring Security is present and
 * treats every caller as anonymous otherwise; a host application replaces it with its own bean
 * (e.g. to map a token to a user entity).
 */
@FunctionalInterface
public interface PortalIdentityResolver {

    PortalCaller currentCaller();

    /** Every caller is anonymous: for applications without authentication. */
    static PortalIdentityResolver anonymous() {
        return PortalCaller::anonymous;
    }
}
