package dev.portal.ui.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogViewsTests {

    @Test
    void linksOnlyWebAndMailAddresses() {
        assertThat(CatalogViews.safeHref("https://wiki.example.com/runbook")).isEqualTo("https://wiki.example.com/runbook");
        assertThat(CatalogViews.safeHref("mailto:team@example.com")).isEqualTo("mailto:team@example.com");
        assertThat(CatalogViews.safeHref("javascript:alert(1)")).isNull();
        assertThat(CatalogViews.safeHref("JavaScript:alert(1)")).isNull();
        assertThat(CatalogViews.safeHref("data:text/html,<script>alert(1)</script>")).isNull();
        assertThat(CatalogViews.safeHref("/etc/passwd")).isNull();
        assertThat(CatalogViews.safeHref("https:/no-host")).isNull();
        assertThat(CatalogViews.safeHref("not a url")).isNull();
    }
}
