package dev.portal.ui.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.approval.Decision;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.scaffolder.run.Run;
import dev.portal.ui.Link;
import dev.portal.ui.UiPaths;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where catalog objects become the view records the templates show. Templates get
 * strings, links and lists, never entity JSON; every URL that comes from an entity passes
 * {@link #safeHref(String)} before it becomes a link.
 */
public final class CatalogViews {

    /** Annotation naming where an entity's source lives, {@code url:<address>}. */
    static final String SOURCE_LOCATION = "backstage.io/source-location";

    private static final int MAX_DESCRIPTION = 180;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private final UiPaths paths;

    public CatalogViews(UiPaths paths) {
        this.paths = paths;
    }

    // --- small pieces

    /** A ref as people read it: {@code name}, or {@code namespace/name} outside the default namespace. */
    public static String shortRef(EntityRef ref) {
        return ref.namespace().equalsIgnoreCase(EntityRef.DEFAULT_NAMESPACE) ? ref.name()
                : ref.namespace() + "/" + ref.name();
    }

    /** An entity's title, else its name. */
    public static String title(Entity entity) {
        JsonNode title = entity.metadata().path("title");
        return title.isTextual() && !title.asText().isBlank() ? title.asText() : entity.name();
    }

    /** The user's display name from their profile, else {@code fallback}. */
    static String displayName(Entity entity, String fallback) {
        JsonNode name = entity.spec().path("profile").path("displayName");
        return name.isTextual() && !name.asText().isBlank() ? name.asText() : fallback;
    }

    /**
     * The URL as a link target when it is a web or mail address; {@code null} for anything else
     * ({@code javascript:}, {@code data:}, relative paths), which pages then show as text.
     */
    public static String safeHref(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return switch (scheme) {
                case "http", "https" -> uri.getHost() == null ? null : uri.toString();
                case "mailto" -> uri.toString();
                default -> null;
            };
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    public Link link(EntityRef ref, Optional<StoredEntity> entity) {
        return new Link(paths.entity(ref), entity.map(stored -> title(stored.entity())).orElse(shortRef(ref)));
    }

    public RefView ref(EntityRef ref, Optional<StoredEntity> entity) {
        return new RefView(paths.entity(ref),
                entity.map(stored -> displayName(stored.entity(), title(stored.entity()))).orElse(shortRef(ref)),
                entity.map(stored -> stored.entity().kind()).orElse(capitalized(ref.kind())),
                entity.map(stored -> text(stored.entity().metadata().path("description"))).map(CatalogViews::shorten)
                        .orElse(null),
                entity.isPresent());
    }

    public EntityRow row(StoredEntity stored) {
        Entity entity = stored.entity();
        String title = title(entity);
        Link owner = stored.relations().stream().filter(relation -> RelationType.OWNED_BY.equals(relation.type()))
                .findFirst().map(relation -> new Link(paths.entity(relation.target()), shortRef(relation.target())))
                .orElse(null);
        return new EntityRow(paths.entity(stored.ref()), title, title.equals(entity.name()) ? null : entity.name(),
                entity.kind(), text(entity.spec().path("type")), owner, text(entity.spec().path("lifecycle")),
                shorten(text(entity.metadata().path("description"))), strings(entity.metadata().path("tags")));
    }

    // --- the entity page

    /**
     * @param related every entity the page's relations point at that the catalog has, by ref
     * @param errors the problems recorded against the entity
     * @param dangling its relations whose target the catalog does not have
     * @param provenance the run that created it, or {@code null}
     * @param jsonHref the entity in the REST API
     */
    public EntityDetailPage entityPage(dev.portal.ui.UiShell shell, StoredEntity stored, Map<EntityRef, StoredEntity> related,
                                 List<ProcessingError> errors, List<Relation> dangling,
                                 EntityDetailPage.ProvenanceView provenance, String jsonHref) {
        Entity entity = stored.entity();
        JsonNode spec = entity.spec();
        List<EntityDetailPage.Fact> about = new ArrayList<>();
        for (String type : List.of(RelationType.OWNED_BY, RelationType.PART_OF)) {
            stored.relations().stream().filter(relation -> type.equals(relation.type())).forEach(relation -> {
                Optional<StoredEntity> target = Optional.ofNullable(related.get(relation.target()));
                about.add(new EntityDetailPage.Fact(factLabel(type, relation.target()),
                        target.map(t -> title(t.entity())).orElse(shortRef(relation.target())),
                        paths.entity(relation.target()), false));
            });
        }
        if (entity.ref().isKind("user")) {
            fact(about, "Name", displayName(entity, null), null);
            String email = text(spec.path("profile").path("email"));
            fact(about, "Email", email, email == null ? null : safeHref("mailto:" + email));
        }
        fact(about, "Type", text(spec.path("type")), null);
        fact(about, "Lifecycle", text(spec.path("lifecycle")), null);
        fact(about, "Namespace", entity.namespace(), null);
        entity.annotation(SOURCE_LOCATION).ifPresent(source -> about.add(location("Source", source)));
        entity.annotation(Entity.MANAGED_BY_LOCATION).ifPresent(location -> about.add(location("Defined in", location)));

        List<Link> links = new ArrayList<>();
        for (JsonNode link : entity.metadata().path("links")) {
            String url = text(link.path("url"));
            String href = safeHref(url);
            if (href != null) {
                String linkTitle = text(link.path("title"));
                links.add(new Link(href, linkTitle == null ? url : linkTitle));
            }
        }

        List<EntityDetailPage.Warning> warnings = new ArrayList<>();
        for (ProcessingError error : errors) {
            warnings.add(new EntityDetailPage.Warning("Processing error" + (error.occurredAt() == null ? ""
                    : " (" + when(error.occurredAt()) + ")"), error.message()));
        }
        for (Relation relation : dangling) {
            warnings.add(new EntityDetailPage.Warning("Missing " + relation.target().kind().toLowerCase(Locale.ROOT),
                    RelationsGraph.phrase(relation.type()) + " " + relation.target().canonical()
                            + ", which is not in the catalog."));
        }
        if (stored.orphan()) {
            warnings.add(new EntityDetailPage.Warning("Orphan", "The location this entity came from no longer"
                    + " contains it. It stays in the catalog until somebody removes it."));
        }

        Map<String, List<RefView>> groups = new LinkedHashMap<>();
        for (Relation relation : stored.relations()) {
            groups.computeIfAbsent(relation.type(), type -> new ArrayList<>())
                    .add(ref(relation.target(), Optional.ofNullable(related.get(relation.target()))));
        }
        List<EntityDetailPage.RelationGroup> relations = new ArrayList<>();
        groups.forEach((type, targets) -> relations.add(new EntityDetailPage.RelationGroup(relationHeading(type), targets)));

        GraphView graph = RelationsGraph.layout(stored, ref -> Optional.ofNullable(related.get(ref)),
                new RelationsGraph.Labels() {
                    @Override
                    public String label(EntityRef ref) {
                        StoredEntity known = ref.equals(stored.ref()) ? stored : related.get(ref);
                        return known == null ? shortRef(ref) : title(known.entity());
                    }

                    @Override
                    public String kind(EntityRef ref) {
                        StoredEntity known = ref.equals(stored.ref()) ? stored : related.get(ref);
                        return known == null ? capitalized(ref.kind()) : known.entity().kind();
                    }

                    @Override
                    public String href(EntityRef ref) {
                        return paths.entity(ref);
                    }
                });

        List<Link> tags = strings(entity.metadata().path("tags")).stream().map(tag -> new Link(paths.catalog(
                CatalogSearch.everything().toggled(CatalogSearch.Facet.TAG, tag)), tag)).toList();
        return new EntityDetailPage(shell, entity.kind(), paths.catalog(CatalogSearch.everything()
                .toggled(CatalogSearch.Facet.KIND, entity.kind())), title(entity), stored.ref().canonical(),
                text(entity.metadata().path("description")), stored.orphan(), tags,
                about, links, warnings, sections(stored, related), relations, graph,
                entity.ref().isKind("api") ? ApiDefinitions.of(spec) : null, provenance, jsonHref);
    }

    /** The lists a kind's page leads with: a group's people and teams, a system's parts, what a user owns. */
    private List<EntityDetailPage.Section> sections(StoredEntity stored, Map<EntityRef, StoredEntity> related) {
        List<EntityDetailPage.Section> sections = new ArrayList<>();
        EntityRef self = stored.ref();
        if (self.isKind("group")) {
            sections.add(section(stored, related, "Members", RelationType.HAS_MEMBER, "No members."));
            sections.add(section(stored, related, "Parent group", RelationType.CHILD_OF, "A top-level group."));
            sections.add(section(stored, related, "Child groups", RelationType.PARENT_OF, "No child groups."));
            sections.add(section(stored, related, "Owns", RelationType.OWNER_OF, "Owns nothing in the catalog yet."));
        } else if (self.isKind("user")) {
            sections.add(section(stored, related, "Groups", RelationType.MEMBER_OF, "Not in any group."));
            sections.add(section(stored, related, "Owns", RelationType.OWNER_OF, "Owns nothing in the catalog."));
        } else if (self.isKind("system") || self.isKind("domain")) {
            sections.add(section(stored, related, self.isKind("domain") ? "Systems" : "Parts", RelationType.HAS_PART,
                    "Nothing is part of it yet."));
        }
        return sections;
    }

    private EntityDetailPage.Section section(StoredEntity stored, Map<EntityRef, StoredEntity> related, String title,
                                       String type, String emptyText) {
        List<RefView> items = stored.relations().stream().filter(relation -> type.equals(relation.type()))
                .map(relation -> ref(relation.target(), Optional.ofNullable(related.get(relation.target()))))
                .toList();
        return new EntityDetailPage.Section(title, items, emptyText);
    }

    /** Who made an entity: the run, its template, its requester, and the approvals it went through. */
    public EntityDetailPage.ProvenanceView provenance(Run run, List<Decision> decisions) {
        EntityRef template = EntityRef.parse(run.templateRef(), "template", EntityRef.DEFAULT_NAMESPACE);
        List<EntityDetailPage.ApprovalView> approvals = decisions.stream().map(decision -> new EntityDetailPage.ApprovalView(
                person(decision.approver()), decision.approved(), decision.comment().orElse(null),
                when(decision.decidedAt()))).toList();
        return new EntityDetailPage.ProvenanceView(true, run.id().toString(), new Link(paths.entity(template), shortRef(template)),
                run.templateVersion(), person(run.requester()), run.status().wireName(), when(run.createdAt()), approvals);
    }

    /** A run made the entity, but the caller may not see its details. */
    public EntityDetailPage.ProvenanceView provenanceHidden() {
        return new EntityDetailPage.ProvenanceView(false, null, null, null, null, null, null, List.of());
    }

    private Link person(String userRef) {
        try {
            EntityRef ref = EntityRef.parse(userRef, "user", EntityRef.DEFAULT_NAMESPACE);
            return new Link(paths.entity(ref), shortRef(ref));
        } catch (IllegalArgumentException e) {
            return new Link(null, userRef);
        }
    }

    private static EntityDetailPage.Fact location(String label, String locationRef) {
        // url:https://git.example.com/... is a link; file:/srv/... is a path on the server, shown as text
        String target = locationRef.startsWith("url:") ? locationRef.substring(4) : null;
        return new EntityDetailPage.Fact(label, locationRef.startsWith("file:") ? locationRef.substring(5)
                : target != null ? target : locationRef, safeHref(target), true);
    }

    private static void fact(List<EntityDetailPage.Fact> facts, String label, String value, String href) {
        if (value != null && !value.isBlank()) {
            facts.add(new EntityDetailPage.Fact(label, value, href, false));
        }
    }

    private static String factLabel(String type, EntityRef target) {
        return switch (type) {
            case RelationType.OWNED_BY -> "Owner";
            default -> capitalized(target.kind());
        };
    }

    /** A relation group's heading, e.g. "Provides API" for {@code providesApi}. */
    static String relationHeading(String type) {
        String phrase = RelationsGraph.phrase(type);
        return Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1);
    }

    static String capitalized(String kind) {
        return kind.isEmpty() ? kind : Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    static String when(OffsetDateTime time) {
        return time == null ? null : WHEN.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.isValueNode() && !item.isNull()) {
                values.add(item.asText());
            }
        }
        return values;
    }

    private static String shorten(String text) {
        if (text == null || text.length() <= MAX_DESCRIPTION) {
            return text;
        }
        return text.substring(0, MAX_DESCRIPTION - 1).strip() + "…";
    }
}
