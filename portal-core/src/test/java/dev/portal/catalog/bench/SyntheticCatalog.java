package dev.portal.catalog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic organization for benchmarks: groups, users, systems, APIs and components with
 * owners, systems, provided/consumed APIs, dependencies, labels, annotations and tags, written as
 * descriptor files named by one root Location entity. Deterministic for a given size.
 *
 * @param root the root Location descriptor to register
 */
public record SyntheticCatalog(Path root, int components, int apis, int systems, int groups, int users) {

    private static final int ENTITIES_PER_FILE = 1000;
    private static final String[] LIFECYCLES = {"production", "experimental", "deprecated"};
    private static final String[] COMPONENT_TYPES = {"service", "website", "library", "worker"};

    public int total() {
        return components + apis + systems + groups + users;
    }


    /** Writes the catalog as files of 1000 entities each, named by one root Location entity. */
    public static SyntheticCatalog write(Path dir, int total) throws IOException {
        int groups = Math.max(1, total / 50);
        int users = Math.max(1, total / 10);
        int systems = Math.max(1, total / 100);
        int apis = Math.max(1, total / 10);
        int components = Math.max(1, total - groups - users - systems - apis);
        Random random = new Random(7);
        List<String> documents = new ArrayList<>(total);
        for (int i = 0; i < groups; i++) {
            documents.add("""
                    apiVersion: backstage.io/v1alpha1
                    kind: Group
                    metadata:
                      name: group-%d
                    spec:
                      type: team
                      children: []
                    """.formatted(i) + (i > 0 ? "  parent: group-" + (i - 1) / 5 + "\n" : ""));
        }
        for (int i = 0; i < users; i++) {
            documents.add("""
                    apiVersion: backstage.io/v1alpha1
                    kind: User
                    metadata:
                      name: user-%d
                    spec:
                      profile:
                        email: user-%d@example.com
                      memberOf: [group-%d]
                    """.formatted(i, i, random.nextInt(groups)));
        }
        for (int i = 0; i < systems; i++) {
            documents.add("""
                    apiVersion: backstage.io/v1alpha1
                    kind: System
                    metadata:
                      name: system-%d
                    spec:
                      owner: group-%d
                    """.formatted(i, random.nextInt(groups)));
        }
        for (int i = 0; i < apis; i++) {
            documents.add("""
                    apiVersion: backstage.io/v1alpha1
                    kind: API
                    metadata:
                      name: api-%d
                      tags: [rest, generated]
                    spec:
                      type: openapi
                      lifecycle: %s
                      owner: group-%d
                      system: system-%d
                      definition: "openapi: 3.0.3"
                    """.formatted(i, LIFECYCLES[random.nextInt(LIFECYCLES.length)], random.nextInt(groups),
                    random.nextInt(systems)));
        }
        for (int i = 0; i < components; i++) {
            documents.add("""
                    apiVersion: backstage.io/v1alpha1
                    kind: Component
                    metadata:
                      name: component-%d
                      description: Synthetic component number %d
                      labels:
                        tier: tier-%d
                      annotations:
                        example.com/runbook: https://runbooks.example.com/component-%d
                      tags: [java, team-%d]
                    spec:
                      type: %s
                      lifecycle: %s
                      owner: group-%d
                      system: system-%d
                      providesApis: [api-%d]
                      consumesApis: [api-%d]
                      dependsOn: [component:component-%d]
                    """.formatted(i, i, i % 3, i, i % 20, COMPONENT_TYPES[random.nextInt(COMPONENT_TYPES.length)],
                    LIFECYCLES[random.nextInt(LIFECYCLES.length)], random.nextInt(groups), random.nextInt(systems),
                    random.nextInt(apis), random.nextInt(apis), random.nextInt(components)));
        }
        List<String> targets = new ArrayList<>();
        for (int file = 0; file * ENTITIES_PER_FILE < documents.size(); file++) {
            List<String> chunk = documents.subList(file * ENTITIES_PER_FILE,
                    Math.min(documents.size(), (file + 1) * ENTITIES_PER_FILE));
            Path path = dir.resolve("entities-" + file + ".yaml");
            Files.writeString(path, String.join("---\n", chunk));
            targets.add("./" + path.getFileName());
        }
        Path root = dir.resolve("all.yaml");
        Files.writeString(root, """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: bench
                spec:
                  targets: [%s]
                """.formatted(String.join(", ", targets)));
        return new SyntheticCatalog(root, components, apis, systems, groups, users);
    }
}
