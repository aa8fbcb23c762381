package dev.portal.catalog;

import dev.portal.catalog.model.LocationSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocationPolicyTests {

    private final LocationPolicy policy = LocationPolicy.fenced(List.of(Path.of("/srv/catalog")),
            List.of("git.example.com", "*.corp.example"));

    private static LocationSpec file(String path) {
        return new LocationSpec(LocationSpec.FILE, path);
    }

    private static LocationSpec url(String target) {
        return new LocationSpec(LocationSpec.URL, target);
    }

    @Test
    void allowsFilesUnderAnAllowedRoot() {
        assertThat(policy.refusal(file("/srv/catalog/team-a/catalog-info.yaml"))).isEmpty();
        assertThat(policy.refusal(file("file:///srv/catalog/all.yaml"))).isEmpty();
    }

    @Test
    void refusesFilesThatEscapeTheRootWithDotDot() {
        assertThat(policy.refusal(file("/srv/catalog/../../etc/passwd"))).hasValueSatisfying(reason ->
                assertThat(reason).contains("/etc/passwd").contains("portal.catalog.allowed-file-roots"));
    }

    @Test
    void refusesSiblingFoldersThatOnlyShareAPrefix() {
        assertThat(policy.refusal(file("/srv/catalog-secrets/x.yaml"))).isPresent();
    }

    @Test
    void refusesRelativeFilePaths() {
        assertThat(policy.refusal(file("catalog-info.yaml"))).hasValueSatisfying(reason ->
                assertThat(reason).contains("absolute"));
    }

    @Test
    void allowsUrlsOnAllowedHostsAndSubdomainsOfAWildcard() {
        assertThat(policy.refusal(url("https://git.example.com/team/svc.git/-/blob/main/catalog-info.yaml"))).isEmpty();
        assertThat(policy.refusal(url("https://scm.corp.example/svc.git/-/blob/main/catalog-info.yaml"))).isEmpty();
    }

    @Test
    void refusesUrlsOnOtherHostsAndGitRepositoriesOnThisServersDisk() {
        assertThat(policy.refusal(url("https://evil.example.org/svc.git/-/blob/main/catalog-info.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("evil.example.org"));
        assertThat(policy.refusal(url("file:///srv/git/svc.git/-/blob/main/catalog-info.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("this server's disk"));
    }

    @Test
    void emptyListsRefuseEveryLocationAndSaySoByPropertyName() {
        LocationPolicy closed = LocationPolicy.fenced(List.of(), List.of());

        assertThat(closed.refusal(file("/srv/catalog/all.yaml"))).hasValueSatisfying(reason ->
                assertThat(reason).contains("portal.catalog.allowed-file-roots is empty"));
        assertThat(closed.refusal(url("https://git.example.com/svc.git/-/blob/main/c.yaml"))).hasValueSatisfying(
                reason -> assertThat(reason).contains("portal.catalog.allowed-hosts is empty"));
    }
}
