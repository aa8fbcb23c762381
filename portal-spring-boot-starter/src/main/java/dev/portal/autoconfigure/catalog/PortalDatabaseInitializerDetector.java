package dev.portal.autoconfigure.catalog;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;

import java.util.Set;

/**
 * Declares {@link PortalDatabase} beans database initializers (listed in
 * {@code META-INF/spring.factories}), the way Spring Modulith declares its event-publication
 * schema. Spring Boot then makes every bean that depends on database initialization (JPA's
 * {@code EntityManagerFactory}, {@code JdbcTemplate}, jOOQ's {@code DSLContext}, and anything
 * annotated {@code @DependsOnDatabaseInitialization}) wait until the portal schema is migrated,
 * exactly as it does for the host's own Flyway or Liquibase beans. The two migrations never meet:
 * ours has its own schema, history table and folder.
 */
class PortalDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(PortalDatabase.class);
    }
}
