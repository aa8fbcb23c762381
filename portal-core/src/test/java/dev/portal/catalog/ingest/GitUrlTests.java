package dev.portal.catalog.ingest;

import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.SymbolicRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every URL shape people paste, mapped onto (repository, ref, path) against a remote whose branches
 * are {@code main}, {@code feature}, {@code feature/x} and {@code release/2.0} and whose tags are
 * {@code v1.0} and {@code feature} (same name as a branch); {@code HEAD} points at {@code main}.
 */
class GitUrlTests {

    private static final ObjectId A = ObjectId.fromString("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final List<Ref> REFS = refs();

    private static List<Ref> refs() {
        List<Ref> refs = new ArrayList<>();
        for (String branch : List.of("main", "feature", "feature/x", "release/2.0")) {
            refs.add(new ObjectIdRef.PeeledNonTag(Ref.Storage.NETWORK, "refs/heads/" + branch, A));
        }
        for (String tag : List.of("v1.0", "feature")) {
            refs.add(new ObjectIdRef.PeeledNonTag(Ref.Storage.NETWORK, "refs/tags/" + tag, A));
        }
        refs.add(new SymbolicRef("HEAD", refs.getFirst()));
        return refs;
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                // Portal's own form and GitLab's
                arguments("https://git.example.com/team/svc.git/-/blob/main/catalog-info.yaml",
                        "https://git.example.com/team/svc.git", "main", "catalog-info.yaml"),
                arguments("file:///srv/git/svc.git/-/blob/main/dir/catalog-info.yaml",
                        "file:///srv/git/svc.git", "main", "dir/catalog-info.yaml"),
                arguments("https://gitlab.com/group/sub/svc/-/blob/feature/x/catalog-info.yaml",
                        "https://gitlab.com/group/sub/svc", "feature/x", "catalog-info.yaml"),
                arguments("https://gitlab.example.com/g/svc/-/blob/main/catalog-info.yaml?ref_type=heads",
                        "https://gitlab.example.com/g/svc", "main", "catalog-info.yaml"),
                arguments("https://gitlab.example.com/g/svc/-/tree/release/2.0/services",
                        "https://gitlab.example.com/g/svc", "release/2.0", "services/catalog-info.yaml"),
                arguments("https://gitlab.example.com/g/svc/-/tree/main",
                        "https://gitlab.example.com/g/svc", "main", "catalog-info.yaml"),
                arguments("https://gitlab.example.com/g/svc/-/raw/v1.0/catalog-info.yaml",
                        "https://gitlab.example.com/g/svc", "v1.0", "catalog-info.yaml"),
                // GitHub and GitHub Enterprise
                arguments("https://github.com/acme/svc/blob/main/catalog-info.yaml",
                        "https://github.com/acme/svc", "main", "catalog-info.yaml"),
                arguments("https://github.com/acme/svc/blob/feature/x/docs/catalog-info.yaml",
                        "https://github.com/acme/svc", "feature/x", "docs/catalog-info.yaml"),
                arguments("https://github.com/acme/svc/blob/feature/catalog-info.yaml",
                        "https://github.com/acme/svc", "feature", "catalog-info.yaml"),
                arguments("https://github.com/acme/svc/blob/refs/heads/feature/x/catalog-info.yaml",
                        "https://github.com/acme/svc", "feature/x", "catalog-info.yaml"),
                arguments("https://ghe.example.com/acme/svc/tree/main/services/a",
                        "https://ghe.example.com/acme/svc", "main", "services/a/catalog-info.yaml"),
                arguments("https://github.com/acme/svc/raw/main/catalog-info.yaml",
                        "https://github.com/acme/svc", "main", "catalog-info.yaml"),
                arguments("https://raw.githubusercontent.com/acme/svc/release/2.0/catalog-info.yaml",
                        "https://github.com/acme/svc", "release/2.0", "catalog-info.yaml"),
                arguments("https://github.com/acme/src/blob/main/catalog-info.yaml",
                        "https://github.com/acme/src", "main", "catalog-info.yaml"),
                // Bitbucket Cloud
                arguments("https://bitbucket.org/acme/svc/src/main/catalog-info.yaml",
                        "https://bitbucket.org/acme/svc", "main", "catalog-info.yaml"),
                arguments("https://bitbucket.org/acme/svc/src/feature/x/catalog-info.yaml?at=feature%2Fx",
                        "https://bitbucket.org/acme/svc", "feature/x", "catalog-info.yaml"),
                // Bitbucket Server / Data Center
                arguments("https://bitbucket.example.com/projects/ACME/repos/svc/browse/catalog-info.yaml?at=refs%2Fheads%2Ffeature%2Fx",
                        "https://bitbucket.example.com/scm/acme/svc.git", "feature/x", "catalog-info.yaml"),
                arguments("https://bitbucket.example.com/projects/ACME/repos/svc/browse/dir/catalog-info.yaml?at=release/2.0",
                        "https://bitbucket.example.com/scm/acme/svc.git", "release/2.0", "dir/catalog-info.yaml"),
                arguments("https://bitbucket.example.com/bitbucket/projects/ACME/repos/svc/browse/catalog-info.yaml",
                        "https://bitbucket.example.com/bitbucket/scm/acme/svc.git", "main", "catalog-info.yaml"),
                arguments("https://bitbucket.example.com/users/jo/repos/svc/browse",
                        "https://bitbucket.example.com/scm/~jo/svc.git", "main", "catalog-info.yaml"),
                // Gitea, Forgejo
                arguments("https://gitea.example.com/acme/svc/src/branch/feature/x/catalog-info.yaml",
                        "https://gitea.example.com/acme/svc", "feature/x", "catalog-info.yaml"),
                arguments("https://codeberg.org/acme/svc/src/tag/v1.0/catalog-info.yaml",
                        "https://codeberg.org/acme/svc", "v1.0", "catalog-info.yaml"),
                arguments("https://gitea.example.com/acme/svc/src/tag/feature/catalog-info.yaml",
                        "https://gitea.example.com/acme/svc", "feature", "catalog-info.yaml"),
                // Azure DevOps
                arguments("https://dev.azure.com/acme/platform/_git/svc?path=/catalog-info.yaml&version=GBfeature/x",
                        "https://dev.azure.com/acme/platform/_git/svc", "feature/x", "catalog-info.yaml"),
                arguments("https://dev.azure.com/acme/platform/_git/svc?path=%2Fdir%2Fcatalog-info.yaml&version=GTv1.0",
                        "https://dev.azure.com/acme/platform/_git/svc", "v1.0", "dir/catalog-info.yaml"),
                arguments("https://acme.visualstudio.com/platform/_git/svc",
                        "https://acme.visualstudio.com/platform/_git/svc", "main", "catalog-info.yaml"),
                // Gerrit / Gitiles
                arguments("https://gerrit.example.com/plugins/gitiles/platform/svc/+/refs/heads/feature/x/catalog-info.yaml",
                        "https://gerrit.example.com/platform/svc", "feature/x", "catalog-info.yaml"),
                arguments("https://chromium.googlesource.com/infra/svc/+/main/dir/catalog-info.yaml",
                        "https://chromium.googlesource.com/infra/svc", "main", "dir/catalog-info.yaml"),
                // bare repositories: the default branch's catalog-info.yaml at the root
                arguments("https://git.example.com/team/svc.git",
                        "https://git.example.com/team/svc.git", "main", "catalog-info.yaml"),
                arguments("https://github.com/acme/svc",
                        "https://github.com/acme/svc", "main", "catalog-info.yaml"),
                arguments("https://gitlab.com/group/sub/svc",
                        "https://gitlab.com/group/sub/svc", "main", "catalog-info.yaml"),
                arguments("ssh://git@git.example.com/team/svc",
                        "ssh://git@git.example.com/team/svc", "main", "catalog-info.yaml"),
                arguments("file:///srv/git/svc.git",
                        "file:///srv/git/svc.git", "main", "catalog-info.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void mapsEveryShapeOntoRepositoryRefAndPath(String url, String repository, String ref, String path) {
        GitTarget target = GitUrl.parseGit(url).resolve(REFS).target();

        assertThat(target).isEqualTo(new GitTarget(repository, ref, path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void theHostFenceAppliesToEveryShape(String url, String repository) {
        String host = java.net.URI.create(repository).getHost();
        LocationSpec spec = new LocationSpec(LocationSpec.URL, url);

        assertThat(LocationPolicy.fenced(List.of(), List.of("elsewhere.example.org")).refusal(spec)).isPresent();
        if (host != null) {
            assertThat(LocationPolicy.fenced(List.of(), List.of(host)).refusal(spec)).isEmpty();
        } else {
            assertThat(LocationPolicy.fenced(List.of(Path.of("/")), List.of("localhost")).refusal(spec))
                    .hasValueSatisfying(reason -> assertThat(reason).contains("this server's disk"));
        }
    }

    @Test
    void aRawGithubUrlIsFencedOnTheHostThatIsContacted() {
        LocationSpec raw = new LocationSpec(LocationSpec.URL,
                "https://raw.githubusercontent.com/acme/svc/main/catalog-info.yaml");

        assertThat(LocationPolicy.fenced(List.of(), List.of("raw.githubusercontent.com")).refusal(raw)).isPresent();
        assertThat(LocationPolicy.fenced(List.of(), List.of("github.com")).refusal(raw)).isEmpty();
    }

    @Test
    void aPlainHttpFileIsNoGitShapeAndIsFencedOnItsHost() {
        LocationSpec plain = new LocationSpec(LocationSpec.URL, "https://config.example.com/catalog/all.yaml");

        assertThat(GitUrl.parse(plain.target())).isEmpty();
        assertThat(LocationPolicy.fenced(List.of(), List.of("git.example.com")).refusal(plain))
                .hasValueSatisfying(reason -> assertThat(reason).contains("config.example.com"));
        assertThat(LocationPolicy.fenced(List.of(), List.of("*.example.com")).refusal(plain)).isEmpty();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("https://git.example.com/team/svc", "ambiguous"),
                arguments("https://github.com/acme", "names neither a repository"),
                arguments("https://github.com/acme/svc/blob/main", "must name a repository, a branch and a file"),
                arguments("https://github.com/acme/svc/blob/", "names no ref"),
                arguments("https://github.com/acme/svc/blob/main/../../etc/passwd", "leaves the repository"),
                arguments("https://github.com/acme/svc/blob/feature/x/../../../catalog-info.yaml", "leaves the repository"),
                arguments("https://gitea.example.com/acme/svc/src/commit/0123456789abcdef0123456789abcdef01234567/catalog-info.yaml",
                        "pins a commit"),
                arguments("https://dev.azure.com/acme/p/_git/svc?path=/catalog-info.yaml&version=GC0123456789abcdef0123456789abcdef01234567",
                        "pins a commit"),
                arguments("https://dev.azure.com/acme/p/_git/svc?version=XYmain", "GB<branch> or GT<tag>"),
                arguments("https://dev.azure.com/acme/p/_git/svc/extra", "right after _git"),
                arguments("https://gerrit.example.com/svc/+/", "names no ref"),
                arguments("https://bitbucket.example.com/projects/ACME/repos/svc/browse/../../x.yaml", "leaves the repository"),
                arguments("file://otherhost/srv/git/svc.git/-/blob/main/catalog-info.yaml", "names a host in a file: URL"),
                arguments("svc.git/-/blob/main/catalog-info.yaml", "not an absolute URL"),
                arguments("https://raw.githubusercontent.com/acme/svc/main", "must name an owner, a repository, a ref and a file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatIsAmbiguousOrLeavesTheRepositoryWithAClearMessage(String url, String reason) {
        assertThatThrownBy(() -> GitUrl.parse(url)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(reason).hasMessageContaining(url.length() > 80 ? url.substring(0, 40) : url);
    }

    static Stream<Arguments> unresolvable() {
        return Stream.of(
                arguments("https://github.com/acme/svc/blob/0123456789abcdef0123456789abcdef01234567/catalog-info.yaml",
                        "pins the commit 0123456789abcdef0123456789abcdef01234567"),
                arguments("https://github.com/acme/svc/blob/develop/catalog-info.yaml", "no branch or tag 'develop'"),
                arguments("https://bitbucket.example.com/projects/A/repos/svc/browse/catalog-info.yaml?at=nope",
                        "no branch or tag 'nope'"),
                arguments("https://gitea.example.com/acme/svc/src/tag/release/2.0/catalog-info.yaml",
                        "no branch or tag 'release'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unresolvable")
    void refusesRefsTheRemoteDoesNotHave(String url, String reason) {
        GitUrl parsed = GitUrl.parseGit(url);

        assertThatThrownBy(() -> parsed.resolve(REFS)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void theLongestMatchingBranchWinsAndABranchWinsOverATagOfTheSameName() {
        assertThat(GitUrl.parseGit("https://github.com/a/b/tree/feature/x").resolve(REFS).target().branch())
                .isEqualTo("feature/x");
        assertThat(GitUrl.parseGit("https://github.com/a/b/blob/feature/y.yaml").resolve(REFS).ref().getName())
                .isEqualTo("refs/heads/feature");
        assertThat(GitUrl.parseGit("https://github.com/a/b/blob/refs/tags/feature/y.yaml").resolve(REFS).ref().getName())
                .isEqualTo("refs/tags/feature");
    }

    @Test
    void withoutASymbolicHeadTheDefaultBranchIsTheOneHeadsCommitIsOn() {
        List<Ref> refs = new ArrayList<>(REFS.subList(0, REFS.size() - 1));
        refs.add(new ObjectIdRef.PeeledNonTag(Ref.Storage.NETWORK, "HEAD", A));

        assertThat(GitUrl.parseGit("https://git.example.com/svc.git").resolve(refs).target().branch()).isEqualTo("main");
    }

    @Test
    void aUrlOfADescriptorFileThatIsNoGitShapeIsAPlainHttpFile() {
        assertThat(GitUrl.parse("https://config.example.com/catalog/all.yaml")).isEmpty();
        assertThat(GitUrl.parse("http://127.0.0.1:8080/files/catalog-info.json")).isEmpty();
        assertThat(GitUrl.parse("https://example.com/a/b/c/blob/x.yml")).isEmpty();
    }
}
