package dev.portal.ui;

import dev.portal.autoconfigure.ui.PortalUiProperties;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Every page's HTML, rendered by the real host ({@link UiTestApplication}) on PostgreSQL, over a
 * catalog these tests only read: the data and links it shows, what anonymous visitors, alice
 * (payments, may register) and carol (platform, may not) see and may do, escaping of hostile entity
 * content, the error pages, and the strict Content-Security-Policy the pages are sent with. The
 * pages that change the catalog are {@link UiRegisterIntegrationTests}'.
 */
@SpringBootTest(classes = UiTestApplication.class, properties = "portal.ui.page-size=5")
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class UiPagesIntegrationTests {

    @Autowired
    MockMvc mvc;

    // --- the shell

    @Test
    void shellShowsTheSignedInUserWithTheirGroupsAndASignOutFormCarryingTheCsrfToken() throws Exception {
        Document page = page(get("/portal").with(user("alice")));

        assertThat(page.select(".whoami-name").text()).isEqualTo("Alice Developer");
        assertThat(page.select(".whoami-name").attr("href")).isEqualTo("/portal/catalog/default/user/alice");
        assertThat(page.select(".whoami-groups a")).extracting(Element::text).containsExactly("payments");
        Element signOut = page.selectFirst("form.sign-out");
        assertThat(signOut.attr("method")).isEqualTo("post");
        assertThat(signOut.attr("action")).isEqualTo("/logout");
        String token = signOut.select("input[name=_csrf]").attr("value");
        assertThat(token).isNotBlank();
        assertThat(page.select("meta[name=_csrf]").attr("content")).isEqualTo(token);
        assertThat(page.body().attr("hx-headers")).isEqualTo("{\"X-CSRF-TOKEN\":\"" + token + "\"}");
        assertThat(page.select("a.button").eachText()).doesNotContain("Sign in");
    }

    @Test
    void shellOffersAnonymousVisitorsTheHostsSignInPage() throws Exception {
        Document page = page(get("/portal"));

        assertThat(page.select(".topbar a.button").attr("href")).isEqualTo("/login");
        assertThat(page.select("form.sign-out")).isEmpty();
        assertThat(page.select("nav.nav a")).extracting(Element::text)
                .containsExactly("Home", "Catalog", "Create", "Runs", "Approvals");
        assertThat(page.select("nav.nav a[aria-current=page]").text()).isEqualTo("Home");
    }

    @Test
    void everyPageIsSentWithAStrictContentSecurityPolicyAndHasNoInlineScriptOrStyle() throws Exception {
        for (MockHttpServletRequestBuilder request : List.of(get("/portal"), get("/portal/catalog?q=pay&kind=API"),
                get("/portal/catalog/default/component/payment-gateway"), get("/portal/catalog/default/api/payments-api"),
                get("/portal/catalog/default/system/payments"), get("/portal/register").with(user("alice")),
                get("/portal/catalog/default/component/nope"), get("/portal/runs"))) {
            MvcResult result = mvc.perform(request).andReturn();
            assertThat(result.getResponse().getHeader("Content-Security-Policy"))
                    .isEqualTo(PortalUiProperties.STRICT_CONTENT_SECURITY_POLICY);
            Document page = Jsoup.parse(result.getResponse().getContentAsString());
            assertThat(page.select("script")).allSatisfy(script -> {
                assertThat(script.hasAttr("src")).isTrue();
                assertThat(script.data()).isBlank();
            });
            assertThat(page.select("style")).isEmpty();
            assertThat(page.select("[style]")).isEmpty();
            assertThat(page.getAllElements()).allSatisfy(element -> assertThat(element.attributes().asList())
                    .noneMatch(attribute -> attribute.getKey().startsWith("on")));
        }
    }

    @Test
    void servesItsAssetsWithLongCacheHeadersUnderVersionedPaths() throws Exception {
        Document page = page(get("/portal"));
        String stylesheet = page.select("link[rel=stylesheet]").attr("href");
        String htmx = page.select("script[src]").attr("src");
        assertThat(stylesheet).matches("/portal/assets/[0-9a-f]{16}/portal\\.css");
        assertThat(htmx).matches("/portal/assets/[0-9a-f]{16}/htmx\\.min\\.js");

        MvcResult css = mvc.perform(get(stylesheet)).andReturn();
        assertThat(css.getResponse().getStatus()).isEqualTo(200);
        assertThat(css.getResponse().getContentType()).startsWith("text/css");
        assertThat(css.getResponse().getHeader("Cache-Control")).contains("max-age=31536000", "immutable");
        MvcResult script = mvc.perform(get(htmx)).andReturn();
        assertThat(script.getResponse().getContentAsString()).contains("htmx");
        assertThat(mvc.perform(get("/portal/assets/0000000000000000/nothing.js")).andReturn().getResponse().getStatus())
                .isEqualTo(404);
    }

    // --- the start page

    @Test
    void homeCountsEntitiesPerKindAndLinksToTheirLists() throws Exception {
        Document page = page(get("/portal"));

        Element apis = page.select("a.kind-card").stream().filter(card -> card.text().endsWith("API")).findFirst()
                .orElseThrow();
        assertThat(apis.select(".kind-card-count").text()).isEqualTo("2");
        assertThat(apis.attr("href")).isEqualTo("/portal/catalog?kind=API");
        assertThat(page.select("#owned-heading + p").text()).contains("Sign in");
    }

    @Test
    void homeListsWhatTheSignedInUsersTeamsOwn() throws Exception {
        Document alice = page(get("/portal").with(user("alice")));
        assertThat(alice.select("table.entities a.entity-title").eachText())
                .contains("Payment Gateway", "ledger", "payments-api").doesNotContain("Platform Tools");

        Document carol = page(get("/portal").with(user("carol")));
        assertThat(carol.select("table.entities a.entity-title").eachText())
                .contains("Platform Tools").doesNotContain("Payment Gateway");
    }

    // --- the catalog list

    @Test
    void listFiltersByTwoFacetsAndCountsEachValueWithoutItsOwnFacet() throws Exception {
        Document page = page(get("/portal/catalog?kind=Component&lifecycle=production"));

        assertThat(page.select("table.entities a.entity-title").eachText())
                .containsExactly("ledger", "Payment Gateway", "Platform Tools");
        assertThat(page.select(".results-count").text()).isEqualTo("3 entities");
        // Kind counts ignore the kind selection (so another kind can be added), not the lifecycle one.
        assertThat(facetValue(page, "Kind", "Component")).isEqualTo("3 selected");
        assertThat(facetValue(page, "Kind", "API")).isEqualTo("2");
        assertThat(facetValue(page, "Lifecycle", "experimental")).isEqualTo("2");
        assertThat(facetValue(page, "Owner", "payments")).isEqualTo("2");
        assertThat(page.select(".active-filters .chip").eachText())
                .containsExactly("Kind: Component × (remove)", "Lifecycle: production × (remove)");
        assertThat(page.select(".active-filters .chip").first().attr("href"))
                .isEqualTo("/portal/catalog?lifecycle=production");
    }

    @Test
    void listTakesAnOwnerByShortRefAndLinksOwnersToTheirPages() throws Exception {
        Document page = page(get("/portal/catalog?owner=platform"));

        assertThat(page.select("table.entities a.entity-title").eachText())
                .containsExactly("Platform Tools", "<script>alert(1)</script>");
        assertThat(page.select("table.entities td:nth-child(4) a").eachAttr("href"))
                .containsOnly("/portal/catalog/default/group/platform");
    }

    @Test
    void listSearchesNamesTitlesAndDescriptionsAndCountsFacetsOverTheMatches() throws Exception {
        Document page = page(get("/portal/catalog?q=LEDGER"));

        assertThat(page.select("table.entities a.entity-title").eachText()).containsExactlyInAnyOrder("ledger", "ledger-api");
        assertThat(facetValue(page, "Kind", "API")).isEqualTo("1");
        assertThat(facetValue(page, "Kind", "Component")).isEqualTo("1");
        assertThat(page.select("form.search-bar input[name=q]").val()).isEqualTo("LEDGER");
        assertThat(page.select(".topbar-search input[name=q]").val()).isEqualTo("LEDGER");

        Document described = page(get("/portal/catalog?q=double-entry"));
        assertThat(described.select("table.entities a.entity-title").eachText()).containsExactly("ledger");
    }

    @Test
    void listSortsByTitleAndSaysHowManyEntitiesThatOrderLeavesOut() throws Exception {
        Document page = page(get("/portal/catalog?kind=Component&sort=title"));

        assertThat(page.select("table.entities a.entity-title").eachText())
                .containsExactly("<script>alert(1)</script>", "Payment Gateway", "Platform Tools");
        assertThat(page.select(".notice").text()).startsWith("2 entities have no title");
        assertThat(page.select(".sort-option[aria-current=true]").text()).isEqualTo("Title");

        Document descending = page(get("/portal/catalog?kind=Component&sort=owner&dir=desc"));
        assertThat(descending.select("table.entities td:nth-child(4)").eachText())
                .containsExactly("platform", "platform", "payments", "payments", "payments");
    }

    @Test
    void listPagesWithCursorsThatKeepTheWholeQueryInTheUrl() throws Exception {
        Document first = page(get("/portal/catalog?kind=Component&kind=API&kind=Resource"));
        assertThat(first.select("table.entities tbody tr")).hasSize(5);
        assertThat(first.select(".results-count").text()).isEqualTo("8 entities");
        assertThat(first.select("a[rel=prev]")).isEmpty();
        String next = first.select("a[rel=next]").attr("href");
        assertThat(next).startsWith("/portal/catalog?kind=Component&kind=API&kind=Resource&cursor=");

        Document second = page(get(next));
        assertThat(second.select("table.entities tbody tr")).hasSize(3);
        assertThat(second.select("a[rel=next]")).isEmpty();
        assertThat(second.select("table.entities a.entity-title").eachText())
                .doesNotContainAnyElementsOf(first.select("table.entities a.entity-title").eachText());
        assertThat(facetValue(second, "Kind", "API")).isEqualTo("2 selected");
        Document back = page(get(second.select("a[rel=prev]").attr("href")));
        assertThat(back.select("table.entities a.entity-title").eachText())
                .isEqualTo(first.select("table.entities a.entity-title").eachText());
    }

    @Test
    void listOffersRegisteringOnlyToWhoMayRegister() throws Exception {
        assertThat(page(get("/portal/catalog").with(user("alice"))).select(".page-head a.button").eachText())
                .containsExactly("Register existing component");
        assertThat(page(get("/portal/catalog").with(user("carol"))).select(".page-head a.button")).isEmpty();
        assertThat(page(get("/portal/catalog")).select(".page-head a.button")).isEmpty();
    }

    @Test
    void aMalformedCursorIsABadRequestPageWithoutInternals() throws Exception {
        MvcResult result = mvc.perform(get("/portal/catalog?cursor=bm90LWEtY3Vyc29y")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        Document page = Jsoup.parse(result.getResponse().getContentAsString());
        assertThat(page.select("h1").text()).isEqualTo("This request cannot be served");
        assertThat(page.text()).doesNotContain("Exception", "at dev.portal");
        assertThat(page.select("nav.nav")).isNotEmpty();
    }

    // --- entity pages

    @Test
    void entityPageShowsWhatItIsWhoOwnsItAndWhereItIsDefined() throws Exception {
        Document page = page(get("/portal/catalog/default/component/payment-gateway"));

        assertThat(page.select("h1").text()).isEqualTo("Payment Gateway");
        assertThat(page.select(".entity-ref").text()).isEqualTo("component:default/payment-gateway");
        assertThat(page.select(".entity-head .lead").text()).startsWith("Accepts payment requests");
        assertThat(fact(page, "Owner")).isEqualTo("payments");
        assertThat(page.select("dd a[href=/portal/catalog/default/group/payments]")).isNotEmpty();
        assertThat(fact(page, "System")).isEqualTo("Payments");
        assertThat(fact(page, "Type")).isEqualTo("service");
        assertThat(fact(page, "Lifecycle")).isEqualTo("production");
        assertThat(page.select("dd a[href=https://git.example.com/payments/gateway/-/tree/main/]")).hasSize(1);
        assertThat(fact(page, "Defined in")).endsWith("src/test/resources/ui/catalog.yaml");
        assertThat(page.select(".tags a.tag")).extracting(Element::text).containsExactly("java", "spring-boot");
        assertThat(page.select(".tags a.tag").first().attr("href")).isEqualTo("/portal/catalog?tag=java");
        // Only web links become links: the javascript: one is dropped.
        assertThat(page.select("a[href^=javascript]")).isEmpty();
        assertThat(page.select("a[rel='noopener noreferrer']")).extracting(Element::text).containsExactly("Runbook");
        assertThat(page.select(".entity-head-actions a").attr("href"))
                .isEqualTo("/api/catalog/entities/by-name/component/default/payment-gateway");
    }

    @Test
    void entityPageGroupsRelationsByTypeAndDrawsThemAsAGraph() throws Exception {
        Document page = page(get("/portal/catalog/default/component/payment-gateway"));

        assertThat(page.select(".relation-group h3").eachText())
                .contains("Owned by", "Part of", "Provides API", "Consumes API", "Depends on");
        Element provides = page.select(".relation-group").stream()
                .filter(group -> group.selectFirst("h3").text().equals("Provides API")).findFirst().orElseThrow();
        assertThat(provides.select("a").attr("href")).isEqualTo("/portal/catalog/default/api/payments-api");

        Element graph = page.selectFirst("svg.graph");
        assertThat(graph).isNotNull();
        assertThat(graph.select("a.graph-node-center .graph-name").text()).isEqualTo("Payment Gateway");
        assertThat(graph.select("a.graph-node").eachAttr("href")).contains(
                "/portal/catalog/default/group/payments", "/portal/catalog/default/system/payments",
                "/portal/catalog/default/api/payments-api", "/portal/catalog/default/api/ledger-api",
                "/portal/catalog/default/resource/payments-db");
        assertThat(graph.select("text.graph-label").eachText()).contains("owned by", "provides API", "depends on");
    }

    @Test
    void aDomainsGraphIncludesThePartsOfItsSystems() throws Exception {
        Document page = page(get("/portal/catalog/default/domain/commerce"));

        assertThat(page.select("svg.graph a.graph-node").eachAttr("href")).contains(
                "/portal/catalog/default/system/payments", "/portal/catalog/default/component/payment-gateway",
                "/portal/catalog/default/api/payments-api");
        assertThat(section(page, "Systems")).containsExactly("Payments");
    }

    @Test
    void apiPageListsTheOpenApiOperationsAndTheRawDefinition() throws Exception {
        Document page = page(get("/portal/catalog/default/api/payments-api"));

        assertThat(page.select("table.operations tbody tr")).extracting(Element::text)
                .containsExactly("POST /payments Create a payment", "GET /payments/{id} Read a payment");
        assertThat(page.select(".raw-definition pre").text()).startsWith("openapi: 3.0.3");

        Document empty = page(get("/portal/catalog/default/api/ledger-api"));
        assertThat(empty.select("table.operations")).isEmpty();
        assertThat(empty.text()).contains("The definition has no operations.");
    }

    @Test
    void groupPageListsMembersParentChildrenAndWhatTheGroupOwns() throws Exception {
        Document page = page(get("/portal/catalog/default/group/payments"));

        assertThat(section(page, "Members")).containsExactlyInAnyOrder("Alice Developer", "Bob Lead");
        assertThat(section(page, "Parent group")).containsExactly("ACME Corp");
        assertThat(section(page, "Owns")).contains("Payment Gateway", "ledger", "payments-api", "Payments");
        assertThat(page.select("h2:contains(Child groups) + p.empty").text()).isEqualTo("No child groups.");
    }

    @Test
    void userPageListsTheUsersGroups() throws Exception {
        Document page = page(get("/portal/catalog/default/user/alice"));

        assertThat(page.select("h1").text()).isEqualTo("alice");
        assertThat(fact(page, "Name")).isEqualTo("Alice Developer");
        assertThat(fact(page, "Email")).isEqualTo("alice@acme.example");
        assertThat(section(page, "Groups")).containsExactly("payments");
    }

    @Test
    void entityPageWarnsAboutReferencesToEntitiesTheCatalogDoesNotHave() throws Exception {
        Document page = page(get("/portal/catalog/default/component/xss-widget"));

        assertThat(page.select(".warnings .warning").eachText())
                .contains("Missing component: depends on component:default/ghost, which is not in the catalog.");
        assertThat(page.select(".relation-group .badge-warning").eachText()).containsExactly("not in the catalog");
    }

    @Test
    void hostileTitlesAndDescriptionsRenderAsInertText() throws Exception {
        for (String path : List.of("/portal/catalog/default/component/xss-widget", "/portal/catalog?owner=platform",
                "/portal/catalog/default/group/platform")) {
            MvcResult result = mvc.perform(get(path)).andReturn();
            String html = result.getResponse().getContentAsString();
            assertThat(html).doesNotContain("<script>alert(1)</script>").doesNotContain("<img src=x");
            Document page = Jsoup.parse(html);
            assertThat(page.select("script")).allSatisfy(script -> assertThat(script.hasAttr("src")).isTrue());
            assertThat(page.select("img")).isEmpty();
            assertThat(page.text()).contains("<script>alert(1)</script>");
        }
        Document page = page(get("/portal/catalog/default/component/xss-widget"));
        assertThat(page.select("h1").text()).isEqualTo("<script>alert(1)</script>");
        assertThat(page.select(".entity-head .lead").text()).isEqualTo("<img src=x onerror=alert(2)> renders as text");
        assertThat(page.select("head > title").text()).isEqualTo("<script>alert(1)</script> · Portal");
    }

    // --- errors

    @Test
    void anUnknownEntityIsA404PageInTheShell() throws Exception {
        MvcResult result = mvc.perform(get("/portal/catalog/default/component/nope")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(404);
        Document page = Jsoup.parse(result.getResponse().getContentAsString());
        assertThat(page.select("h1").text()).isEqualTo("Not found");
        assertThat(page.select(".error-message").text()).isEqualTo("The catalog has no entity component:default/nope.");
        assertThat(page.select("nav.nav")).isNotEmpty();
        assertThat(page.select(".error-page a").eachAttr("href")).contains("/portal/catalog");
    }

    @Test
    void anUnexpectedFailureIsA500PageWithAReferenceAndTheDetailsOnlyInTheLog(CapturedOutput log) throws Exception {
        MvcResult result = mvc.perform(get("/portal/test/fails")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(500);
        String html = result.getResponse().getContentAsString();
        assertThat(html).doesNotContain("hunter2", "IllegalStateException", "FailingPageController");
        Document page = Jsoup.parse(html);
        assertThat(page.select("h1").text()).isEqualTo("Something went wrong");
        String reference = page.select(".error-reference code").text();
        assertThat(reference).matches("[0-9a-f]{8}");
        assertThat(log.getOut()).contains("(reference " + reference + ")", "IllegalStateException", "hunter2");
    }

    @Test
    void anUnknownPathBelowTheUiIsA404PageInTheShell() throws Exception {
        MvcResult result = mvc.perform(get("/portal/no/such/page")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(404);
        assertThat(Jsoup.parse(result.getResponse().getContentAsString()).select(".error-message").text())
                .isEqualTo("There is no page at /portal/no/such/page.");
    }

    // --- helpers

    private Document page(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(result.getResponse().getContentType()).isEqualTo("text/html;charset=UTF-8");
        return Jsoup.parse(result.getResponse().getContentAsString());
    }

    /** "<count>" of a facet value, or "<count> selected" when it is selected. */
    private static String facetValue(Document page, String facet, String value) {
        Element section = page.select("section.facet").stream()
                .filter(candidate -> candidate.selectFirst(".facet-title").text().equals(facet)).findFirst().orElseThrow();
        Element link = section.select("a.facet-value").stream()
                .filter(candidate -> candidate.selectFirst(".facet-label").text().equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError(facet + " has no value " + value));
        return link.selectFirst(".count").text() + ("true".equals(link.attr("aria-pressed")) ? " selected" : "");
    }

    private static String fact(Document page, String label) {
        return page.select("dl.facts dt").stream().filter(dt -> dt.text().equals(label)).findFirst()
                .map(dt -> dt.nextElementSibling().text()).orElseThrow(() -> new AssertionError("no fact " + label));
    }

    private static List<String> section(Document page, String title) {
        return page.select("section.card").stream()
                .filter(card -> card.selectFirst("h2") != null && card.selectFirst("h2").ownText().equals(title))
                .findFirst().orElseThrow(() -> new AssertionError("no section " + title))
                .select(".ref-list li > a").eachText();
    }
}
