package dev.portal.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.secret.SecretBox;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The Scaffolder's pages rendered by a real host ({@link UiScaffolderTestApplication}) with the
 * in-JVM engine: the template gallery, each schema feature as the wizard draws it, the server's
 * errors next to their fields with the values kept, escaping, the preview, starting a run, the
 * run page, the inbox and a task's page, and who sees which button, and that the server refuses
 * what a page would not offer.
 */
@SpringBootTest(classes = UiScaffolderTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = UiScaffolderTestApplication.Paths.class)
@AutoConfigureMockMvc
class UiScaffolderPagesIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KITCHEN = "/portal/create/default/kitchen-sink";
    private static final String CREATE_SERVICE = "/portal/create/default/create-service";

    @Autowired
    MockMvc mvc;

    @Autowired
    RunStore runs;

    @Autowired
    ApprovalStore approvals;

    @Autowired
    SecretBox secrets;

    // --- gallery

    @Test
    void galleryOffersTheTemplatesWithTitleDescriptionTagsOwnerAndType() throws Exception {
        Document page = page(get("/portal/create").with(user("alice")));

        assertThat(page.select(".template-card h2 a").eachText())
                .contains("Create a Java service", "Every form feature", "Deploy (flaky)", "Register an existing repository");
        Element card = card(page, "Create a Java service");
        assertThat(card.select(".template-description").text()).startsWith("A new Spring Boot service");
        assertThat(card.select(".tags a").eachText()).containsExactly("java", "spring-boot", "recommended");
        assertThat(card.select("dl a").attr("href")).isEqualTo("/portal/catalog/default/group/platform");
        assertThat(card.select(".template-card-head .tag").text()).isEqualTo("service");
        assertThat(card.select("a.button-primary").attr("href")).isEqualTo(CREATE_SERVICE);
        assertThat(page.select("nav.nav a[aria-current=page]").text()).isEqualTo("Create");
    }

    @Test
    void galleryShowsWhyATemplateWhoseBpmnFailedItsCheckCannotRun() throws Exception {
        Document page = page(get("/portal/create").with(user("alice")));

        assertThat(card(page, "Broken process").select(".template-problem").text())
                .startsWith("Cannot run:").contains("uses job type 'portal.publsh-git'");
        assertThat(card(page, "Create a Java service").select(".template-problem")).isEmpty();
    }

    @Test
    void galleryFiltersByTextTagAndType() throws Exception {
        assertThat(page(get("/portal/create?q=flaky").with(user("alice"))).select(".template-card h2").eachText())
                .containsExactly("Deploy (flaky)");
        assertThat(page(get("/portal/create?tag=forms").with(user("alice"))).select(".template-card h2").eachText())
                .containsExactly("Every form feature");
        Document byType = page(get("/portal/create?type=service").with(user("alice")));
        assertThat(byType.select(".template-card h2").eachText()).containsExactly("Create a Java service");
        assertThat(byType.select(".active-filters .chip").eachText()).containsExactly("Type: service× (remove)");
        assertThat(page(get("/portal/create?q=nothing-like-this").with(user("alice"))).select(".empty-state").text())
                .contains("No template matches");
    }

    @Test
    void anonymousVisitorsAreAskedToSignInToCreate() throws Exception {
        MvcResult result = mvc.perform(get(KITCHEN)).andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(Jsoup.parse(result.getResponse().getContentAsString()).select(".error-page h1").text())
                .isEqualTo("Please sign in");
    }

    // --- the wizard: every schema feature

    @Test
    void wizardDrawsStringsWithFormatsLengthsPatternsWidgetsAndHints() throws Exception {
        Document page = page(get(KITCHEN).with(user("alice")));

        assertThat(page.select(".steps .step").eachText()).containsExactly("1 Basics", "2 Choices", "3 Conditional",
                "4 Review and start");
        Element name = page.getElementById("f-name");
        assertThat(name.attr("type")).isEqualTo("text");
        assertThat(name.hasAttr("autofocus")).isTrue();
        assertThat(name.hasAttr("required")).isTrue();
        assertThat(name.attr("pattern")).isNotBlank();
        assertThat(label(page, "f-name")).isEqualTo("Component name* (required)");
        assertThat(about(page, "f-name")).contains("Lower case is usual.");
        Element title = page.getElementById("f-title");
        assertThat(title.attr("minlength")).isEqualTo("3");
        assertThat(title.attr("maxlength")).isEqualTo("40");
        assertThat(title.attr("placeholder")).isEqualTo("A short title");
        assertThat(page.getElementById("f-email").attr("type")).isEqualTo("email");
        assertThat(page.getElementById("f-homepage").attr("type")).isEqualTo("url");
        assertThat(page.getElementById("f-launch").attr("type")).isEqualTo("date");
        assertThat(label(page, "f-launch")).isEqualTo("Launch date");
        assertThat(label(page, "f-email")).as("a property without a title").isEqualTo("Email");
        assertThat(page.getElementById("f-description").tagName()).isEqualTo("textarea");
        assertThat(page.getElementById("f-secret").attr("type")).isEqualTo("password");
        assertThat(page.select("input[type=hidden][name=v.tracking]").attr("value")).isEqualTo("from-the-wizard");
        assertThat(page.getElementById("f-code").attr("pattern")).isEqualTo("^CC-[0-9]{4}$");
        assertThat(about(page, "f-code")).contains("For example: CC-1234");
        assertThat(page.select("form.wizard").hasAttr("novalidate")).as("the server's messages, not the browser's").isTrue();
    }

    @Test
    void aSecretTypedInTheWizardIsOnNoLaterPageInClearAndReachesTheRunAsTyped() throws Exception {
        String secret = "correct horse battery staple 42 ";
        Document choices = next(KITCHEN, 0, Map.of("name", "vault", "title", "The vault", "secret", secret), "{}");
        JsonNode carried = JSON.readTree(choices.select("input[name=_values]").attr("value"));
        assertThat(choices.outerHtml()).doesNotContain("correct horse");
        assertThat(carried.path("secret").asText()).startsWith(SecretBox.PREFIX);
        assertThat(carried.path("name").asText()).as("only secrets are sealed").isEqualTo("vault");

        Document basics = wizard(KITCHEN, 1, "back", Map.of(), List.of(), carried.toString());
        assertThat(basics.select(".step-current").text()).isEqualTo("1 Basics");
        assertThat(basics.outerHtml()).doesNotContain("correct horse");
        String drawn = basics.getElementById("f-secret").attr("value");
        assertThat(drawn).as("the password input holds the sealed value").startsWith(SecretBox.PREFIX);

        // the browser posts the password input back as it was drawn, then the other pages
        Document again = next(KITCHEN, 0, Map.of("name", "vault", "title", "The vault", "secret", drawn),
                basics.select("input[name=_values]").attr("value"));
        Document conditional = next(KITCHEN, 1, Map.of("database.host", "db"), again.select("input[name=_values]").attr("value"));
        ObjectNode all = (ObjectNode) JSON.readTree(conditional.select("input[name=_values]").attr("value"));
        all.put("port", 8080);
        MvcResult started = mvc.perform(post(KITCHEN).with(user("alice")).with(csrf()).param("_step", "3")
                .param("_action", "start").param("_values", all.toString())).andReturn();
        assertThat(started.getResponse().getStatus()).as(started.getResponse().getContentAsString()).isEqualTo(303);
        String runPath = started.getResponse().getHeader("Location");
        UUID runId = UUID.fromString(runPath.substring(runPath.lastIndexOf('/') + 1));
        JsonNode stored = runs.find(runId).orElseThrow().values().path("secret");
        assertThat(secrets.open(stored, runId, new ArrayList<>()).asText()).as("sealed for the run, as typed")
                .isEqualTo(secret);

        JsonNode forAnotherUser = JSON.readTree(again.select("input[name=_values]").attr("value"));
        MvcResult replayed = mvc.perform(post(KITCHEN).with(user("carol")).with(csrf()).param("_step", "1")
                .param("_action", "next").param("_values", forAnotherUser.toString())).andReturn();
        assertThat(replayed.getResponse().getStatus()).as("alice's sealed secret does not open for carol").isEqualTo(400);
        assertThat(Jsoup.parse(replayed.getResponse().getContentAsString()).text())
                .contains("A secret entered earlier in this form can no longer be read");
    }

    @Test
    void wizardDrawsEnumsBooleansNumbersArraysObjectsAndThePickers() throws Exception {
        Document page = next(KITCHEN, 0, Map.of("name", "shop", "title", "The shop"), "{}");

        assertThat(page.select(".step-current").text()).isEqualTo("2 Choices");
        Element language = page.getElementById("f-language");
        assertThat(language.tagName()).isEqualTo("select");
        assertThat(language.select("option").eachText()).containsExactly("Choose…", "Java", "Kotlin");
        assertThat(language.select("option[selected]").attr("value")).as("the default").isEqualTo("java");
        assertThat(page.select("#f-tier input[type=radio]").eachAttr("value")).containsExactly("gold", "silver");
        assertThat(page.getElementById("f-public").attr("type")).isEqualTo("checkbox");
        Element replicas = page.getElementById("f-replicas");
        assertThat(List.of(replicas.attr("type"), replicas.attr("min"), replicas.attr("max"), replicas.attr("step"),
                replicas.attr("value"))).containsExactly("number", "1", "10", "1", "2");
        assertThat(page.getElementById("f-ratio").attr("step")).isEqualTo("any");
        assertThat(page.select("#f-features input[type=checkbox]").eachAttr("value"))
                .containsExactly("metrics", "tracing", "logging");
        assertThat(page.select("#f-aliases input[name=v.aliases]")).hasSize(1);
        assertThat(page.select("#f-aliases button[value=add:aliases]").text()).isEqualTo("Add aliases");
        assertThat(page.select("fieldset#f-database legend").text()).isEqualTo("Database");
        assertThat(page.select("#f-database-host").attr("name")).isEqualTo("v.database.host");
        assertThat(page.select("#f-database-port").attr("value")).isEqualTo("5432");

        assertThat(page.select("#f-owner-options option").eachAttr("value"))
                .as("OwnerPicker with catalogFilter kind Group: the groups, as refs")
                .containsExactly("group:default/acme", "group:default/payments", "group:default/platform");
        assertThat(page.getElementById("f-owner").attr("list")).isEqualTo("f-owner-options");
        assertThat(page.select("#f-component option").eachAttr("value")).as("EntityPicker, only listed values")
                .contains("", "component:default/payment-gateway", "component:default/ledger")
                .doesNotContain("group:default/payments");
        assertThat(page.select("#f-team option").eachText()).as("MyGroupsPicker: alice's groups")
                .containsExactly("Choose…", "payments");
    }

    @Test
    void unsupportedKeywordsAreNamedOnThePageAndTheFieldTakesJson() throws Exception {
        Document page = conditionalPage(Map.of());

        assertThat(about(page, "f-mystery")).contains("This field uses anyOf", "enter its value as JSON");
        assertThat(page.getElementById("f-mystery").hasClass("code")).isTrue();
        assertThat(about(page, "f-colour")).contains("ui:widget: colorpicker");
        assertThat(about(page, "f-repo")).contains("ui:field: RepoUrlPicker");
    }

    @Test
    void conditionalFieldsFollowTheChoicesAndRedrawOnChange() throws Exception {
        Document service = conditionalPage(Map.of());
        assertThat(service.getElementById("f-port")).as("if flavour is service: then").isNotNull();
        assertThat(service.getElementById("f-packageName")).isNull();
        assertThat(service.getElementById("f-queueName")).isNull();
        Element fields = service.getElementById("wizard-fields");
        assertThat(fields.attr("hx-trigger")).isEqualTo("change");
        assertThat(fields.attr("hx-vals")).isEqualTo("{\"_action\":\"refresh\"}");

        Document library = wizard(KITCHEN, 2, "refresh", Map.of("flavour", List.of("library"), "hasQueue", List.of("true")),
                List.of("flavour", "hasQueue", "mystery", "colour", "repo"), kitchenValues());
        assertThat(library.getElementById("f-port")).isNull();
        assertThat(library.getElementById("f-packageName")).isNotNull();
        assertThat(library.getElementById("f-queueName")).as("dependencies: hasQueue true").isNotNull();
        assertThat(library.select(".field-error")).as("a redraw is no submission").isEmpty();
    }

    @Test
    void errorsOfTheParameterValidatorAppearNextToTheirFieldsAndTheValuesStay() throws Exception {
        MvcResult result = mvc.perform(post(CREATE_SERVICE).with(user("alice")).with(csrf())
                .param("_step", "0").param("_action", "next").param("_values", "{}")
                .param("_field", "name", "owner", "description", "system", "javaPackage")
                .param("v.name", "Bad Name!").param("v.owner", "payments").param("v.description", "Invoices <b>now</b>")
                .param("v.javaPackage", "com.acme.invoices")).andReturn();
        // the description breaks its pattern too (no markup characters): both are named

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        Document page = Jsoup.parse(result.getResponse().getContentAsString());
        assertThat(page.select(".step-current").text()).isEqualTo("1 The service");
        assertThat(page.select("#f-name-about .field-error").text()).contains("must match the pattern");
        assertThat(page.select(".has-error input:not([type=hidden])").eachAttr("name")).containsExactly("v.name", "v.description");
        assertThat(page.select("#f-description-about .field-error").text()).contains("must match the pattern");
        assertThat(page.getElementById("f-name").attr("value")).isEqualTo("Bad Name!");
        assertThat(page.getElementById("f-owner").attr("value")).isEqualTo("payments");
        assertThat(page.getElementById("f-javaPackage").attr("value")).isEqualTo("com.acme.invoices");
        assertThat(page.getElementById("f-name").attr("aria-invalid")).isEqualTo("true");
        // escaped: the value is text in the attribute, never markup
        assertThat(result.getResponse().getContentAsString()).contains("value=\"Invoices &lt;b>now&lt;/b>\"")
                .doesNotContain("<b>now</b>");
    }

    @Test
    void missingRequiredFieldsAreNamedAtTheirFieldsAndNestedObjectsToo() throws Exception {
        Document page = wizard(KITCHEN, 1, "next", Map.of("database.port", List.of("not a number")),
                List.of("language", "public", "features", "aliases", "database.host", "database.port"),
                "{\"name\":\"shop\",\"title\":\"The shop\"}");
        assertThat(page.select("#f-database-host-about .field-error").text()).contains("is required");
        assertThat(page.select("#f-database-port-about .field-error").text()).contains("must be a whole number");
        assertThat(page.getElementById("f-database-port").attr("value")).isEqualTo("not a number");
    }

    @Test
    void pickersCheckTheirOwnRulesAsBackstageDoes() throws Exception {
        Document page = wizard(KITCHEN, 1, "next", Map.of("component", List.of("component:default/not-listed")),
                List.of("component", "database.host"), "{\"name\":\"shop\",\"title\":\"The shop\"}");
        assertThat(page.select("#f-component-about .field-error").text()).isEqualTo("must be one of the listed entities");

        Document name = wizard(KITCHEN, 0, "next", Map.of("name", List.of("-shop-"), "title", List.of("The shop")),
                List.of("name", "title"), "{}");
        assertThat(name.select("#f-name-about .field-error").text()).contains("must be 1-63 letters");
    }

    @Test
    void repeatableRowsAreAddedAndRemovedWithoutJavaScript() throws Exception {
        Document added = wizard(KITCHEN, 1, "add:aliases", Map.of("aliases", List.of("shop")),
                List.of("aliases"), "{\"name\":\"shop\",\"title\":\"The shop\"}");
        assertThat(added.select("#f-aliases input[name=v.aliases]").eachAttr("value")).containsExactly("shop", "");

        Document removed = wizard(KITCHEN, 1, "remove:aliases:0", Map.of("aliases", List.of("shop", "store")),
                List.of("aliases"), "{\"name\":\"shop\",\"title\":\"The shop\"}");
        assertThat(removed.select("#f-aliases input[name=v.aliases]").eachAttr("value")).containsExactly("store");
    }

    @Test
    void reviewListsEveryValueByPageAndThePreviewShowsTheFilesBeforeAnythingIsPublished() throws Exception {
        String values = "{\"name\":\"preview-service\",\"owner\":\"payments\",\"description\":\"Shows the files\","
                + "\"javaPackage\":\"com.acme.preview\"}";
        Document review = wizard(CREATE_SERVICE, 1, "next", Map.of(), List.of("apiSpec"), values);
        assertThat(review.select(".step-current").text()).isEqualTo("3 Review and start");
        assertThat(review.select(".review-section h3").eachText()).containsExactly("The service", "API (optional)");
        assertThat(review.select(".review-section dd").eachText()).contains("preview-service", "payments", "Shows the files");
        assertThat(review.select(".wizard-actions button[value=start]").text()).isEqualTo("Start");

        Document preview = wizard(CREATE_SERVICE, 2, "preview", Map.of(), List.of(), values);
        assertThat(preview.select(".file-tree a").eachText()).as(preview.select(".error-box").text()).contains("catalog-info.yaml", "pom.xml", "README.md");
        assertThat(preview.select(".file-tree .folder").eachText()).contains("src/");
        Element readme = preview.select("details.file-content").stream()
                .filter(details -> details.select("summary").text().equals("README.md")).findFirst().orElseThrow();
        assertThat(readme.select("pre").text()).contains("preview-service");
        assertThat(runs.list(List.of(), java.util.Optional.of("user:default/alice"), 100, 0))
                .noneMatch(run -> run.values().path("name").asText().equals("preview-service"));
    }

    // --- start, the run page, the inbox, the task page, decisions

    @Test
    void aStartTheEngineRefusesLeadsToTheFailedRunThatSaysWhy() throws Exception {
        MvcResult started = mvc.perform(post("/portal/create/default/undeployed").with(user("alice")).with(csrf())
                .param("_step", "1").param("_action", "start").param("_values", "{\"note\":\"x\"}")).andReturn();

        assertThat(started.getResponse().getStatus()).isEqualTo(303);
        String runPath = started.getResponse().getHeader("Location");
        assertThat(runPath).matches("/portal/runs/[0-9a-f-]{36}");
        Document runPage = page(get(runPath).with(user("alice")));
        assertThat(runPage.select("#run-status").text()).isEqualTo("Failed");
        assertThat(runPage.select(".error-box").text()).contains("Step start failed").contains("has no process 'ui-nobody-deployed-this'");
        assertThat(runPage.select("form[action$=/retry]")).as("nothing to retry: the instance never existed").isEmpty();
        assertThat(runPage.select("form[action$=/cancel]")).as("it has ended").isEmpty();
    }

    @Test
    void startingARunLeadsToItsPageWhereTheDiagramLogAndButtonsAreAndBobDecidesInTheInbox() throws Exception {
        String values = "{\"name\":\"ui-invoices\",\"owner\":\"payments\",\"javaPackage\":\"com.acme.invoices\"}";
        MvcResult started = mvc.perform(post(CREATE_SERVICE).with(user("alice")).with(csrf())
                .param("_step", "2").param("_action", "start").param("_values", values)).andReturn();
        assertThat(started.getResponse().getStatus()).isEqualTo(303);
        String runPath = started.getResponse().getHeader("Location");
        assertThat(runPath).matches("/portal/runs/[0-9a-f-]{36}");
        UUID runId = UUID.fromString(runPath.substring(runPath.lastIndexOf('/') + 1));
        awaitRun(runId, run -> run.status() == RunStatus.WAITING_FOR_APPROVAL);

        Document runPage = page(get(runPath).with(user("alice")));
        assertThat(runPage.select("#run-status").text()).isEqualTo("Waiting for approval");
        assertThat(runPage.select(".bpmn-diagram").attr("data-diagram-href")).isEqualTo(runPath + "/diagram.bpmn");
        JsonNode markers = JSON.readTree(runPage.select("#run-live").attr("data-markers"));
        assertThat(markers.path("check").asText()).isEqualTo("completed");
        assertThat(markers.path("approve").asText()).isEqualTo("waiting");
        assertThat(runPage.select("#run-log li").eachText()).anyMatch(line -> line.contains("run requested by user:default/alice"));
        assertThat(runPage.select("#run-log").attr("data-events-href")).isEqualTo(runPath + "/events");
        assertThat(runPage.select("form[action$=/cancel] button").text()).as("alice requested it").isEqualTo("Cancel the run");
        assertThat(runPage.select("form[action$=/retry]")).isEmpty();
        assertThat(runPage.select(".waiting-notice a").text()).isEqualTo("Approve a new service for your team");
        assertThat(page(get(runPath).with(user("bob"))).select("form[action$=/cancel]")).as("bob did not request it").isEmpty();
        assertThat(page(get(runPath).with(user("carol"))).select("form[action$=/cancel]")).as("carol is an admin").hasSize(1);

        MvcResult xml = mvc.perform(get(runPath + "/diagram.bpmn").with(user("alice"))).andReturn();
        assertThat(xml.getResponse().getContentType()).startsWith("application/xml");
        assertThat(xml.getResponse().getContentAsString()).contains("id=\"approve\"", "BPMNDiagram");

        ApprovalTask task = approvals.openOfRun(runId).getFirst();
        String taskPath = "/portal/approvals/" + task.id();
        Document inbox = page(get("/portal/approvals").with(user("bob")));
        assertThat(inbox.select(".nav-badge").text()).startsWith("1");
        assertThat(inbox.select("table.inbox-table a.entity-title").eachAttr("href")).contains(taskPath);
        assertThat(page(get("/portal/approvals").with(user("alice"))).select("a[href=" + taskPath + "]"))
                .as("four-eyes: not in alice's inbox").isEmpty();

        Document asAlice = page(get(taskPath).with(user("alice")));
        assertThat(asAlice.select("button[value=approve]")).as("alice asked").isEmpty();
        assertThat(asAlice.select("#refusal").text()).contains("four-eyes");
        MvcResult forged = mvc.perform(post(taskPath + "/decide").with(user("alice")).with(csrf())
                .param("decision", "approve").param("comment", "self-approved")).andReturn();
        assertThat(forged.getResponse().getStatus()).isEqualTo(403);
        assertThat(Jsoup.parse(forged.getResponse().getContentAsString()).select(".error-page h1").text())
                .isEqualTo("You may not do this");
        MvcResult withoutToken = mvc.perform(post(taskPath + "/decide").with(user("bob"))
                .param("decision", "approve")).andReturn();
        assertThat(withoutToken.getResponse().getStatus()).as("no CSRF token").isEqualTo(403);
        assertThat(page(get(taskPath).with(user("carol"))).select("button[value=approve]"))
                .as("carol is an admin but not a candidate").isEmpty();

        Document asBob = page(get(taskPath).with(user("bob")));
        assertThat(asBob.select("button[value=approve]").text()).isEqualTo("Approve");
        assertThat(asBob.select("button[value=reject]").text()).isEqualTo("Reject");
        Element form = asBob.getElementById("camunda-form");
        assertThat(JSON.readTree(form.attr("data-form-schema")).path("id").asText()).isEqualTo("portal-approval");
        assertThat(JSON.readTree(form.attr("data-form-data")).path("values").path("name").asText()).isEqualTo("ui-invoices");
        assertThat(asBob.select("dd").eachText()).contains("ui-invoices", "payments");
        assertThat(asBob.select(".audit li").eachText()).anyMatch(line -> line.contains("created"));

        MvcResult decided = mvc.perform(post(taskPath + "/decide").with(user("bob")).with(csrf())
                .param("decision", "approve").param("comment", "welcome <aboard>")
                .param("variables", "{\"approvalConditions\":\"keep it small\"}")).andReturn();
        assertThat(decided.getResponse().getStatus()).isEqualTo(303);
        Document after = page(get(taskPath).with(user("bob")));
        assertThat(after.select("#decision").text()).contains("Approved by bob", "welcome <aboard>");
        assertThat(after.select("#decision").html()).contains("welcome &lt;aboard&gt;");
        assertThat(after.select("button[value=approve]")).isEmpty();

        Run done = awaitRun(runId, run -> run.status().isFinal());
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        Document finished = page(get(runPath).with(user("alice")));
        assertThat(finished.select("#run-status").text()).isEqualTo("Completed");
        assertThat(finished.select("#run-entity").attr("href")).isEqualTo("/portal/catalog/default/component/ui-invoices");
        assertThat(finished.select("#run-repository").text()).endsWith("ui-invoices.git");
        assertThat(finished.select("form[action$=/cancel]")).isEmpty();
        assertThat(finished.select("#run-log").attr("data-live")).isEqualTo("false");
        assertThat(page(get("/portal/runs").with(user("alice"))).select("table.runs-table a").eachAttr("href"))
                .contains(runPath);
    }

    // --- helpers

    private Document conditionalPage(Map<String, List<String>> extra) throws Exception {
        Map<String, List<String>> fields = new java.util.HashMap<>(extra);
        fields.put("database.host", List.of("db"));
        return wizard(KITCHEN, 1, "next", fields, List.of("database.host"), "{\"name\":\"shop\",\"title\":\"The shop\"}");
    }

    private static String kitchenValues() {
        return "{\"name\":\"shop\",\"title\":\"The shop\",\"database\":{\"host\":\"db\"}}";
    }

    private Document next(String path, int step, Map<String, String> fields, String values) throws Exception {
        Map<String, List<String>> sent = new java.util.LinkedHashMap<>();
        fields.forEach((name, value) -> sent.put(name, List.of(value)));
        return wizard(path, step, "next", sent, List.copyOf(fields.keySet()), values);
    }

    /** Posts one step of a wizard as alice, as the form would: the drawn fields' markers and values. */
    private Document wizard(String path, int step, String action, Map<String, List<String>> fields, List<String> drawn,
                            String values) throws Exception {
        MockHttpServletRequestBuilder request = post(path).with(user("alice")).with(csrf())
                .param("_step", Integer.toString(step)).param("_action", action).param("_values", values);
        for (String field : drawn) {
            request.param("_field", field);
        }
        fields.forEach((name, sent) -> request.param("v." + name, sent.toArray(String[]::new)));
        MvcResult result = mvc.perform(request).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isIn(200, 400);
        return Jsoup.parse(result.getResponse().getContentAsString());
    }

    private Run awaitRun(UUID id, Predicate<Run> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Run run = runs.find(id).orElseThrow();
        while (!condition.test(run)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " did not get there: " + run.status() + " " + run.errorMessage()
                        + " " + runs.events(id, 0, 100));
            }
            Thread.sleep(100);
            run = runs.find(id).orElseThrow();
        }
        return run;
    }

    private Document page(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(result.getResponse().getContentType()).isEqualTo("text/html;charset=UTF-8");
        return Jsoup.parse(result.getResponse().getContentAsString());
    }

    private static Element card(Document page, String title) {
        return page.select(".template-card").stream().filter(card -> card.select("h2").text().equals(title))
                .findFirst().orElseThrow();
    }

    private static String label(Document page, String id) {
        return page.select("label[for=" + id + "]").text();
    }

    private static String about(Document page, String id) {
        Element about = page.getElementById(id + "-about");
        return about == null ? "" : about.text();
    }

    @SuppressWarnings("unused")
    private static List<String> texts(List<Element> elements) {
        List<String> texts = new ArrayList<>();
        elements.forEach(element -> texts.add(element.text()));
        return texts;
    }
}
