package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Location;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.List;

/**
 * {@code portalCatalog}: UP when the portal schema answers, with how many locations there are and
 * how many failed their last refresh; DOWN when the database cannot be reached. Locations with
 * problems do not make it DOWN: bad catalog files are the authors' to fix, and restarting the
 * application would not help.
 */
public class PortalCatalogHealthIndicator extends AbstractHealthIndicator {

    private final Catalog catalog;

    public PortalCatalogHealthIndicator(Catalog catalog) {
        super("Portal catalog health check failed");
        this.catalog = catalog;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // One query on the locations table: reaches the database and the schema at once.
        List<Location> locations = catalog.locations();
        long failing = locations.stream().filter(location -> location.lastError() != null).count();
        builder.up()
                .withDetail("locations", locations.size())
                .withDetail("failingLocations", failing);
    }
}
