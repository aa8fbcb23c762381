package dev.portal.web;

import dev.portal.error.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers every request under Portal's APIs ({@code /api/catalog}, {@code /api/scaffolder},
 * {@code /api/approvals}) that no endpoint takes, so that it too gets Backstage's error body from
 * the one advice: an unknown path is 404, a known path with the wrong method 405, a known path and
 * method with a body type the endpoint does not take 415. Without it Spring would answer those
 * before any Portal controller is chosen, with the host's error page.
 *
 * <p>The known routes are read from Spring MVC's own handler mapping, so every endpoint the
 * contract generates is covered without a list to keep in step.
 */
@RestController
public class PortalApiFallbackController {

    /** Where Portal's APIs live; requests below these and nowhere else are answered here. */
    static final List<String> BASE_PATHS = List.of(BackstageErrors.BASE_PATH, ScaffolderController.BASE_PATH,
            ApprovalsController.BASE_PATH);

    private record Route(Set<RequestMethod> methods, PathPattern path) {
    }

    private final Supplier<RequestMappingHandlerMapping> handlerMapping;
    private volatile List<Route> routes;

    /** @param handlerMapping Spring MVC's {@code requestMappingHandlerMapping}, read at the first unmatched request */
    public PortalApiFallbackController(Supplier<RequestMappingHandlerMapping> handlerMapping) {
        this.handlerMapping = handlerMapping;
    }

    @RequestMapping(path = {BackstageErrors.BASE_PATH + "/**", ScaffolderController.BASE_PATH + "/**",
            ApprovalsController.BASE_PATH + "/**"},
            method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE, RequestMethod.PATCH})
    void unmatched(HttpServletRequest request) throws HttpRequestMethodNotSupportedException,
            HttpMediaTypeNotSupportedException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        PathContainer container = PathContainer.parsePath(path);
        List<Route> samePath = routes().stream().filter(route -> route.path().matches(container)).toList();
        if (samePath.isEmpty()) {
            throw new NotFoundException("No Portal endpoint at " + request.getMethod() + " " + path);
        }
        if (samePath.stream().noneMatch(route -> route.methods().contains(RequestMethod.resolve(request.getMethod())))) {
            throw new HttpRequestMethodNotSupportedException(request.getMethod(), samePath.stream()
                    .flatMap(route -> route.methods().stream()).map(RequestMethod::name).distinct().toList());
        }
        throw new HttpMediaTypeNotSupportedException(request.getMethod() + " " + path
                + " takes application/json, got Content-Type " + request.getContentType());
    }

    private List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = handlerMapping.get().getHandlerMethods().entrySet().stream()
                    .filter(entry -> !(entry.getValue().getBean() instanceof PortalApiFallbackController)
                            && !PortalApiFallbackController.class.equals(entry.getValue().getBeanType()))
                    .flatMap(PortalApiFallbackController::routes)
                    .filter(route -> BASE_PATHS.stream().anyMatch(base -> route.path().getPatternString().startsWith(base)))
                    .toList();
            routes = known;
        }
        return known;
    }

    private static java.util.stream.Stream<Route> routes(Map.Entry<RequestMappingInfo, HandlerMethod> entry) {
        RequestMappingInfo info = entry.getKey();
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        Set<RequestMethod> effective = methods.isEmpty() ? Set.of(RequestMethod.values()) : methods;
        return info.getPathPatternsCondition() == null ? java.util.stream.Stream.empty()
                : info.getPathPatternsCondition().getPatterns().stream().map(pattern -> new Route(effective, pattern));
    }
}
