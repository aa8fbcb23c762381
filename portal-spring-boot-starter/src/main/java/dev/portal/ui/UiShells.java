package dev.portal.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.CatalogPermission;
import dev.portal.web.CatalogResource;
import dev.portal.web.PortalCaller;
import dev.portal.web.PortalIdentityResolver;
import jakarta.servlet.http.HttpServletRequest;

import java.util.List;
import java.util.Optional;

/**
 * Builds the frame of a page ({@link UiShell}) for the current request: who is signed in and in
 * which groups (from their catalog User entity), the host's CSRF token, the UI's paths and assets.
 */
public class UiShells {

    private final String appTitle;
    private final String uiPath;
    private final String signInPath;
    private final String signOutPath;
    private final UiAssets assets;
    private final PortalIdentityResolver identity;
    private final AuthorizedCatalog catalog;
    private final UiCsrf csrf;
    private final java.util.function.ToIntFunction<EntityRef> openApprovals;

    /**
     * @param uiPath the UI's path below the context path, e.g. {@code /portal}
     */
    public UiShells(String appTitle, String uiPath, String signInPath, String signOutPath, UiAssets assets,
                    PortalIdentityResolver identity, AuthorizedCatalog catalog, UiCsrf csrf) {
        this(appTitle, uiPath, signInPath, signOutPath, assets, identity, catalog, csrf, user -> 0);
    }

    /**
     * @param openApprovals how many approval tasks a user may decide, for the header's badge
     */
    public UiShells(String appTitle, String uiPath, String signInPath, String signOutPath, UiAssets assets,
                    PortalIdentityResolver identity, AuthorizedCatalog catalog, UiCsrf csrf,
                    java.util.function.ToIntFunction<EntityRef> openApprovals) {
        this.openApprovals = openApprovals;
        this.appTitle = appTitle;
        this.uiPath = uiPath;
        this.signInPath = signInPath;
        this.signOutPath = signOutPath;
        this.assets = assets;
        this.identity = identity;
        this.catalog = catalog;
        this.csrf = csrf;
    }

    public UiPaths paths(HttpServletRequest request) {
        return new UiPaths(request.getContextPath() + uiPath);
    }

    public PortalCaller caller() {
        return identity.currentCaller();
    }

    /** The frame of a page titled {@code title} in the navigation {@code section}. */
    public UiShell shell(HttpServletRequest request, String title, String section) {
        UiPaths paths = paths(request);
        PortalCaller caller = identity.currentCaller();
        return new UiShell(appTitle, title, section, "", paths,
                paths.asset(assets.path(UiAssets.STYLESHEET)), paths.asset(assets.path(UiAssets.HTMX)),
                caller.user().map(user -> signedIn(user, paths)).orElse(null),
                request.getContextPath() + signInPath, request.getContextPath() + signOutPath,
                csrf.token(request).orElse(null), paths.asset(assets.path(UiAssets.SCRIPT)),
                new UiShell.Vendor(paths.asset(assets.path(UiAssets.BPMN_SCRIPT)), paths.asset(assets.path(UiAssets.BPMN_STYLES)),
                        paths.asset(assets.path(UiAssets.DIAGRAM_STYLES)), paths.asset(assets.path(UiAssets.FORM_SCRIPT)),
                        paths.asset(assets.path(UiAssets.FORM_STYLES))),
                caller.user().map(openApprovals::applyAsInt).orElse(0));
    }

    private UiShell.SignedIn signedIn(EntityRef user, UiPaths paths) {
        // The user's own entity, if the caller may read the catalog at all: its display name and groups.
        Optional<StoredEntity> entity = catalog.isAllowed(CatalogPermission.ENTITY_READ, CatalogResource.of(user.canonical()))
                ? catalog.entities().byRef(user) : Optional.empty();
        if (entity.isEmpty()) {
            return new UiShell.SignedIn(user.name(), user.name(), null, List.of(), List.of());
        }
        JsonNode displayName = entity.get().entity().spec().path("profile").path("displayName");
        List<EntityRef> groups = entity.get().relations().stream()
                .filter(relation -> RelationType.MEMBER_OF.equals(relation.type()))
                .map(Relation::target)
                .toList();
        return new UiShell.SignedIn(user.name(), displayName.isTextual() && !displayName.asText().isBlank()
                ? displayName.asText() : user.name(), paths.entity(user),
                groups.stream().map(group -> new Link(paths.entity(group), group.name())).toList(),
                groups.stream().map(EntityRef::canonical).toList());
    }
}
