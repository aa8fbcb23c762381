package dev.portal.ui.catalog;

import dev.portal.approval.ApprovalStore;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.query.Order;
import dev.portal.error.NotAllowedException;
import dev.portal.error.NotFoundException;
import dev.portal.scaffolder.run.Provenance;
import dev.portal.scaffolder.run.Run;
import dev.portal.ui.Link;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShell;
import dev.portal.ui.UiShells;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.AuthorizedScaffolder;
import dev.portal.web.BackstageErrors;
import dev.portal.web.CatalogPermission;
import dev.portal.web.CatalogResource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog's pages: the start page, the list (search, facets, sort, cursor paging, all in the
 * URL) and an entity's page. Everything is read through {@link AuthorizedCatalog}, so a page shows
 * exactly what the REST API would give the same caller.
 */
@Controller
public class CatalogController {

    /** Facet values listed before "more". */
    static final int TOP_FACET_VALUES = 8;
    /** At most this many "owned by my teams" on the start page. */
    static final int OWNED_ON_HOME = 10;

    private final AuthorizedCatalog catalog;
    private final UiShells shells;
    private final UiPages pages;
    private final int pageSize;
    private final boolean serverTiming;
    private final ObjectProvider<AuthorizedScaffolder> scaffolder;
    private final ObjectProvider<ApprovalStore> approvals;

    /**
     * @param serverTiming whether the list reports the time of its parts in a Server-Timing header
     */
    public CatalogController(AuthorizedCatalog catalog, UiShells shells, UiPages pages, int pageSize,
                             boolean serverTiming, ObjectProvider<AuthorizedScaffolder> scaffolder,
                             ObjectProvider<ApprovalStore> approvals) {
        this.catalog = catalog;
        this.shells = shells;
        this.pages = pages;
        this.pageSize = pageSize;
        this.serverTiming = serverTiming;
        this.scaffolder = scaffolder;
        this.approvals = approvals;
    }

    @GetMapping({"${portal.ui.path:/portal}", "${portal.ui.path:/portal}/"})
    ResponseEntity<String> home(HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Home", "home");
        CatalogViews views = new CatalogViews(shell.paths());
        EntityQueries entities = catalog.entities();
        List<FacetCount> kinds = entities.facets(List.of("kind"), EntityFilter.everything()).getOrDefault("kind", List.of());
        List<HomePage.KindCount> kindCounts = kinds.stream()
                .sorted(Comparator.comparingLong(FacetCount::count).reversed().thenComparing(FacetCount::value))
                .map(kind -> new HomePage.KindCount(kind.value(), kind.count(), shell.paths().catalog(
                        new CatalogSearch("", Map.of(CatalogSearch.Facet.KIND, List.of(kind.value())),
                                CatalogSearch.Sort.NAME, false, null).query())))
                .toList();
        long total = kinds.stream().mapToLong(FacetCount::count).sum();

        List<Link> teams = shell.signedIn() ? shell.user().groups() : List.of();
        List<EntityRow> owned = List.of();
        long ownedTotal = 0;
        String ownedHref = null;
        if (shell.signedIn()) {
            List<String> owners = new ArrayList<>();
            shells.caller().user().ifPresent(user -> owners.add(user.canonical()));
            owners.addAll(shell.user().groupRefs());
            EntityPage<StoredEntity> page = entities.query(new EntityQuery(
                    EntityFilter.equalTo(CatalogSearch.Facet.OWNER.key(), owners.toArray(String[]::new)),
                    Order.asc("metadata.name"), null, List.of(), OWNED_ON_HOME, 0, null));
            owned = page.items().stream().map(views::row).toList();
            ownedTotal = page.totalItems();
            ownedHref = shell.paths().catalog(new CatalogSearch("", Map.of(CatalogSearch.Facet.OWNER, owners),
                    CatalogSearch.Sort.NAME, false, null).query());
        }
        return pages.ok("catalog/home.jte", new HomePage(shell, total, kindCounts, teams, owned, ownedTotal, ownedHref,
                registerHref(shell)));
    }

    @GetMapping("${portal.ui.path:/portal}/catalog")
    ResponseEntity<String> list(@RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        CatalogSearch search = CatalogSearch.from(params);
        UiShell shell = shells.shell(request, search.term().isEmpty() ? "Catalog" : "Search: " + search.term(),
                "catalog").searching(search.term());
        CatalogViews views = new CatalogViews(shell.paths());
        EntityQueries entities = catalog.entities();

        EntityQuery query = search.cursor() != null ? EntityQuery.fromCursor(search.cursor(), pageSize)
                : new EntityQuery(search.filter(null), search.order(), search.term(),
                        CatalogSearch.FULL_TEXT_FIELDS, pageSize, 0, null);
        long started = System.nanoTime();
        EntityPage<StoredEntity> page = entities.query(query);
        long queried = System.nanoTime();
        Map<CatalogSearch.Facet, List<FacetCount>> counts = facetCounts(entities, search);
        long counted = System.nanoTime();

        // Every entity has exactly one kind: the kind counts add up to all matches, sort field or not.
        long matching = counts.get(CatalogSearch.Facet.KIND).stream()
                .filter(kind -> search.values(CatalogSearch.Facet.KIND).isEmpty()
                        || search.isSelected(CatalogSearch.Facet.KIND, kind.value()))
                .mapToLong(FacetCount::count).sum();
        long omitted = Math.max(0, matching - page.totalItems());

        List<CatalogListPage.FacetView> facets = new ArrayList<>();
        for (CatalogSearch.Facet facet : CatalogSearch.Facet.values()) {
            facets.add(facetView(facet, counts.get(facet), search, shell));
        }
        List<CatalogListPage.ActiveFilter> active = new ArrayList<>();
        if (!search.term().isEmpty()) {
            active.add(new CatalogListPage.ActiveFilter("Search: " + search.term(),
                    shell.paths().catalog(search.withoutTerm())));
        }
        search.selected().forEach((facet, values) -> values.forEach(value -> active.add(new CatalogListPage.ActiveFilter(
                facet.label() + ": " + facetLabel(facet, value), shell.paths().catalog(search.toggled(facet, value))))));

        List<CatalogListPage.SortOption> sorts = new ArrayList<>();
        for (CatalogSearch.Sort sort : CatalogSearch.Sort.values()) {
            sorts.add(new CatalogListPage.SortOption(sort.label(),
                    shell.paths().catalog(search.sortedBy(sort, false)), sort == search.sort()));
        }
        Link direction = new Link(shell.paths().catalog(search.sortedBy(search.sort(), !search.descending())),
                search.descending() ? "Z → A" : "A → Z");
        List<CatalogListPage.Hidden> hidden = new ArrayList<>();
        search.selected().forEach((facet, values) -> values.forEach(value ->
                hidden.add(new CatalogListPage.Hidden(facet.param(), value))));
        if (search.sort() != CatalogSearch.Sort.NAME) {
            hidden.add(new CatalogListPage.Hidden("sort", search.sort().param()));
        }
        if (search.descending()) {
            hidden.add(new CatalogListPage.Hidden("dir", "desc"));
        }

        ResponseEntity<String> response = pages.ok("catalog/list.jte", new CatalogListPage(shell, search.term(),
                facets, active, search.hasFilters() ? shell.paths().catalog(search.cleared()) : null,
                page.items().stream().map(views::row).toList(), page.totalItems(), omitted,
                search.sort().label().toLowerCase(Locale.ROOT), sorts, direction, hidden,
                page.prevCursor().map(cursor -> shell.paths().catalog(search.at(cursor))).orElse(null),
                page.nextCursor().map(cursor -> shell.paths().catalog(search.at(cursor))).orElse(null),
                registerHref(shell)));
        if (!serverTiming) {
            return response;
        }
        long rendered = System.nanoTime();
        return ResponseEntity.status(response.getStatusCode()).headers(headers -> {
            headers.addAll(response.getHeaders());
            headers.add("Server-Timing", "query;dur=" + millis(queried - started) + ", facets;dur="
                    + millis(counted - queried) + ", render;dur=" + millis(rendered - counted));
        }).body(response.getBody());
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    @GetMapping("${portal.ui.path:/portal}/catalog/{namespace}/{kind}/{name}")
    ResponseEntity<String> entity(@PathVariable String namespace, @PathVariable String kind, @PathVariable String name,
                                  HttpServletRequest request) {
        EntityRef ref = EntityRef.of(kind, namespace, name);
        EntityQueries entities = catalog.entities();
        StoredEntity stored = entities.byRef(ref).orElseThrow(() -> new NotFoundException(
                "The catalog has no entity " + ref.canonical() + "."));
        UiShell shell = shells.shell(request, CatalogViews.title(stored.entity()), "catalog");
        CatalogViews views = new CatalogViews(shell.paths());

        // Everything the relations point at, and for systems and domains their parts' parts, in two reads.
        Map<EntityRef, StoredEntity> related = new LinkedHashMap<>(byRefs(entities, stored.relations().stream()
                .map(Relation::target).toList()));
        if (ref.isKind("system") || ref.isKind("domain")) {
            Set<EntityRef> parts = new LinkedHashSet<>();
            stored.relations().stream().filter(relation -> RelationType.HAS_PART.equals(relation.type()))
                    .map(relation -> related.get(relation.target())).filter(part -> part != null)
                    .forEach(part -> part.relations().stream()
                            .filter(relation -> RelationType.HAS_PART.equals(relation.type()))
                            .map(Relation::target).filter(target -> !related.containsKey(target))
                            .forEach(parts::add));
            related.putAll(byRefs(entities, List.copyOf(parts)));
        }

        String jsonHref = request.getContextPath() + BackstageErrors.BASE_PATH + "/entities/by-name/"
                + segment(ref.kind()) + "/" + segment(ref.namespace()) + "/" + segment(ref.name());
        return pages.ok("catalog/entity.jte", views.entityPage(shell, stored, related,
                catalog.processingErrors(ref), entities.danglingRelations(ref), provenance(stored, views), jsonHref));
    }

    /**
     * Per facet, the counts next to its values: over the matches of everything selected except the
     * facet itself, so picking a second value of the same facet stays possible. Facets without a
     * selection share one read.
     */
    private Map<CatalogSearch.Facet, List<FacetCount>> facetCounts(EntityQueries entities, CatalogSearch search) {
        Map<CatalogSearch.Facet, List<FacetCount>> counts = new EnumMap<>(CatalogSearch.Facet.class);
        List<String> shared = new ArrayList<>();
        for (CatalogSearch.Facet facet : CatalogSearch.Facet.values()) {
            if (search.values(facet).isEmpty()) {
                shared.add(facet.key());
            } else {
                counts.put(facet, entities.facets(List.of(facet.key()), search.filter(facet), search.term(),
                        CatalogSearch.FULL_TEXT_FIELDS).getOrDefault(facet.key(), List.of()));
            }
        }
        if (!shared.isEmpty()) {
            Map<String, List<FacetCount>> together = entities.facets(shared, search.filter(null), search.term(),
                    CatalogSearch.FULL_TEXT_FIELDS);
            for (CatalogSearch.Facet facet : CatalogSearch.Facet.values()) {
                if (shared.contains(facet.key())) {
                    counts.put(facet, together.getOrDefault(facet.key(), List.of()));
                }
            }
        }
        return counts;
    }

    private CatalogListPage.FacetView facetView(CatalogSearch.Facet facet, List<FacetCount> counts, CatalogSearch search,
                                                UiShell shell) {
        List<CatalogListPage.FacetValue> values = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        counts.stream()
                .sorted(Comparator.comparingLong(FacetCount::count).reversed()
                        .thenComparing(count -> count.value().toLowerCase(Locale.ROOT)))
                .forEach(count -> {
                    listed.add(count.value().toLowerCase(Locale.ROOT));
                    values.add(new CatalogListPage.FacetValue(facetLabel(facet, count.value()), count.count(),
                            search.isSelected(facet, count.value()),
                            shell.paths().catalog(search.toggled(facet, count.value()))));
                });
        // A selected value nothing matches any more still shows, so it can be unselected.
        for (String value : search.values(facet)) {
            if (!listed.contains(value.toLowerCase(Locale.ROOT))) {
                values.add(new CatalogListPage.FacetValue(facetLabel(facet, value), 0, true,
                        shell.paths().catalog(search.toggled(facet, value))));
            }
        }
        List<CatalogListPage.FacetValue> top = new ArrayList<>();
        List<CatalogListPage.FacetValue> more = new ArrayList<>();
        for (CatalogListPage.FacetValue value : values) {
            (top.size() < TOP_FACET_VALUES || value.selected() ? top : more).add(value);
        }
        return new CatalogListPage.FacetView(facet.label(), top, more);
    }

    private static String facetLabel(CatalogSearch.Facet facet, String value) {
        if (facet == CatalogSearch.Facet.OWNER) {
            EntityRef owner = EntityRef.parse(value, "group", EntityRef.DEFAULT_NAMESPACE);
            return owner.isKind("group") ? CatalogViews.shortRef(owner) : owner.kind() + ":" + CatalogViews.shortRef(owner);
        }
        return value;
    }

    private Optional<String> provenanceRun(StoredEntity stored) {
        return stored.entity().annotation(Provenance.RUN_ID);
    }

    /**
     * Who made the entity, for one a Scaffolder run created: the run's details when the caller may
     * read runs, else only that a run made it.
     */
    private EntityDetailPage.ProvenanceView provenance(StoredEntity stored, CatalogViews views) {
        AuthorizedScaffolder runs = scaffolder.getIfAvailable();
        if (runs == null || provenanceRun(stored).isEmpty()) {
            return null;
        }
        Optional<Run> run;
        try {
            run = runs.createdBy(stored.entity());
        } catch (NotAllowedException e) {
            return views.provenanceHidden();
        }
        ApprovalStore decisions = approvals.getIfAvailable();
        return run.map(found -> views.provenance(found,
                decisions == null ? List.of() : decisions.decisionsOfRun(found.id()))).orElse(null);
    }

    private String registerHref(UiShell shell) {
        return catalog.isAllowed(CatalogPermission.LOCATION_CREATE, CatalogResource.NONE) ? shell.paths().register() : null;
    }

    private static Map<EntityRef, StoredEntity> byRefs(EntityQueries entities, List<EntityRef> refs) {
        List<EntityRef> distinct = List.copyOf(new LinkedHashSet<>(refs));
        Map<EntityRef, StoredEntity> found = new LinkedHashMap<>();
        if (distinct.isEmpty()) {
            return found;
        }
        List<Optional<StoredEntity>> slots = entities.byRefs(distinct, EntityFilter.everything());
        for (int i = 0; i < distinct.size(); i++) {
            slots.get(i).ifPresent(entity -> found.put(entity.ref(), entity));
        }
        return found;
    }

    private static String segment(String value) {
        return UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
    }
}
