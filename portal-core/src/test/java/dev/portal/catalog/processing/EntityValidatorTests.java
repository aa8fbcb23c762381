package dev.portal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.catalog.model.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EntityValidatorTests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String DOCUMENT = "catalog-info.yaml, document 3";

    private final EntityValidator validator = new EntityValidator();

    @ParameterizedTest
    @ValueSource(strings = {"component.yaml", "api.yaml", "resource.yaml", "system.yaml", "domain.yaml",
            "group.yaml", "user.yaml", "location.yaml", "template.yaml"})
    void acceptsAValidEntityOfEveryKind(String fixture) {
        assertThat(validator.validate(fixture(fixture), DOCUMENT)).isEmpty();
    }

    @Test
    void acceptsTheV1beta1ApiVersionForCatalogKinds() {
        assertThat(validate("component.yaml", "apiVersion: backstage.io/v1beta1")).isEmpty();
    }

    @Test
    void namesTheEntityAsSubjectWhenKindAndNameAreReadable() {
        List<Problem> problems = validate("component.yaml", "metadata: {name: Artist-Web, namespace: team-a, tags: [Bad]}");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.subject()).isEqualTo("component:team-a/artist-web");
            assertThat(problem.field()).isEqualTo("metadata.tags[0]");
        });
    }

    @Test
    void namesTheDocumentAsSubjectWhenTheNameIsMissing() {
        List<Problem> problems = validate("component.yaml", "metadata: {title: no name}");

        assertThat(problems).containsExactly(new Problem(DOCUMENT, "metadata.name", "is required"));
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        List<Problem> problems = validate("component.yaml",
                "metadata: {name: 'bad name!', namespace: Team_A, tags: [UPPER]}\nspec: {type: 1, lifecycle: null, owner: null}");

        assertThat(problems).extracting(Problem::field).containsExactlyInAnyOrder(
                "metadata.name", "metadata.namespace", "metadata.tags[0]", "spec.type", "spec.lifecycle", "spec.owner");
    }

    @Test
    void requiresApiVersionAndKind() {
        ObjectNode json = fixture("component.yaml");
        json.remove("apiVersion");
        json.remove("kind");

        assertThat(validator.validate(json, DOCUMENT)).containsExactlyInAnyOrder(
                new Problem(DOCUMENT, "apiVersion", "is required"),
                new Problem(DOCUMENT, "kind", "is required"));
    }

    @Test
    void rejectsAnUnknownApiVersion() {
        assertThat(validate("component.yaml", "apiVersion: example.com/v1")).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("apiVersion");
            assertThat(problem.message()).startsWith("'example.com/v1' is not supported; expected backstage.io/v1alpha1");
        });
    }

    @Test
    void rejectsAKindUnknownToTheApiVersion() {
        assertThat(validate("component.yaml", "kind: Service")).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("kind");
            assertThat(problem.message()).isEqualTo("'Service' is not a kind of backstage.io/v1alpha1; expected one of "
                    + "API, Component, Domain, Group, Location, Resource, System, User");
        });
    }

    @Test
    void rejectsATemplateUnderTheCatalogApiVersion() {
        assertThat(validate("template.yaml", "apiVersion: backstage.io/v1alpha1")).singleElement().satisfies(problem ->
                assertThat(problem.message()).isEqualTo("'Template' needs apiVersion scaffolder.backstage.io/v1beta3, not backstage.io/v1alpha1"));
    }

    @Test
    void rejectsAComponentUnderTheScaffolderApiVersion() {
        assertThat(validate("component.yaml", "apiVersion: scaffolder.backstage.io/v1beta3")).extracting(Problem::message)
                .containsExactly("'Component' needs apiVersion backstage.io/v1alpha1, not scaffolder.backstage.io/v1beta3");
    }

    @Test
    void rejectsUnknownRootFields() {
        assertThat(validate("component.yaml", "specs: {}")).singleElement().satisfies(problem ->
                assertThat(problem.field()).isEqualTo("specs"));
    }

    @Test
    void requiresMetadataToBeAnObject() {
        assertThat(validate("component.yaml", "metadata: [x]")).extracting(Problem::field).containsExactly("metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "artist-web", "Artist_Web.v2", "a1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void acceptsValidNames(String name) {
        assertThat(validate("component.yaml", "metadata: {name: '" + name + "'}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name!", "-leading", "trailing-", "a..b/c", "ünïcode", "", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"})
    void rejectsInvalidNames(String name) {
        List<Problem> problems = validate("component.yaml", "metadata: {name: '" + name + "'}");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("metadata.name");
            assertThat(problem.message()).isEqualTo("'" + name + "' must be 1-63 characters of [a-zA-Z0-9] separated by [-_.]");
        });
    }

    @Test
    void rejectsANameThatIsNotAString() {
        assertThat(validate("component.yaml", "metadata: {name: 42}")).containsExactly(
                new Problem(DOCUMENT, "metadata.name", "must be a string, not a number (42)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "team-a", "a--b", "x1"})
    void acceptsValidNamespaces(String namespace) {
        assertThat(validate("component.yaml", "metadata: {name: x, namespace: '" + namespace + "'}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team-A", "team_a", "-a", "a-", "a.b"})
    void rejectsInvalidNamespaces(String namespace) {
        assertThat(validate("component.yaml", "metadata: {name: x, namespace: '" + namespace + "'}"))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.field()).isEqualTo("metadata.namespace");
                    assertThat(problem.message()).isEqualTo("'" + namespace + "' must be 1-63 characters of [a-z0-9] separated by [-]");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tier               | gold",
            "example.com/tier   | gold_1.x",
            "a.b-c.d/Tier.Name  | ''"})
    void acceptsValidLabels(String key, String value) {
        assertThat(validate("component.yaml", "metadata: {name: x, labels: {'" + key + "': '" + value + "'}}")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Example.com/tier   | gold | key 'Example.com/tier' must be a name",
            "a/b/c              | gold | key 'a/b/c' must be a name",
            "/tier              | gold | key '/tier' must be a name",
            "tier               | has space | 'has space' must be empty or 1-63 characters"})
    void rejectsInvalidLabels(String key, String value, String message) {
        assertThat(validate("component.yaml", "metadata: {name: x, labels: {'" + key + "': '" + value + "'}}"))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.field()).isEqualTo("metadata.labels[" + key + "]");
                    assertThat(problem.message()).startsWith(message);
                });
    }

    @Test
    void rejectsALabelPrefixLongerThan253Characters() {
        String key = ("a".repeat(50) + ".").repeat(6) + "com/tier";

        assertThat(validate("component.yaml", "metadata: {name: x, labels: {'" + key + "': gold}}"))
                .extracting(Problem::field).containsExactly("metadata.labels[" + key + "]");
    }

    @Test
    void acceptsAnnotationValuesOfAnyString() {
        assertThat(validate("component.yaml",
                "metadata: {name: x, annotations: {backstage.io/techdocs-ref: 'dir:.', 'github.com/user-id': '123', note: 'any text!'}}"))
                .isEmpty();
    }

    @Test
    void rejectsAnnotationValuesThatAreNotStrings() {
        assertThat(validate("component.yaml", "metadata: {name: x, annotations: {backstage.io/orphan: true}}"))
                .containsExactly(new Problem("component:default/x", "metadata.annotations[backstage.io/orphan]",
                        "must be a string, not a boolean (true); quote values such as 'true' or '123'"));
    }

    @Test
    void rejectsInvalidAnnotationKeys() {
        assertThat(validate("component.yaml", "metadata: {name: x, annotations: {'bad key': v}}"))
                .extracting(Problem::field).containsExactly("metadata.annotations[bad key]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "c++", "c#", "lang:go", "a-b-c"})
    void acceptsValidTags(String tag) {
        assertThat(validate("component.yaml", "metadata: {name: x, tags: ['" + tag + "']}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Java", "tier_gold", "v1.2", "a--b", "-a", "has space"})
    void rejectsInvalidTags(String tag) {
        assertThat(validate("component.yaml", "metadata: {name: x, tags: [ok, '" + tag + "']}"))
                .containsExactly(new Problem("component:default/x", "metadata.tags[1]",
                        "'" + tag + "' must be 1-63 characters of [a-z0-9:+#] separated by [-]"));
    }

    @Test
    void rejectsTagsLongerThan63Characters() {
        assertThat(validate("component.yaml", "metadata: {name: x, tags: [" + "a".repeat(64) + "]}"))
                .extracting(Problem::field).containsExactly("metadata.tags[0]");
    }

    @Test
    void rejectsTagsThatAreNotAList() {
        assertThat(validate("component.yaml", "metadata: {name: x, tags: java}"))
                .containsExactly(new Problem("component:default/x", "metadata.tags", "must be a list, not the string 'java'"));
    }

    @Test
    void acceptsValidLinks() {
        assertThat(validate("component.yaml",
                "metadata: {name: x, links: [{url: 'https://example.com/admin', title: Admin, icon: dashboard, type: admin}]}"))
                .isEmpty();
    }

    @Test
    void rejectsLinksWithoutAUrlOrWithABadOne() {
        List<Problem> problems = validate("component.yaml",
                "metadata: {name: x, links: [{title: no url}, {url: 'not a url'}, {url: 42}, plain]}");

        assertThat(problems).extracting(Problem::field, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("metadata.links[0].url", "is required"),
                org.assertj.core.groups.Tuple.tuple("metadata.links[1].url", "'not a url' must be an absolute URL"),
                org.assertj.core.groups.Tuple.tuple("metadata.links[2].url", "must be a string, not a number (42)"),
                org.assertj.core.groups.Tuple.tuple("metadata.links[3]", "must be an object with a url, not the string 'plain'"));
    }

    @Test
    void rejectsTitleAndDescriptionThatAreNotStrings() {
        assertThat(validate("component.yaml", "metadata: {name: x, title: [a], description: 3}"))
                .extracting(Problem::field).containsExactly("metadata.title", "metadata.description");
    }

    @ParameterizedTest
    @CsvSource({
            "component.yaml, type", "component.yaml, lifecycle", "component.yaml, owner",
            "api.yaml, type", "api.yaml, lifecycle", "api.yaml, owner", "api.yaml, definition",
            "resource.yaml, type", "resource.yaml, owner",
            "system.yaml, owner",
            "domain.yaml, owner",
            "group.yaml, type", "group.yaml, children",
            "user.yaml, memberOf",
            "template.yaml, type"})
    void requiresTheSpecFieldsOfEachKind(String fixture, String field) {
        ObjectNode json = fixture(fixture);
        ((ObjectNode) json.get("spec")).remove(field);

        assertThat(validator.validate(json, DOCUMENT)).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("spec." + field);
            assertThat(problem.message()).startsWith("is required");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"component.yaml", "api.yaml", "resource.yaml", "system.yaml", "domain.yaml",
            "group.yaml", "user.yaml", "location.yaml", "template.yaml"})
    void requiresASpecForEveryKind(String fixture) {
        ObjectNode json = fixture(fixture);
        json.remove("spec");

        assertThat(validator.validate(json, DOCUMENT)).extracting(Problem::field).containsExactly("spec");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "component.yaml | spec: {type: service, lifecycle: production, owner: [a, b]}              | spec.owner",
            "component.yaml | spec: {type: service, lifecycle: production, owner: a, system: {x: 1}}   | spec.system",
            "component.yaml | spec: {type: service, lifecycle: production, owner: a, providesApis: x} | spec.providesApis",
            "component.yaml | spec: {type: service, lifecycle: production, owner: a, dependsOn: [1]}  | spec.dependsOn[0]",
            "component.yaml | spec: {type: '', lifecycle: production, owner: a}                      | spec.type",
            "resource.yaml  | spec: {type: db, owner: a, dependencyOf: [component:x, '']}            | spec.dependencyOf[1]",
            "system.yaml    | spec: {owner: a, domain: 7}                                             | spec.domain",
            "domain.yaml    | spec: {owner: a, subdomainOf: [a]}                                      | spec.subdomainOf",
            "group.yaml     | spec: {type: team, children: {}}                                        | spec.children",
            "group.yaml     | spec: {type: team, children: [], parent: [a]}                           | spec.parent",
            "group.yaml     | spec: {type: team, children: [], members: [u, {}]}                      | spec.members[1]",
            "group.yaml     | spec: {type: team, children: [], profile: {email: 3}}                   | spec.profile.email",
            "user.yaml      | spec: {memberOf: team-a}                                                | spec.memberOf",
            "user.yaml      | spec: {memberOf: [], profile: x}                                        | spec.profile",
            "location.yaml  | spec: {type: url}                                                       | spec.target",
            "location.yaml  | spec: {targets: ./a.yaml}                                               | spec.targets",
            "template.yaml  | spec: {type: service, parameters: [{}, x]}                              | spec.parameters[1]",
            "template.yaml  | spec: {type: service, parameters: x}                                    | spec.parameters",
            "template.yaml  | spec: {type: service, workflow: {}}                                     | spec.workflow.processId",
            "template.yaml  | spec: {type: service, workflow: {processId: 5}}                         | spec.workflow.processId",
            "template.yaml  | spec: {type: service, workflow: create-service}                         | spec.workflow"})
    void rejectsSpecFieldsOfTheWrongType(String fixture, String spec, String field) {
        assertThat(validate(fixture, spec)).extracting(Problem::field).containsExactly(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "spec: {target: ./a.yaml}",
            "spec: {type: url, targets: [./a.yaml, ./b.yaml]}"})
    void acceptsALocationWithTargetOrTargets(String spec) {
        assertThat(validate("location.yaml", spec)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "spec: {type: service}",
            "spec: {type: service, parameters: {properties: {name: {type: string}}}}",
            "spec: {type: service, parameters: [{title: One}, {title: Two}], workflow: {processId: create-service}}"})
    void acceptsTemplatesWithOrWithoutParametersAndWorkflow(String spec) {
        assertThat(validate("template.yaml", spec)).isEmpty();
    }

    // --- control characters: PostgreSQL cannot store U+0000, and U+001E/U+001F separate filter terms

    @ParameterizedTest
    @CsvSource({"\\0, U+0000", "\\x1f, U+001F", "\\x1e, U+001E", "\\e, U+001B", "\\x7f, U+007F"})
    void rejectsAControlCharacterInAnyStringNamingTheFieldAndTheCharacter(String escape, String codePoint) {
        List<Problem> problems = validate("component.yaml",
                "metadata: {name: svc, description: \"a" + escape + "b\"}");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.subject()).isEqualTo("component:default/svc");
            assertThat(problem.field()).isEqualTo("metadata.description");
            assertThat(problem.message()).contains("control character " + codePoint + " at position 2");
        });
    }

    @Test
    void allowsTabsAndLineBreaksInStrings() {
        assertThat(validate("component.yaml", "metadata: {name: svc, description: \"one\\ttwo\\r\\nthree\"}")).isEmpty();
    }

    @Test
    void findsControlCharactersInKeysAndDeepInsideTheSpec() {
        List<Problem> problems = validate("component.yaml", """
                spec: {type: service, lifecycle: production, owner: team-a,
                       deployment: {regions: [eu, "us\\0"], "bad\\0key": x}}""");

        assertThat(problems).extracting(Problem::field)
                .contains("spec.deployment.regions[1]", "spec.deployment");
        assertThat(problems).filteredOn(problem -> problem.field().equals("spec.deployment"))
                .singleElement().satisfies(problem -> assertThat(problem.message()).contains("has a key 'bad\\u0000key'"));
    }

    @Test
    void reportsAHandfulOfControlCharacterProblemsNotOnePerString() {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            tags.append(i == 0 ? "" : ", ").append("\"t\\0").append(i).append('"');
        }
        List<Problem> problems = validate("component.yaml", "spec: {type: service, lifecycle: production, owner: team-a,"
                + " extra: [" + tags + "]}");

        assertThat(problems).hasSize(10);
        assertThat(problems.getLast().message()).contains("further strings with control characters are not listed");
    }

    @Test
    void problemsNeverCarryTheControlCharacterItself() {
        List<Problem> problems = validate("component.yaml", "metadata: {name: \"bad\\0name\", labels: {\"k\\x1f\": v}}");

        assertThat(problems).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.subject() + problem.field() + problem.message()).doesNotContain("\u0000", "\u001f");
        });
        assertThat(problems).extracting(Problem::subject).containsOnly(DOCUMENT);
        assertThat(problems).extracting(Problem::message).anySatisfy(message ->
                assertThat(message).contains("'bad\\u0000name'"));
    }

    /** The fixture with the given YAML merged over it, top-level keys replaced whole. */
    private List<Problem> validate(String fixture, String override) {
        ObjectNode json = fixture(fixture);
        json.setAll((ObjectNode) read(override));
        return validator.validate(json, DOCUMENT);
    }

    private static ObjectNode fixture(String name) {
        try (var in = EntityValidatorTests.class.getResourceAsStream("/entities/" + name)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
