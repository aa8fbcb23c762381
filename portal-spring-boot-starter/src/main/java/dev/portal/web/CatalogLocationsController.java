package dev.portal.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.orchestration.LocationProcessor;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotFoundException;
import dev.portal.web.api.CatalogLocationsApi;
import dev.portal.web.model.AnalyzeLocationExistingEntity;
import dev.portal.web.model.AnalyzeLocationRequest;
import dev.portal.web.model.AnalyzeLocationResponse;
import dev.portal.web.model.CreateLocationResponse;
import dev.portal.web.model.Location;
import dev.portal.web.model.LocationEnvelope;
import dev.portal.web.model.LocationInput;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Backstage's location endpoints under {@code /api/catalog}: register (or dry-run), list, read,
 * analyze and remove locations through the {@link AuthorizedCatalog}.
 */
@RestController
@RequestMapping(BackstageErrors.BASE_PATH)
public class CatalogLocationsController implements CatalogLocationsApi {

    private static final Set<String> TYPES = Set.of(LocationSpec.URL, LocationSpec.FILE);
    private static final String DEFAULT_CATALOG_FILENAME = "catalog-info.yaml";

    private final AuthorizedCatalog catalog;

    public CatalogLocationsController(AuthorizedCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public ResponseEntity<CreateLocationResponse> createLocation(Boolean dryRun, String onConflict,
                                                                 LocationInput input) {
        LocationSpec spec = spec(input);
        if (onConflict != null && !onConflict.equals("reject") && !onConflict.equals("refresh")) {
            throw new InvalidInputException("onConflict must be reject or refresh, got '" + onConflict + "'");
        }
        if (Boolean.TRUE.equals(dryRun)) {
            return ResponseEntity.status(HttpStatus.CREATED).body(dryRun(spec));
        }
        Catalog.Registration registration = catalog.register(spec, "refresh".equals(onConflict));
        // Backstage answers before ingesting, so its answer never lists entities; neither does Portal's.
        // Its status says what went wrong, in the location or the ones it names.
        return ResponseEntity.status(HttpStatus.CREATED).body(new CreateLocationResponse(
                CatalogWire.location(registration.location(), registration.errors()), List.of()));
    }

    private CreateLocationResponse dryRun(LocationSpec spec) {
        LocationProcessor.Preview preview = catalog.preview(spec);
        if (!preview.problems().isEmpty()) {
            throw new InvalidInputException("Processing " + spec.ref() + " failed: "
                    + String.join("; ", preview.problems().subList(0, Math.min(5, preview.problems().size())))
                    + (preview.problems().size() > 5 ? "; and " + (preview.problems().size() - 5) + " more" : ""));
        }
        List<EntityJson> entities = new ArrayList<>();
        entities.add(EntityJson.of(CatalogWire.locationEntity(spec, spec)));
        for (ProcessedEntity processed : preview.entities()) {
            ObjectNode json = CatalogWire.withNamespace(processed.entity());
            ObjectNode metadata = (ObjectNode) json.get("metadata");
            ObjectNode annotations = metadata.get("annotations") instanceof ObjectNode existing
                    ? existing : metadata.putObject("annotations");
            annotations.put(Entity.MANAGED_BY_LOCATION, spec.ref());
            annotations.put(Entity.MANAGED_BY_ORIGIN_LOCATION, spec.ref());
            entities.add(EntityJson.of(CatalogWire.withRelations(json, processed.relations().stream()
                    .filter(relation -> relation.source().equals(processed.entity().ref())).toList())));
        }
        Location location = new Location(spec.ref(), spec.type(), spec.target())
                .entityRef(CatalogWire.locationEntityRef(spec).canonical());
        return new CreateLocationResponse(location, entities).exists(catalog.location(spec).isPresent());
    }

    @Override
    public ResponseEntity<List<LocationEnvelope>> getLocations() {
        Map<UUID, List<ProcessingError>> errors = catalog.locationErrors();
        return ResponseEntity.ok(catalog.locations().stream()
                .map(location -> new LocationEnvelope(CatalogWire.location(location,
                        errors.getOrDefault(location.id(), List.of())))).toList());
    }

    @Override
    public ResponseEntity<Location> getLocation(String id) {
        return CatalogEntitiesController.uuid(id).flatMap(catalog::location)
                .map(location -> ResponseEntity.ok(CatalogWire.location(location, catalog.locationErrors(location.id()))))
                .orElseThrow(() -> new NotFoundException("No location with id '" + id + "'"));
    }

    @Override
    public ResponseEntity<Void> deleteLocation(String id) {
        if (!CatalogEntitiesController.uuid(id).map(catalog::removeLocation).orElse(false)) {
            throw new NotFoundException("No location with id '" + id + "'");
        }
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<Location> getLocationByEntity(String kind, String namespace, String name) {
        StoredEntity entity = CatalogEntitiesController.byName(catalog.entities(), kind, namespace, name);
        String origin = entity.entity().annotation(Entity.MANAGED_BY_ORIGIN_LOCATION)
                .or(() -> entity.entity().annotation(Entity.MANAGED_BY_LOCATION))
                .orElseThrow(() -> new NotFoundException(entity.ref() + " has no origin location"));
        int colon = origin.indexOf(':');
        return (colon > 0 ? catalog.location(new LocationSpec(origin.substring(0, colon), origin.substring(colon + 1)))
                : java.util.Optional.<dev.portal.catalog.model.Location>empty())
                .map(location -> ResponseEntity.ok(CatalogWire.location(location, catalog.locationErrors(location.id()))))
                .orElseThrow(() -> new NotFoundException("The origin location " + origin + " of "
                        + entity.ref() + " is not registered"));
    }

    @Override
    public ResponseEntity<AnalyzeLocationResponse> analyzeLocation(AnalyzeLocationRequest request) {
        LocationSpec spec = spec(request.getLocation());
        catalog.checkAnalyzable(spec);
        String filename = request.getCatalogFilename() != null ? request.getCatalogFilename()
                : request.getCatalogFileName() != null ? request.getCatalogFileName() : DEFAULT_CATALOG_FILENAME;
        LocationSpec descriptor = inDirectory(spec, filename);
        boolean registered = catalog.location(descriptor).isPresent();
        List<AnalyzeLocationExistingEntity> existing = new ArrayList<>();
        LocationProcessor.Preview preview = catalog.analyze(descriptor);
        for (ProcessedEntity processed : preview.entities()) {
            if (processed.valid()) {
                existing.add(new AnalyzeLocationExistingEntity(
                        new LocationInput(descriptor.type(), descriptor.target()), registered,
                        EntityJson.of(CatalogWire.withNamespace(processed.entity()))));
            }
        }
        // Suggesting entities for a repository without descriptors is not implemented.
        AnalyzeLocationResponse response = new AnalyzeLocationResponse(existing, List.of());
        if (!preview.problems().isEmpty()) {
            response.problems(preview.problems());
        }
        return ResponseEntity.ok(response);
    }

    /** A {@code file} target that is a directory means the catalog file inside it. */
    private static LocationSpec inDirectory(LocationSpec spec, String filename) {
        if (!spec.type().equals(LocationSpec.FILE)) {
            return spec;
        }
        try {
            Path path = Path.of(spec.target());
            return path.isAbsolute() && Files.isDirectory(path)
                    ? new LocationSpec(LocationSpec.FILE, path.resolve(filename).normalize().toString()) : spec;
        } catch (InvalidPathException e) {
            throw new InvalidInputException("'" + spec.target() + "' is not a valid path");
        }
    }

    private static LocationSpec spec(LocationInput input) {
        if (input == null || input.getType() == null || input.getTarget() == null || input.getTarget().isBlank()) {
            throw new InvalidInputException("a location needs a type (url or file) and a target");
        }
        if (!TYPES.contains(input.getType())) {
            throw new InvalidInputException("location type '" + input.getType() + "' is not supported; use url or file");
        }
        return new LocationSpec(input.getType(), input.getTarget());
    }
}
