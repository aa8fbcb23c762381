package dev.portal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.InvalidEntityRefException;
import dev.portal.catalog.model.Problem;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Derives the relations of the built-in kinds from their {@code spec} fields, as Backstage's
 * {@code BuiltinKindsEntityProcessor} does: {@code spec.owner} of a Component becomes
 * {@code ownedBy} from the component and {@code ownerOf} back to it, and so on for every field in
 * {@link #RULES}. Refs in these fields may leave out the kind (each field has its default, e.g.
 * {@code Group} for {@code owner}; {@code dependsOn} and {@code dependencyOf} have none) and the
 * namespace (the entity's own). Any case is accepted; refs compare case-insensitively.
 *
 * <p>A ref that does not parse becomes a {@link Problem} naming the field, e.g.
 * {@code spec.dependsOn[1]}, never an exception. Stateless and thread-safe.
 */
public final class RelationDeriver {

    /**
     * One spec field that points at other entities.
     *
     * @param field the field under {@code spec}
     * @param defaultKind the kind of refs that name none, or {@code null} when refs must name it
     * @param type the relation from the entity to the target
     */
    record Rule(String field, String defaultKind, String type) {
    }

    private static final Rule OWNER = new Rule("owner", "Group", RelationType.OWNED_BY);
    private static final Rule SYSTEM = new Rule("system", "System", RelationType.PART_OF);
    private static final Rule DEPENDS_ON = new Rule("dependsOn", null, RelationType.DEPENDS_ON);
    private static final Rule DEPENDENCY_OF = new Rule("dependencyOf", null, RelationType.DEPENDENCY_OF);

    /** The rules per kind, keyed by lower-case kind. */
    static final Map<String, List<Rule>> RULES = Map.of(
            "component", List.of(OWNER, SYSTEM,
                    new Rule("subcomponentOf", "Component", RelationType.PART_OF),
                    new Rule("providesApis", "API", RelationType.PROVIDES_API),
                    new Rule("consumesApis", "API", RelationType.CONSUMES_API),
                    DEPENDS_ON, DEPENDENCY_OF),
            "api", List.of(OWNER, SYSTEM),
            "resource", List.of(OWNER, SYSTEM, DEPENDS_ON, DEPENDENCY_OF),
            "system", List.of(OWNER, new Rule("domain", "Domain", RelationType.PART_OF)),
            "domain", List.of(OWNER, new Rule("subdomainOf", "Domain", RelationType.PART_OF)),
            "user", List.of(new Rule("memberOf", "Group", RelationType.MEMBER_OF)),
            "group", List.of(
                    new Rule("parent", "Group", RelationType.CHILD_OF),
                    new Rule("children", "Group", RelationType.PARENT_OF),
                    new Rule("members", "User", RelationType.HAS_MEMBER)),
            "template", List.of(OWNER));

    /**
     * What an entity's spec says about other entities.
     *
     * @param relations each relation in both directions, without duplicates, in field order
     * @param problems refs that could not be read
     */
    public record Derivation(List<Relation> relations, List<Problem> problems) {

        public Derivation {
            relations = List.copyOf(relations);
            problems = List.copyOf(problems);
        }
    }

    /** The relations of one entity; kinds without built-in relations get none. */
    public Derivation derive(Entity entity) {
        EntityRef self = entity.ref();
        Set<Relation> relations = new LinkedHashSet<>();
        List<Problem> problems = new ArrayList<>();
        for (Rule rule : RULES.getOrDefault(entity.kind().toLowerCase(Locale.ROOT), List.of())) {
            JsonNode value = entity.spec().get(rule.field());
            String path = "spec." + rule.field();
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    relate(self, rule, value.get(i), path + "[" + i + "]", entity.namespace(), relations, problems);
                }
            } else {
                relate(self, rule, value, path, entity.namespace(), relations, problems);
            }
        }
        return new Derivation(new ArrayList<>(relations), problems);
    }

    private static void relate(EntityRef self, Rule rule, JsonNode value, String path, String namespace,
            Set<Relation> relations, List<Problem> problems) {
        if (!value.isTextual()) {
            problems.add(new Problem(self.canonical(), path,
                    "must be an entity ref string, not " + EntityValidator.describe(value)));
            return;
        }
        try {
            EntityRef target = EntityRef.parse(value.asText(), rule.defaultKind(), namespace);
            String invalid = EntityValidator.refPartsProblem(target);
            if (invalid != null) {
                problems.add(new Problem(self.canonical(), path, EntityValidator.quote(value.asText())
                        + " can never name an entity: " + invalid));
                return;
            }
            relations.add(new Relation(self, rule.type(), target));
            relations.add(new Relation(target, RelationType.reverseOf(rule.type()), self));
        } catch (InvalidEntityRefException e) {
            problems.add(new Problem(self.canonical(), path, e.getMessage()));
        }
    }
}
