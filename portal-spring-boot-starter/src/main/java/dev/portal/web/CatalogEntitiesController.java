package dev.portal.web;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.query.InvalidQueryException;
import dev.portal.catalog.query.Order;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotFoundException;
import dev.portal.web.api.CatalogEntitiesApi;
import dev.portal.web.model.EntitiesBatchResponse;
import dev.portal.web.model.EntitiesByRefsRequest;
import dev.portal.web.model.EntitiesQueryRequest;
import dev.portal.web.model.EntitiesQueryResponse;
import dev.portal.web.model.EntityAncestryItem;
import dev.portal.web.model.EntityAncestryResponse;
import dev.portal.web.model.EntityFacet;
import dev.portal.web.model.EntityFacetsRequest;
import dev.portal.web.model.EntityFacetsResponse;
import dev.portal.web.model.OrderDirective;
import dev.portal.web.model.PageInfo;
import dev.portal.web.model.RefreshRequest;
import dev.portal.web.model.ValidateEntityRequest;
import org.springframework.beans.propertyeditors.CustomCollectionEditor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Backstage's entity endpoints under {@code /api/catalog}: parse the wire format, ask the
 * {@link AuthorizedCatalog}, answer in the wire format. Semantics (filters, ordering, paging,
 * facets) live in portal-core; the contract is {@code openapi/portal-api.yaml}.
 */
@RestController
@RequestMapping(BackstageErrors.BASE_PATH)
public class CatalogEntitiesController implements CatalogEntitiesApi {

    private final AuthorizedCatalog catalog;

    public CatalogEntitiesController(AuthorizedCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * One {@code filter=a,b} parameter is ONE filter set; without this Spring's conversion would
     * split a single value on commas (turning AND into OR). {@code fields} is meant to be split.
     */
    @InitBinder({"filter", "order", "orderField", "facet"})
    void keepExplodedItemsWhole(WebDataBinder binder) {
        binder.registerCustomEditor(List.class, new CustomCollectionEditor(List.class));
    }

    @Override
    public ResponseEntity<List<EntityJson>> getEntities(List<String> fields, Integer limit, List<String> filter,
                                                        Integer offset, String after, List<String> order) {
        catalog.queryLimits().checkFields(fields);
        EntityFilter entityFilter = EntityFilter.parseBackstageFilters(orEmpty(filter));
        List<Order> orders = orEmpty(order).stream().map(Order::parse).toList();
        int start = after != null ? decodeAfter(after) : nonNegative("offset", offset == null ? 0 : offset);
        if (limit != null) {
            nonNegative("limit", limit);
        }
        List<EntityJson> items = catalog.entities().list(entityFilter, orders, start, limit).stream()
                .map(entity -> CatalogWire.entity(entity, fields)).toList();
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (limit != null && limit > 0 && items.size() == limit) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("offset")
                    .replaceQueryParam("after", encodeAfter(start + limit)).build().toUriString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(items);
    }

    @Override
    public ResponseEntity<EntitiesQueryResponse> getEntitiesByQuery(List<String> fields, Integer limit, Integer offset,
                                                                    List<String> orderField, String cursor,
                                                                    List<String> filter, String totalItems,
                                                                    String fullTextFilterTerm,
                                                                    List<String> fullTextFilterFields) {
        boolean includeTotal = includeTotal(totalItems);
        catalog.queryLimits().checkFields(fields);
        EntityQuery query = cursor != null ? EntityQuery.fromCursor(cursor, limit)
                : new EntityQuery(EntityFilter.parseBackstageFilters(orEmpty(filter)),
                        orEmpty(orderField).stream().findFirst().map(Order::parseOrderField).orElse(null),
                        fullTextFilterTerm, fullTextFilterFields, limit, offset == null ? 0 : offset, null);
        return ResponseEntity.ok(page(query, fields, includeTotal));
    }

    @Override
    public ResponseEntity<EntitiesQueryResponse> queryEntitiesByPredicate(EntitiesQueryRequest request) {
        if (request == null) {
            return ResponseEntity.ok(page(EntityQuery.of(EntityFilter.everything()), List.of(), true));
        }
        boolean includeTotal = request.getTotalItems() != EntitiesQueryRequest.TotalItemsEnum.EXCLUDE;
        catalog.queryLimits().checkFields(request.getFields());
        if (request.getCursor() != null) {
            return ResponseEntity.ok(page(EntityQuery.fromCursor(request.getCursor(), request.getLimit()),
                    request.getFields(), includeTotal));
        }
        EntityFilter filter = request.getQuery() == null ? EntityFilter.everything()
                : EntityFilter.fromPredicate(request.getQuery());
        Order order = request.getOrderBy().stream().findFirst().map(CatalogEntitiesController::order).orElse(null);
        String term = request.getFullTextFilter() == null ? null : request.getFullTextFilter().getTerm();
        List<String> termFields = request.getFullTextFilter() == null ? List.of() : request.getFullTextFilter().getFields();
        EntityQuery query = new EntityQuery(filter, order, term, termFields, request.getLimit(),
                request.getOffset() == null ? 0 : request.getOffset(), null);
        return ResponseEntity.ok(page(query, request.getFields(), includeTotal));
    }

    @Override
    public ResponseEntity<EntitiesBatchResponse> getEntitiesByRefs(List<String> filter, EntitiesByRefsRequest request) {
        if (request.getEntityRefs() == null) {
            throw new InvalidInputException("entityRefs is required: an array of entity refs");
        }
        catalog.queryLimits().checkFields(request.getFields());
        catalog.queryLimits().checkRefs(request.getEntityRefs());
        List<EntityFilter> filters = new ArrayList<>();
        if (filter != null && !filter.isEmpty()) {
            filters.add(EntityFilter.parseBackstageFilters(filter));
        }
        if (request.getQuery() != null) {
            filters.add(EntityFilter.fromPredicate(request.getQuery()));
        }
        List<EntityRef> refs = request.getEntityRefs().stream().map(EntityRef::parse).toList();
        List<EntityJson> items = new ArrayList<>(refs.size());
        catalog.entities().byRefs(refs, new EntityFilter.All(filters))
                .forEach(found -> items.add(found.map(entity -> CatalogWire.entity(entity, request.getFields()))
                        .orElse(null)));
        return ResponseEntity.ok(new EntitiesBatchResponse(items));
    }

    @Override
    public ResponseEntity<EntityJson> getEntityByName(String kind, String namespace, String name) {
        return ResponseEntity.ok(CatalogWire.entity(byName(catalog.entities(), kind, namespace, name), List.of()));
    }

    @Override
    public ResponseEntity<EntityAncestryResponse> getEntityAncestryByName(String kind, String namespace, String name) {
        StoredEntity entity = byName(catalog.entities(), kind, namespace, name);
        List<EntityAncestryItem> items = new ArrayList<>();
        List<Location> chain = locationChain(entity.locationId());
        items.add(new EntityAncestryItem(CatalogWire.entity(entity, List.of()), chain.isEmpty() ? List.of()
                : List.of(CatalogWire.locationEntityRef(chain.getFirst().spec()).canonical())));
        LocationSpec origin = chain.isEmpty() ? null : chain.getLast().spec();
        for (int i = 0; i < chain.size(); i++) {
            LocationSpec spec = chain.get(i).spec();
            List<String> parents = i + 1 < chain.size()
                    ? List.of(CatalogWire.locationEntityRef(chain.get(i + 1).spec()).canonical()) : List.of();
            items.add(new EntityAncestryItem(EntityJson.of(CatalogWire.locationEntity(spec, origin)), parents));
        }
        return ResponseEntity.ok(new EntityAncestryResponse(entity.ref().canonical(), items));
    }

    @Override
    public ResponseEntity<EntityJson> getEntityByUid(String uid) {
        return uuid(uid).flatMap(catalog.entities()::byUid)
                .map(entity -> ResponseEntity.ok(CatalogWire.entity(entity, List.of())))
                .orElseThrow(() -> new NotFoundException("No entity with uid '" + uid + "'"));
    }

    @Override
    public ResponseEntity<Void> deleteEntityByUid(String uid) {
        // Like Backstage: deleting what is not there is not an error.
        uuid(uid).ifPresent(catalog::deleteEntity);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<EntityFacetsResponse> getEntityFacets(List<String> facet, List<String> filter) {
        return ResponseEntity.ok(facets(facet, EntityFilter.parseBackstageFilters(orEmpty(filter))));
    }

    @Override
    public ResponseEntity<EntityFacetsResponse> queryEntityFacetsByPredicate(EntityFacetsRequest request) {
        return ResponseEntity.ok(facets(request.getFacets(), request.getQuery() == null ? EntityFilter.everything()
                : EntityFilter.fromPredicate(request.getQuery())));
    }

    @Override
    public ResponseEntity<Void> refreshEntity(RefreshRequest request) {
        if (request.getEntityRef() == null) {
            throw new InvalidInputException("entityRef is required, e.g. component:default/my-service");
        }
        EntityRef ref = EntityRef.parse(request.getEntityRef());
        if (catalog.refresh(ref).isEmpty() && catalog.entities().byRef(ref).isEmpty()) {
            throw new NotFoundException("No entity named '" + ref + "' found");
        }
        return ResponseEntity.ok().build();
    }

    @Override
    public ResponseEntity<Void> validateEntity(ValidateEntityRequest request) {
        String location = request.getLocation();
        if (location == null || !(location.startsWith("url:") || location.startsWith("file:"))
                || location.indexOf(':') == location.length() - 1) {
            throw new InvalidInputException("location must be a location ref such as url:https://example.com/"
                    + "catalog-info.yaml or file:/path/catalog-info.yaml, got '" + location + "'");
        }
        if (request.getEntity() == null) {
            throw new InvalidInputException("entity is required: the entity document to validate");
        }
        ProcessedEntity processed = catalog.validate(request.getEntity().toJson(), location);
        if (!processed.valid()) {
            throw new InvalidEntityException(processed.problems());
        }
        return ResponseEntity.ok().build();
    }

    private EntitiesQueryResponse page(EntityQuery query, List<String> fields, boolean includeTotal) {
        EntityPage<StoredEntity> page = catalog.entities().query(query);
        PageInfo pageInfo = new PageInfo();
        page.nextCursor().ifPresent(pageInfo::setNextCursor);
        page.prevCursor().ifPresent(pageInfo::setPrevCursor);
        EntitiesQueryResponse response = new EntitiesQueryResponse(
                page.items().stream().map(entity -> CatalogWire.entity(entity, fields)).toList(), pageInfo);
        return includeTotal ? response.totalItems(page.totalItems()) : response;
    }

    private EntityFacetsResponse facets(List<String> facets, EntityFilter filter) {
        if (facets == null || facets.isEmpty() || facets.stream().anyMatch(String::isBlank)) {
            throw new InvalidInputException("at least one facet is required, e.g. facet=kind");
        }
        Map<String, List<FacetCount>> counts = catalog.entities().facets(facets, filter);
        Map<String, List<EntityFacet>> wire = new LinkedHashMap<>();
        for (String facet : facets) {
            wire.put(facet, counts.getOrDefault(facet, List.of()).stream()
                    .map(count -> new EntityFacet(count.value(), count.count())).toList());
        }
        return new EntityFacetsResponse(wire);
    }

    /** The entity's location and the locations above it, nearest first; ends at the registered one. */
    private List<Location> locationChain(UUID locationId) {
        List<Location> chain = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Optional<Location> current = locationId == null ? Optional.empty() : catalog.location(locationId);
        while (current.isPresent() && seen.add(current.get().id())) {
            chain.add(current.get());
            current = current.get().parent().flatMap(catalog::location);
        }
        return chain;
    }

    static StoredEntity byName(EntityQueries entities, String kind, String namespace, String name) {
        EntityRef ref = EntityRef.of(kind, namespace, name);
        return entities.byRef(ref)
                .orElseThrow(() -> new NotFoundException("No entity named '" + ref + "' found"));
    }

    private static Order order(OrderDirective directive) {
        if (directive.getField() == null || directive.getOrder() == null) {
            throw new InvalidInputException("orderBy entries need a field and an order (asc or desc)");
        }
        return new Order(directive.getField(), directive.getOrder() == OrderDirective.OrderEnum.ASC);
    }

    private static boolean includeTotal(String totalItems) {
        if (totalItems == null || totalItems.equals("include")) {
            return true;
        }
        if (totalItems.equals("exclude")) {
            return false;
        }
        throw new InvalidInputException("totalItems must be include or exclude, got '" + totalItems + "'");
    }

    private static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new InvalidInputException(name + " must not be negative, got " + value);
        }
        return value;
    }

    /** {@code after} of a {@code Link: rel="next"}: the offset of the next page, opaque to clients. */
    private static String encodeAfter(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeAfter(String after) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) {
                return nonNegative("after", Integer.parseInt(decoded.substring("offset:".length())));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new InvalidQueryException("invalid after '" + after + "'; pass it exactly as a Link header gave it");
    }

    static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
