package dev.portal.web;

import dev.portal.catalog.model.EntityRef;

import java.util.Optional;

/**
 * Who is calling the catalog API: a user, named by the ref of their catalog {@code User} entity
 * ({@code user:default/<principal name>}), or nobody in particular.
 *
 * @param userRef the caller's user entity ref, or {@code null} for an anonymous caller
 */
public record PortalCaller(EntityRef userRef) {

    private static final PortalCaller ANONYMOUS = new PortalCaller(null);

    /** A caller that did not authenticate. */
    public static PortalCaller anonymous() {
        return ANONYMOUS;
    }

    /** The authenticated user whose principal name is {@code principalName}: {@code user:default/<name>}. */
    public static PortalCaller user(String principalName) {
        return new PortalCaller(EntityRef.of("user", EntityRef.DEFAULT_NAMESPACE, principalName));
    }

    public boolean isAuthenticated() {
        return userRef != null;
    }

    public Optional<EntityRef> user() {
        return Optional.ofNullable(userRef);
    }

    @Override
    public String toString() {
        return userRef == null ? "anonymous" : userRef.canonical();
    }
}
