package dev.portal.catalog.model;

import dev.portal.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogTextTests {

    @Test
    void namesTheFirstControlCharacterAndWhereItIs() {
        assertThat(CatalogText.problem("ab\u0000c\u001f")).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("contains the control character U+0000 at position 3"));
        assertThat(CatalogText.problem("\u009f")).isPresent();
    }

    @Test
    void allowsTabLineFeedCarriageReturnAndEverythingPrintable() {
        assertThat(CatalogText.problem("a\tb\r\nc äöü € 𝄞")).isEmpty();
        assertThat(CatalogText.problem(null)).isEmpty();
    }

    @Test
    void requireNamesTheInput() {
        assertThatThrownBy(() -> CatalogText.require("the full-text term", "x\u0000"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the full-text term contains the control character U+0000 at position 2;"
                        + " only tab, line feed and carriage return are allowed");
        assertThat(CatalogText.require("x", "fine")).isEqualTo("fine");
    }

    @Test
    void escapesControlCharactersSoTheTextCanBeStored() {
        assertThat(CatalogText.escaped("a\u0000b\u001f\tc")).isEqualTo("a\\u0000b\\u001f\tc");
        assertThat(CatalogText.escaped("plain")).isSameAs("plain");
    }

    @Test
    void entityRefsFromCallersFollowTheRule() {
        assertThatThrownBy(() -> EntityRef.parse("component:default/a\u0000b"))
                .isInstanceOf(InvalidEntityRefException.class)
                .hasMessageContaining("'component:default/a\\u0000b'").hasMessageContaining("U+0000");
        assertThatThrownBy(() -> EntityRef.of("component", "default", "a\u001fb"))
                .isInstanceOf(InvalidEntityRefException.class).hasMessageContaining("U+001F");
    }

    @Test
    void locationTargetsFollowTheRule() {
        assertThatThrownBy(() -> new LocationSpec(LocationSpec.FILE, "/srv/a\u0000.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("location target");
    }
}
