package dev.portal.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;

import java.util.Optional;

/** Spring Security's CSRF token, as its {@code CsrfFilter} exposes it on the request. */
public final class SpringSecurityUiCsrf implements UiCsrf {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Optional<UiShell.Csrf> token(HttpServletRequest request) {
        if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)) {
            return Optional.empty();
        }
        ObjectNode headers = JSON.createObjectNode().put(token.getHeaderName(), token.getToken());
        return Optional.of(new UiShell.Csrf(token.getParameterName(), token.getHeaderName(), token.getToken(),
                headers.toString()));
    }
}
