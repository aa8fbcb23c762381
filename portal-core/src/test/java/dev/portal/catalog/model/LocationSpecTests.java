package dev.portal.catalog.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocationSpecTests {

    private static final LocationSpec SECRET = new LocationSpec(LocationSpec.URL,
            "https://bot:s3cr3t@git.example.com/org/repo.git/-/blob/main/catalog-info.yaml");

    @Test
    void aPasswordInTheUserInfoOfAUrlIsFoundAndNeverShown() {
        assertThat(SECRET.hasPassword()).isTrue();
        assertThat(SECRET.redactedTarget()).isEqualTo("https://bot:***@git.example.com/org/repo.git/-/blob/main/catalog-info.yaml");
        assertThat(SECRET.toString()).doesNotContain("s3cr3t").startsWith("url:https://bot:***@");
        assertThat(SECRET.ref()).as("the identity stays exact").contains("s3cr3t");
    }

    @Test
    void aUserNameAloneOrAColonInAPathIsNoPassword() {
        assertThat(new LocationSpec(LocationSpec.URL, "https://portal-bot@git.example.com/a.git/-/blob/main/x.yaml").hasPassword())
                .isFalse();
        assertThat(new LocationSpec(LocationSpec.FILE, "/srv/catalog/a:b@c.yaml").hasPassword()).isFalse();
        assertThat(new LocationSpec(LocationSpec.URL, "https://git.example.com/a.git/-/blob/main/x@y:z.yaml").hasPassword())
                .isFalse();
    }

    @Test
    void redactsEveryUrlPasswordInAMessage() {
        assertThat(LocationSpec.redact("cannot reach https://bot:s3cr3t@h/x.git: https://u:p@h/y, http://nobody@h/z"))
                .isEqualTo("cannot reach https://bot:***@h/x.git: https://u:***@h/y, http://nobody@h/z");
    }
}
