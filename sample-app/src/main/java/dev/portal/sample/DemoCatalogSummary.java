package dev.portal.sample;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.FacetCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Logs what the catalog holds once the application has started, one count per kind, so a newcomer
 * sees the demo data arrive. The starter registered {@code portal.catalog.locations} before this
 * runs.
 */
@Component
class DemoCatalogSummary implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoCatalogSummary.class);

    private final Catalog catalog;

    DemoCatalogSummary(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<FacetCount> kinds = catalog.entities().facets(List.of("kind"), EntityFilter.everything()).get("kind");
        log.info("Catalog holds: {}", kinds.stream()
                .map(kind -> kind.count() + " " + kind.value())
                .collect(Collectors.joining(", ")));
    }
}
