package dev.portal.web;

import dev.portal.web.api.CatalogEntitiesApi;
import dev.portal.web.api.CatalogLocationsApi;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * Answers every request under {@code /api/catalog} that no endpoint takes, so that it too gets
 * Backstage's error body from the one advice: an unknown path is 404, a known path with the wrong
 * method 405, a known path and method with a body type other than JSON 415. Without it Spring
 * would answer those before any catalog controller is chosen, with the host's error page.
 */
@RestController
@RequestMapping(BackstageErrors.BASE_PATH)
public class CatalogFallbackController {

    private record Route(RequestMethod method, PathPattern path) {
    }

    private static final List<Route> ROUTES = List.of(
            route(RequestMethod.GET, CatalogEntitiesApi.PATH_GET_ENTITIES),
            route(RequestMethod.GET, CatalogEntitiesApi.PATH_GET_ENTITIES_BY_QUERY),
            route(RequestMethod.POST, CatalogEntitiesApi.PATH_QUERY_ENTITIES_BY_PREDICATE),
            route(RequestMethod.POST, CatalogEntitiesApi.PATH_GET_ENTITIES_BY_REFS),
            route(RequestMethod.GET, CatalogEntitiesApi.PATH_GET_ENTITY_BY_NAME),
            route(RequestMethod.GET, CatalogEntitiesApi.PATH_GET_ENTITY_ANCESTRY_BY_NAME),
            route(RequestMethod.GET, CatalogEntitiesApi.PATH_GET_ENTITY_BY_UID),
            route(RequestMethod.DELETE, CatalogEntitiesApi.PATH_DELETE_ENTITY_BY_UID),
            route(RequestMethod.GET, CatalogEntitiesApi.PATH_GET_ENTITY_FACETS),
            route(RequestMethod.POST, CatalogEntitiesApi.PATH_QUERY_ENTITY_FACETS_BY_PREDICATE),
            route(RequestMethod.POST, CatalogEntitiesApi.PATH_REFRESH_ENTITY),
            route(RequestMethod.POST, CatalogEntitiesApi.PATH_VALIDATE_ENTITY),
            route(RequestMethod.POST, CatalogLocationsApi.PATH_ANALYZE_LOCATION),
            route(RequestMethod.GET, CatalogLocationsApi.PATH_GET_LOCATIONS),
            route(RequestMethod.POST, CatalogLocationsApi.PATH_CREATE_LOCATION),
            route(RequestMethod.GET, CatalogLocationsApi.PATH_GET_LOCATION),
            route(RequestMethod.DELETE, CatalogLocationsApi.PATH_DELETE_LOCATION),
            route(RequestMethod.GET, CatalogLocationsApi.PATH_GET_LOCATION_BY_ENTITY));

    @RequestMapping(path = "/**", method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.DELETE, RequestMethod.PATCH})
    void unmatched(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + BackstageErrors.BASE_PATH.length());
        PathContainer container = PathContainer.parsePath(path);
        List<Route> sameRoute = ROUTES.stream().filter(route -> route.path().matches(container)).toList();
        if (sameRoute.isEmpty()) {
            throw CatalogApiException.notFound("No catalog endpoint at " + request.getMethod() + " " + path);
        }
        if (sameRoute.stream().noneMatch(route -> route.method().name().equals(request.getMethod()))) {
            throw new CatalogApiException(CatalogApiException.Kind.METHOD_NOT_ALLOWED, request.getMethod() + " is not"
                    + " supported on " + path + "; use " + sameRoute.stream().map(r -> r.method().name()).distinct().toList());
        }
        throw new CatalogApiException(CatalogApiException.Kind.UNSUPPORTED_MEDIA_TYPE, request.getMethod() + " " + path
                + " takes and answers application/json, got Content-Type " + request.getContentType());
    }

    private static Route route(RequestMethod method, String path) {
        return new Route(method, PathPatternParser.defaultInstance.parse(path));
    }
}
