package dev.portal.autoconfigure.catalog;

import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host application with its own Flyway migrations ({@code db/migration/V1__host_orders.sql} in
 * the test resources) and jOOQ: both keep working, each migration stays in its own schema, and the
 * host's beans that depend on database initialization see the portal schema migrated.
 */
@ExtendWith(TestDatabase.DropAfterApplication.class) // before @SpringBootTest: runs after it closed the app
@SpringBootTest(classes = HostFlywayIntegrationTests.HostApplication.class,
        properties = "portal.catalog.refresh.enabled=false")
@DirtiesContext
class HostFlywayIntegrationTests {

    private static final TestDatabase database = TestDatabase.create();

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private List<Flyway> flyways;

    @Autowired
    private List<DSLContext> dslContexts;

    @Autowired
    private PortalEntitiesSeenAtStartUp seenAtStartUp;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::user);
    }

    @Test
    void hostKeepsBootsFlywayAndJooq() {
        assertThat(flyways).hasSize(1);
        assertThat(dslContexts).hasSize(1);
    }

    @Test
    void hostMigrationsRunIntoThePublicSchemaOnly() {
        assertThat(jdbc.queryForList("select script from public.flyway_schema_history where success", String.class))
                .containsExactly("V1__host_orders.sql");
        assertThat(tables("public")).containsExactlyInAnyOrder("flyway_schema_history", "orders");
    }

    @Test
    void portalMigrationsRunIntoThePortalSchemaOnly() {
        assertThat(jdbc.queryForList("select script from portal.portal_schema_history where success and version is not null", String.class))
                .isNotEmpty().allMatch(script -> script.startsWith("V1")).doesNotContain("V1__host_orders.sql");
        assertThat(tables("portal")).contains("entities", "locations", "portal_schema_history")
                .doesNotContain("orders", "flyway_schema_history");
    }

    @Test
    void beansThatDependOnDatabaseInitializationSeeThePortalSchemaMigrated() {
        assertThat(seenAtStartUp.entities()).isZero();
    }

    private List<String> tables(String schema) {
        return jdbc.queryForList("select table_name from information_schema.tables where table_schema = ?",
                String.class, schema);
    }

    /** A host bean reading the portal tables while the context starts. */
    record PortalEntitiesSeenAtStartUp(int entities) {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApplication {

        @Bean
        @DependsOnDatabaseInitialization
        PortalEntitiesSeenAtStartUp portalEntitiesSeenAtStartUp(DataSource dataSource) {
            Integer count = new JdbcTemplate(dataSource).queryForObject("select count(*) from portal.entities", Integer.class);
            return new PortalEntitiesSeenAtStartUp(count);
        }
    }
}
