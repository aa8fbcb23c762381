package dev.portal.catalog.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Problem;
import dev.portal.catalog.model.Relation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

class RelationDeriverTests {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final RelationDeriver deriver = new RelationDeriver();

    /** Each field of each kind, with a ref that names no kind or namespace, and the relation it yields. */
    @ParameterizedTest(name = "{0}.spec.{1}: {2} -> {3} {4}")
    @CsvSource(delimiter = '|', value = {
            "Component | owner          | team-a     | ownedBy       | group:ns/team-a",
            "Component | system         | portal     | partOf        | system:ns/portal",
            "Component | subcomponentOf | web        | partOf        | component:ns/web",
            "Component | providesApis   | orders-api | providesApi   | api:ns/orders-api",
            "Component | consumesApis   | orders-api | consumesApi   | api:ns/orders-api",
            "Component | dependsOn      | resource:db| dependsOn     | resource:ns/db",
            "Component | dependencyOf   | component:x| dependencyOf  | component:ns/x",
            "API       | owner          | team-a     | ownedBy       | group:ns/team-a",
            "API       | system         | portal     | partOf        | system:ns/portal",
            "Resource  | owner          | team-a     | ownedBy       | group:ns/team-a",
            "Resource  | system         | portal     | partOf        | system:ns/portal",
            "Resource  | dependsOn      | resource:db| dependsOn     | resource:ns/db",
            "Resource  | dependencyOf   | component:x| dependencyOf  | component:ns/x",
            "System    | owner          | team-a     | ownedBy       | group:ns/team-a",
            "System    | domain         | artists    | partOf        | domain:ns/artists",
            "Domain    | owner          | team-a     | ownedBy       | group:ns/team-a",
            "Domain    | subdomainOf    | music      | partOf        | domain:ns/music",
            "Template  | owner          | team-a     | ownedBy       | group:ns/team-a",
            "User      | memberOf       | team-a     | memberOf      | group:ns/team-a",
            "Group     | parent         | infra      | childOf       | group:ns/infra",
            "Group     | children       | backend    | parentOf      | group:ns/backend",
            "Group     | members        | jdoe       | hasMember     | user:ns/jdoe"})
    void derivesEachRelationInBothDirectionsWithTheFieldsDefaults(String kind, String field, String ref, String type,
            String target) {
        Entity entity = entity(kind, "ns", "self", field, ref);
        EntityRef self = entity.ref();
        EntityRef expected = EntityRef.parse(target);

        RelationDeriver.Derivation derivation = deriver.derive(entity);

        assertThat(derivation.problems()).isEmpty();
        assertThat(derivation.relations()).containsExactly(
                new Relation(self, type, expected),
                new Relation(expected, dev.portal.catalog.model.RelationType.reverseOf(type), self));
    }

    @Test
    void namesTheReverseRelationTypes() {
        Entity component = entity("Component", "default", "web", "owner", "team-a");

        assertThat(deriver.derive(component).relations()).extracting(Relation::type).containsExactly("ownedBy", "ownerOf");
    }

    @Test
    void followsRefsIntoOtherNamespaces() {
        Entity component = entity("Component", "default", "web", "owner", "group:platform/team-a");
        Entity other = entity("Component", "default", "web", "owner", "platform/team-a");

        assertThat(deriver.derive(component).relations().getFirst().target())
                .isEqualTo(EntityRef.of("Group", "platform", "team-a"));
        assertThat(deriver.derive(other).relations().getFirst().target())
                .isEqualTo(EntityRef.of("Group", "platform", "team-a"));
    }

    @Test
    void usesAnExplicitKindOverTheFieldsDefault() {
        Entity component = entity("Component", "default", "web", "owner", "user:jdoe");

        assertThat(deriver.derive(component).relations().getFirst().target()).isEqualTo(EntityRef.of("User", "default", "jdoe"));
    }

    @Test
    void matchesRefsInAnyCaseAndDropsDuplicates() {
        Entity component = entity("Component", "default", "web", "dependsOn",
                "[Resource:Default/DB, resource:default/db, resource:db]");

        RelationDeriver.Derivation derivation = deriver.derive(component);

        assertThat(derivation.relations()).hasSize(2);
        assertThat(derivation.relations().getFirst().target().canonical()).isEqualTo("resource:default/db");
    }

    @Test
    void derivesEveryItemOfAListField() {
        Entity group = entity("Group", "default", "team-a", "members", "[jdoe, jroe]");

        assertThat(deriver.derive(group).relations()).extracting(relation -> relation.target().canonical())
                .containsExactly("user:default/jdoe", "group:default/team-a", "user:default/jroe", "group:default/team-a");
    }

    @Test
    void reportsADependencyWithoutKindWithItsFieldPath() {
        Entity component = entity("Component", "default", "web", "dependsOn", "[resource:db, db]");

        RelationDeriver.Derivation derivation = deriver.derive(component);

        assertThat(derivation.relations()).hasSize(2);
        assertThat(derivation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.subject()).isEqualTo("component:default/web");
            assertThat(problem.field()).isEqualTo("spec.dependsOn[1]");
            assertThat(problem.message()).contains("'db'").contains("must name a kind");
        });
    }

    @Test
    void reportsARefWithTooManySeparators() {
        Entity component = entity("Component", "default", "web", "owner", "a:b:c");

        assertThat(deriver.derive(component).problems()).extracting(Problem::field, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spec.owner",
                        "'a:b:c' is not a valid entity ref: too many ':' or '/' separators"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not a valid ref!! | name 'not a valid ref!!' must be 1-63 characters",
            "Bad_NS/team-a     | namespace 'Bad_NS' must be 1-63 characters of [a-z0-9]",
            "gr0up-!:team-a    | kind 'gr0up-!' must be letters and digits"})
    void reportsARefWhosePartsCanNeverNameAnEntity(String ref, String rule) {
        Entity component = entity("Component", "default", "web", "owner", "'" + ref + "'");

        RelationDeriver.Derivation derivation = deriver.derive(component);

        assertThat(derivation.relations()).isEmpty();
        assertThat(derivation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("spec.owner");
            assertThat(problem.message()).contains("can never name an entity").contains(rule);
        });
    }

    @Test
    void reportsARefThatIsNotAString() {
        Entity user = entity("User", "default", "jdoe", "memberOf", "[team-a, {name: x}]");

        assertThat(deriver.derive(user).problems()).extracting(Problem::field).containsExactly("spec.memberOf[1]");
    }

    @Test
    void ignoresFieldsThatDoNotBelongToTheKind() {
        Entity api = entity("API", "default", "orders-api", "dependsOn", "[resource:db]");

        assertThat(deriver.derive(api).relations()).isEmpty();
    }

    @Test
    void derivesNothingForLocations() {
        Entity location = entity("Location", "default", "org", "target", "./teams.yaml");

        assertThat(deriver.derive(location)).isEqualTo(new RelationDeriver.Derivation(java.util.List.of(), java.util.List.of()));
    }

    private static Entity entity(String kind, String namespace, String name, String field, String value) {
        try {
            ObjectNode json = (ObjectNode) YAML.readTree("""
                    apiVersion: backstage.io/v1alpha1
                    kind: %s
                    metadata: {name: %s, namespace: %s}
                    """.formatted(kind, name, namespace));
            json.putObject("spec").set(field, YAML.readTree("v: " + value).get("v"));
            return Entity.of(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
