package dev.portal.ui;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The pages that change the catalog, on a database of their own (so the read-only page tests see
 * their fixture unchanged): registering a file with its preview, who may, CSRF, the reasons a
 * file is refused; and what the entity page shows once locations record errors and leave orphans.
 */
@SpringBootTest(classes = UiTestApplication.class, properties = "portal.ui.title=Portal under test")
@AutoConfigureMockMvc
class UiRegisterIntegrationTests {

    private static final Path FIXTURES = Path.of("src/test/resources/ui/register").toAbsolutePath();
    private static final String REGISTER_FIXTURE = FIXTURES.resolve("catalog-info.yaml").toString();
    private static final String PREVIEW_FIXTURE = FIXTURES.resolve("preview-only.yaml").toString();

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    // --- registering

    @Test
    void theRegisterPageAsksAnonymousVisitorsToSignInAndRefusesWhoMayNotRegister() throws Exception {
        MvcResult anonymous = mvc.perform(get("/portal/register")).andReturn();
        assertThat(anonymous.getResponse().getStatus()).isEqualTo(401);
        Document signIn = Jsoup.parse(anonymous.getResponse().getContentAsString());
        assertThat(signIn.select("h1").text()).isEqualTo("Please sign in");
        assertThat(signIn.select(".error-page a.button-primary").attr("href")).isEqualTo("/login");

        MvcResult carol = mvc.perform(get("/portal/register").with(user("carol"))).andReturn();
        assertThat(carol.getResponse().getStatus()).isEqualTo(403);
        assertThat(Jsoup.parse(carol.getResponse().getContentAsString()).select(".error-message").text())
                .contains("user:default/carol may not location.create");

        MvcResult preview = mvc.perform(post("/portal/register/preview").with(user("carol")).with(csrf())
                .param("type", "file").param("target", REGISTER_FIXTURE)).andReturn();
        assertThat(preview.getResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void theRegisterFormCarriesTheCsrfTokenAndFormsWithoutItAreRefused() throws Exception {
        Document form = page(get("/portal/register").with(user("alice")));
        assertThat(form.select("form.register-form input[name=_csrf]").val()).isNotBlank();
        assertThat(form.select("form.register-form").attr("action")).isEqualTo("/portal/register/preview");

        assertThat(mvc.perform(post("/portal/register/preview").with(user("alice"))
                .param("type", "file").param("target", REGISTER_FIXTURE)).andReturn().getResponse().getStatus())
                .isEqualTo(403);
    }

    @Test
    void previewShowsEveryEntityWithItsProblemsAndStoresNothing() throws Exception {
        Document page = page(post("/portal/register/preview").with(user("alice")).with(csrf())
                .param("type", "file").param("target", PREVIEW_FIXTURE));

        assertThat(page.select(".preview p").first().text()).contains("1 valid entity, 1 with problems. Nothing is stored yet.");
        assertThat(page.select(".preview-table tbody tr")).hasSize(2);
        assertThat(page.select(".preview-table tbody tr").get(0).text())
                .contains("Risk Score", "component:default/risk-score", "Valid");
        assertThat(page.select(".preview-table tr.invalid .problems li").text())
                .contains("metadata.name", "bad name!");
        assertThat(page.select(".preview form button").text()).isEqualTo("Register 1 entity");
        assertThat(page.select(".preview form input[name=target]").val()).isEqualTo(PREVIEW_FIXTURE);
        assertThat(mvc.perform(get("/portal/catalog/default/component/risk-score")).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    @Test
    void registeringStoresTheEntitiesAndLinksToThem() throws Exception {
        Document page = page(post("/portal/register").with(user("alice")).with(csrf())
                .param("type", "file").param("target", REGISTER_FIXTURE));

        assertThat(page.select(".result h2").text()).isEqualTo("Registered");
        assertThat(page.select(".result .ref-list a")).extracting(Element::text).containsExactly("Fraud Check");
        assertThat(page.select(".result .ref-list a").attr("href")).isEqualTo("/portal/catalog/default/component/fraud-check");
        assertThat(page.select(".result .warning").text()).contains("bad name!");
        assertThat(mvc.perform(get("/portal/catalog/default/component/fraud-check")).andReturn().getResponse()
                .getStatus()).isEqualTo(200);
    }

    @Test
    void aFileOutsideTheAllowedFoldersIsRefusedOnTheFormWithTheReason() throws Exception {
        MvcResult result = mvc.perform(post("/portal/register/preview").with(user("alice")).with(csrf())
                .param("type", "file").param("target", "/etc/hostname")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        Document page = Jsoup.parse(result.getResponse().getContentAsString());
        assertThat(page.select(".error-box").text()).contains("file:/etc/hostname may not be read");
        assertThat(page.select("input[name=target]").val()).isEqualTo("/etc/hostname");
        assertThat(page.select("input[name=type][value=file]").hasAttr("checked")).isTrue();
    }

    @Test
    void aMissingFileOrAnEmptyFieldIsExplainedOnTheForm() throws Exception {
        MvcResult missing = mvc.perform(post("/portal/register/preview").with(user("alice")).with(csrf())
                .param("type", "file").param("target", REGISTER_FIXTURE.replace("catalog-info", "nothing"))).andReturn();
        assertThat(missing.getResponse().getStatus()).isEqualTo(400);
        assertThat(Jsoup.parse(missing.getResponse().getContentAsString()).select(".error-box").text()).isNotBlank();

        MvcResult empty = mvc.perform(post("/portal/register/preview").with(user("alice")).with(csrf())
                .param("type", "url").param("target", " ")).andReturn();
        assertThat(empty.getResponse().getStatus()).isEqualTo(400);
        assertThat(Jsoup.parse(empty.getResponse().getContentAsString()).select(".error-box").text())
                .isEqualTo("Enter the URL of the catalog-info.yaml file.");
    }

    @Test
    void entityPageShowsProcessingErrorsAndTheOrphanBadge() throws Exception {
        Path root = FIXTURES;
        // A second file claims ledger, which the configured location owns: an error against ledger.
        catalog.register(new LocationSpec("file", root.resolve("duplicate-ledger.yaml").toString()), Location.Origin.CONFIG);
        // A registered location that is removed leaves its entity behind as an orphan.
        Location old = catalog.register(new LocationSpec("file", root.resolve("orphan.yaml").toString()),
                Location.Origin.API).location();
        catalog.removeLocation(old.id());

        Document ledger = page(get("/portal/catalog/default/component/ledger"));
        assertThat(ledger.select(".warnings .warning").eachText())
                .anySatisfy(warning -> assertThat(warning).startsWith("Processing error").contains("ledger"));

        Document orphan = page(get("/portal/catalog/default/component/old-batch"));
        assertThat(orphan.select(".entity-badges .badge-warning").text()).isEqualTo("Orphan");
        assertThat(orphan.select(".warnings .warning").eachText()).anySatisfy(warning ->
                assertThat(warning).startsWith("Orphan:"));
    }

    // --- helpers

    private Document page(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(result.getResponse().getContentType()).isEqualTo("text/html;charset=UTF-8");
        return Jsoup.parse(result.getResponse().getContentAsString());
    }
}
