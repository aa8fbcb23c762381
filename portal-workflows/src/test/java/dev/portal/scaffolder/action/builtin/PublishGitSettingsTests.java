package dev.portal.scaffolder.action.builtin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PublishGitSettingsTests {

    @Test
    void defaultsEverythingButTheUrlPattern() {
        GitPublishSettings settings = GitPublishSettings.of("https://git.example.com/{owner}/{name}.git");

        assertThat(settings.defaultBranch()).isEqualTo("main");
        assertThat(settings.authorName()).isEqualTo("Portal Scaffolder");
        assertThat(settings.authorEmail()).isEqualTo("scaffolder@portal.local");
        assertThat(settings.createMissingFileRepositories()).isTrue();
        assertThat(settings.pushTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.hasCredentials()).isFalse();
    }

    @Test
    void sendsATokenWithAPlaceholderUserName() {
        GitPublishSettings settings = GitPublishSettings.of("https://git.example.com/{name}.git")
                .withCredentials(null, "token");

        assertThat(settings.hasCredentials()).isTrue();
        assertThat(settings.effectiveUsername()).isEqualTo("x-access-token");
    }

    @Test
    void neverShowsThePassword() {
        GitPublishSettings settings = GitPublishSettings.of("https://git.example.com/{name}.git")
                .withCredentials("bot", "hunter2");

        assertThat(settings.toString()).contains("username=bot").doesNotContain("hunter2");
    }

    @Test
    void refusesAPatternWithoutTheNamePlaceholder() {
        assertThatIllegalArgumentException().isThrownBy(() -> GitPublishSettings.of("https://git.example.com/x.git"))
                .withMessageContaining("must contain {name}");
    }

    @Test
    void refusesAPatternCarryingAPassword() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> GitPublishSettings.of("https://bot:hunter2@git.example.com/{name}.git"))
                .withMessageContaining("must not carry a password")
                .withMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh://git@git.example.com/{name}.git", "git.example.com/{name}.git",
            "file://server/srv/{name}.git", "file:relative/{name}.git"})
    void refusesPatternsThatAreNoAbsoluteFileOrHttpUrl(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> GitPublishSettings.of(pattern));
    }

    @Test
    void refusesANonPositivePushTimeout() {
        assertThatIllegalArgumentException().isThrownBy(() -> new GitPublishSettings("file:///srv/{name}.git",
                null, null, null, null, null, null, Duration.ZERO));
    }

    @Test
    void onlyRepositoriesOfThePublishPatternGetAPushUrlWithItsCredentials() {
        GitPublishSettings settings = GitPublishSettings.of("https://bot@git.example.com/{owner}/{name}.git");

        assertThat(settings.pushUrlFor("https://git.example.com/payments/ledger.git"))
                .contains("https://bot@git.example.com/payments/ledger.git");
        assertThat(settings.pushUrlFor("https://evil.example.org/payments/ledger.git")).isEmpty();
        assertThat(settings.pushUrlFor("https://git.example.com/payments/sub/ledger.git")).as("one segment per placeholder").isEmpty();
        assertThat(settings.pushUrlFor("https://git.example.com/../ledger.git")).isEmpty();
        assertThat(settings.pushUrlFor("https://git.example.com.evil.org/payments/ledger.git")).isEmpty();
        assertThat(GitPublishSettings.of("file:///srv/git/{name}.git").pushUrlFor("file:///srv/git/ledger.git"))
                .contains("file:///srv/git/ledger.git");
    }

    @Test
    void aCatalogLocationIsTrustedOnlyInARepositoryOfThePattern() {
        GitPublishSettings settings = GitPublishSettings.of("https://bot@git.example.com/{owner}/{name}.git");

        assertThat(settings.publishes("https://git.example.com/payments/ledger.git/-/blob/main/catalog-info.yaml")).isTrue();
        assertThat(settings.publishes("https://git.example.com.evil.org/payments/ledger.git/-/blob/main/catalog-info.yaml")).isFalse();
        assertThat(settings.publishes("https://git.example.com/payments/sub/ledger.git/-/blob/main/catalog-info.yaml")).isFalse();
        assertThat(settings.publishes("not a location")).isFalse();
    }
}
