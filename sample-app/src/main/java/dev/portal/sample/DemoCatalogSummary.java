package dev.portal.sample;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.FacetCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

/** Logs what the catalog holds, one line per kind, so a newcomer sees the demo data arrive. */
final class DemoCatalogSummary {

    private static final Logger log = LoggerFactory.getLogger(DemoCatalogSummary.class);

    private DemoCatalogSummary() {
    }

    static void log(Catalog catalog) {
        List<FacetCount> kinds = catalog.entities().facets(List.of("kind"), EntityFilter.everything()).get("kind");
        log.info("Catalog holds: {}", kinds.stream()
                .map(kind -> kind.count() + " " + kind.value())
                .collect(Collectors.joining(", ")));
    }
}
