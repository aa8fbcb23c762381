package dev.portal.web;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The caller is Spring Security's authenticated principal ({@code Authentication#getName()} →
 * {@code user:default/<name>}); no authentication, or Spring Security's anonymous token, is an
 * anonymous caller.
 */
public final class SpringSecurityIdentityResolver implements PortalIdentityResolver {

    @Override
    public PortalCaller currentCaller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken
                || authentication.getName() == null || authentication.getName().isBlank()) {
            return PortalCaller.anonymous();
        }
        return PortalCaller.user(authentication.getName());
    }
}
