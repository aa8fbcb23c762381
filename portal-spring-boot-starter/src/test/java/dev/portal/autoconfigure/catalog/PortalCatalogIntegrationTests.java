package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.StoredEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A minimal host application with the starter, against a fresh database. */
@ExtendWith(TestDatabase.DropAfterApplication.class) // before @SpringBootTest: runs after it closed the app
@SpringBootTest(classes = PortalCatalogIntegrationTests.HostApplication.class, properties = {
        "portal.catalog.refresh.interval=1s", "portal.catalog.refresh.poll-interval=200ms"})
@DirtiesContext
class PortalCatalogIntegrationTests {

    private static final TestDatabase database = TestDatabase.create();

    @Autowired
    private Catalog catalog;

    @Autowired
    private HealthEndpoint health;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::user);
        registry.add("portal.catalog.locations[0].target",
                () -> PortalCatalogAutoConfigurationTests.fixture("catalog/acme.yaml"));
    }

    @Test
    void configuredLocationIsQueryableAfterStartUp() {
        StoredEntity gateway = catalog.entities().byRef(EntityRef.parse("component:default/payment-gateway")).orElseThrow();
        assertThat(gateway.relations()).contains(new Relation(gateway.ref(), "ownedBy",
                EntityRef.parse("group:default/payments")));
    }

    @Test
    void configuredLocationIsRegisteredFromConfigurationWithoutProblems() {
        List<Location> locations = catalog.locations();
        assertThat(locations).singleElement().satisfies(location -> {
            assertThat(location.origin()).isEqualTo(Location.Origin.CONFIG);
            assertThat(catalog.errors(location.id())).isEmpty();
        });
    }

    @Test
    void healthIsUp() {
        assertThat(health.healthForPath("portalCatalog").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void refreshLoopTimesTheLocationsItProcesses() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (meters.find("portal.catalog.refresh").timer() == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Timer refresh = meters.find("portal.catalog.refresh").timer();
        assertThat(refresh).isNotNull();
        assertThat(refresh.getId().getTag("outcome")).isIn("unchanged", "success");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApplication {
    }
}
