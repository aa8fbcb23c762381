package dev.portal.catalog.testing;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import org.jooq.DSLContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared moves of catalog integration tests: files to register, a clean database between tests. */
public final class CatalogTestSupport {

    private CatalogTestSupport() {
    }

    /** Empties every catalog table, so each test starts from nothing without a new database. */
    public static void truncate(DSLContext dsl) {
        dsl.execute("truncate table " + dsl.render(dev.portal.db.Tables.LOCATIONS) + ", "
                + dsl.render(dev.portal.db.Tables.ENTITIES) + ", " + dsl.render(dev.portal.db.Tables.RELATIONS) + ", "
                + dsl.render(dev.portal.db.Tables.SEARCH) + ", " + dsl.render(dev.portal.db.Tables.PROCESSING_ERRORS)
                + " cascade");
    }

    public static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LocationSpec fileLocation(Path file) {
        return new LocationSpec(LocationSpec.FILE, file.toAbsolutePath().toString());
    }

    /** Registers a file as the application's configuration would: trusted with people and teams. */
    public static Catalog.Registration register(Catalog catalog, Path file) {
        return catalog.register(fileLocation(file), Location.Origin.CONFIG);
    }

    /** Registers a file as a user does through the API: fenced, never trusted with people and teams. */
    public static Catalog.Registration registerThroughApi(Catalog catalog, Path file) {
        return catalog.register(fileLocation(file), Location.Origin.API);
    }

    public static Catalog catalog(PostgresDatabase db, CatalogSettings settings) {
        return new Catalog(db.dsl(), settings);
    }

    /** A minimal valid Component descriptor. */
    public static String component(String name, String owner) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: %s
                spec:
                  type: service
                  lifecycle: production
                  owner: %s
                """.formatted(name, owner);
    }

    /** A minimal valid Group descriptor. */
    public static String group(String name) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata:
                  name: %s
                spec:
                  type: team
                  children: []
                """.formatted(name);
    }
}
