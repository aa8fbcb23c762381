package dev.portal.ui.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.Problem;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.orchestration.LocationProcessor;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShell;
import dev.portal.ui.UiShells;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.CatalogPermission;
import dev.portal.web.CatalogResource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Registering an existing {@code catalog-info.yaml} by URL or path: the form, a preview (a dry
 * run through {@link AuthorizedCatalog#preview}, nothing stored), then the registration itself.
 * The catalog's permission policy and location fence decide, as for the REST API: a caller who may
 * not register gets the 403 page, an anonymous one the sign-in page.
 */
@Controller
public class RegisterController {

    /** A registration through the page, before anything is read: what the policy is asked first. */
    private static final CatalogResource REGISTRATION = new CatalogResource(null, Location.Origin.API, Set.of());

    static final int MAX_TARGET_LENGTH = 2048;

    private final AuthorizedCatalog catalog;
    private final UiShells shells;
    private final UiPages pages;

    public RegisterController(AuthorizedCatalog catalog, UiShells shells, UiPages pages) {
        this.catalog = catalog;
        this.shells = shells;
        this.pages = pages;
    }

    @GetMapping("${portal.ui.path:/portal}/register")
    ResponseEntity<String> form(HttpServletRequest request) {
        catalog.checkAllowed(CatalogPermission.LOCATION_CREATE, REGISTRATION);
        return pages.ok("catalog/register.jte", new RegisterPage(shell(request), "url", "", null, null, null));
    }

    @PostMapping("${portal.ui.path:/portal}/register/preview")
    ResponseEntity<String> preview(@RequestParam(defaultValue = "") String type,
                                   @RequestParam(defaultValue = "") String target, HttpServletRequest request) {
        catalog.checkAllowed(CatalogPermission.LOCATION_CREATE, REGISTRATION);
        UiShell shell = shell(request);
        LocationSpec spec;
        LocationProcessor.Preview preview;
        try {
            spec = spec(type, target);
            preview = catalog.preview(spec);
        } catch (RuntimeException e) {
            return refused(e, shell, type, target);
        }
        return pages.ok("catalog/register.jte", new RegisterPage(shell, spec.type(), spec.target(), null,
                preview(preview, shell), null));
    }

    @PostMapping("${portal.ui.path:/portal}/register")
    ResponseEntity<String> register(@RequestParam(defaultValue = "") String type,
                                    @RequestParam(defaultValue = "") String target, HttpServletRequest request) {
        catalog.checkAllowed(CatalogPermission.LOCATION_CREATE, REGISTRATION);
        UiShell shell = shell(request);
        LocationSpec spec;
        Catalog.Registration registration;
        try {
            spec = spec(type, target);
            // Registering what is registered reads it again: the preview said so on its button.
            registration = catalog.register(spec, true);
        } catch (RuntimeException e) {
            return refused(e, shell, type, target);
        }
        CatalogViews views = new CatalogViews(shell.paths());
        List<EntityRef> stored = registration.entities();
        List<Optional<StoredEntity>> found = stored.isEmpty() ? List.of()
                : catalog.entities().byRefs(stored, EntityFilter.everything());
        List<RefView> entities = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            entities.add(views.ref(stored.get(i), found.get(i)));
        }
        List<String> errors = registration.errors().stream().map(ProcessingError::message).distinct().toList();
        return pages.ok("catalog/register.jte", new RegisterPage(shell, spec.type(), spec.target(), null, null,
                new RegisterPage.Result(spec.ref(), registration.existed(), entities, errors)));
    }

    private UiShell shell(HttpServletRequest request) {
        return shells.shell(request, "Register an existing component", "catalog");
    }

    private static LocationSpec spec(String type, String target) {
        String kind = type.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals(LocationSpec.URL) && !kind.equals(LocationSpec.FILE)) {
            throw new InvalidInputException("Choose where the file is: a URL in a git repository, or a file on the"
                    + " server.");
        }
        String where = target.trim();
        if (where.isEmpty()) {
            throw new InvalidInputException(kind.equals(LocationSpec.URL)
                    ? "Enter the URL of the catalog-info.yaml file."
                    : "Enter the absolute path of the catalog-info.yaml file.");
        }
        if (where.length() > MAX_TARGET_LENGTH) {
            throw new InvalidInputException("The " + (kind.equals(LocationSpec.URL) ? "URL" : "path")
                    + " is longer than " + MAX_TARGET_LENGTH + " characters.");
        }
        return new LocationSpec(kind, where);
    }

    /**
     * The form again, with why the file cannot be read or registered: input mistakes and the
     * location fence are the person's to fix here, not error pages. Sign-in and permission
     * refusals, and anything unexpected, go to the error pages.
     */
    private ResponseEntity<String> refused(RuntimeException e, UiShell shell, String type, String target) {
        HttpStatus status;
        if (e instanceof AuthenticationRequiredException) {
            throw e;
        } else if (e instanceof InvalidInputException) {
            status = HttpStatus.BAD_REQUEST;
        } else if (e instanceof NotAllowedException) {
            status = HttpStatus.FORBIDDEN;
        } else {
            throw e;
        }
        return pages.page(status, "catalog/register.jte", new RegisterPage(shell,
                type.isBlank() ? "url" : type.trim().toLowerCase(Locale.ROOT), target.trim(), e.getMessage(), null, null));
    }

    private RegisterPage.Preview preview(LocationProcessor.Preview preview, UiShell shell) {
        Set<String> entityProblems = new LinkedHashSet<>();
        List<EntityRef> refs = new ArrayList<>();
        for (ProcessedEntity entity : preview.entities()) {
            entity.problems().forEach(problem -> entityProblems.add(problem.describe()));
            if (entity.valid()) {
                refs.add(entity.entity().ref());
            }
        }
        List<Optional<StoredEntity>> existing = refs.isEmpty() ? List.of()
                : catalog.entities().byRefs(refs, EntityFilter.everything());
        List<RegisterPage.PreviewEntity> entities = new ArrayList<>();
        int valid = 0;
        for (ProcessedEntity entity : preview.entities()) {
            if (entity.valid()) {
                EntityRef ref = entity.entity().ref();
                Optional<StoredEntity> stored = existing.get(refs.indexOf(ref));
                entities.add(new RegisterPage.PreviewEntity(entity.entity().kind(), ref.canonical(),
                        CatalogViews.title(entity.entity()), stored.map(s -> shell.paths().entity(ref)).orElse(null),
                        List.of()));
                valid++;
            } else {
                Problem first = entity.problems().getFirst();
                entities.add(new RegisterPage.PreviewEntity(null, first.subject(), null, null,
                        entity.problems().stream().map(problem -> problem.field() == null ? problem.message()
                                : problem.field() + " " + problem.message()).toList()));
            }
        }
        List<String> fileProblems = preview.problems().stream().filter(problem -> !entityProblems.contains(problem))
                .toList();
        boolean registered = catalog.location(preview.location()).isPresent();
        return new RegisterPage.Preview(preview.location().ref(), entities, fileProblems, valid > 0, registered, valid,
                entities.size() - valid);
    }
}
