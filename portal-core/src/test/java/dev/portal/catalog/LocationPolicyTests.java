package dev.portal.catalog;

import dev.portal.catalog.model.LocationSpec;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
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

    @Test
    void refusesRepositoriesOnThisServersDiskEvenWhenTheUrlNamesAnAllowedHost() {
        LocationPolicy localhost = LocationPolicy.fenced(List.of(), List.of("localhost"));

        assertThat(localhost.refusal(url("file://localhost/srv/git/svc.git/-/blob/main/catalog-info.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("file:///path"));
        assertThat(localhost.refusal(url("https://localhost/svc.git/-/blob/main/catalog-info.yaml"))).isEmpty();
    }

    @Test
    void refusesProtocolsOtherThanTheNetworkOnes() {
        assertThat(policy.refusal(url("sftp://git.example.com/svc.git/-/blob/main/catalog-info.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("must use git, http, https, ssh"));
        assertThat(policy.refusal(url("ssh://git.example.com/svc.git/-/blob/main/catalog-info.yaml"))).isEmpty();
    }

    // --- symbolic links: the fence holds for where a path leads, not only for how it is written

    @Test
    void refusesALinkInsideARootThatPointsOutsideWithoutNamingItsTarget(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/links"));
        Files.writeString(dir.resolve("secret.yaml"), "secret");
        Files.createSymbolicLink(root.resolve("passwd.yaml"), dir.resolve("secret.yaml"));
        LocationPolicy fenced = LocationPolicy.fenced(List.of(dir.resolve("root")), List.of());

        assertThat(fenced.refusal(file(root.resolve("passwd.yaml").toString()))).hasValueSatisfying(reason ->
                assertThat(reason).contains("leads outside the allowed file roots", "through a symbolic link")
                        .doesNotContain("secret.yaml"));
    }

    @Test
    void refusesFilesBelowALinkedFolderThatPointsOutsideEvenWhenTheyDoNotExistYet(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("root/escape"), dir.resolve("outside"));
        LocationPolicy fenced = LocationPolicy.fenced(List.of(dir.resolve("root")), List.of());

        assertThat(fenced.refusal(file(dir.resolve("root/escape/later/catalog-info.yaml").toString()))).isPresent();
    }

    @Test
    void allowsLinksThatStayInsideTheRootsAndRootsThatAreLinks(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("data/catalog"));
        Files.writeString(real.resolve("all.yaml"), "x: 1");
        Files.createSymbolicLink(real.resolve("current.yaml"), real.resolve("all.yaml"));
        Files.createSymbolicLink(dir.resolve("catalog"), real);
        LocationPolicy fenced = LocationPolicy.fenced(List.of(dir.resolve("catalog")), List.of());

        assertThat(fenced.refusal(file(dir.resolve("catalog/current.yaml").toString()))).isEmpty();
        assertThat(fenced.refusal(file(dir.resolve("catalog/not-yet.yaml").toString()))).isEmpty();
    }

    @Test
    void refusesALoopOfLinks(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(dir.resolve("root/a.yaml"), dir.resolve("root/b.yaml"));
        Files.createSymbolicLink(dir.resolve("root/b.yaml"), dir.resolve("root/a.yaml"));
        LocationPolicy fenced = LocationPolicy.fenced(List.of(dir.resolve("root")), List.of());

        assertThat(fenced.refusal(file(dir.resolve("root/a.yaml").toString()))).hasValueSatisfying(reason ->
                assertThat(reason).contains("cannot be resolved"));
    }
}
