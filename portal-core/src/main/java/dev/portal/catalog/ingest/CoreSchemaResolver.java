package dev.portal.catalog.ingest;

import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.regex.Pattern;

/**
 * Resolves plain scalars by the YAML 1.2 core schema instead of SnakeYAML's YAML 1.1 rules, so
 * descriptors read the same here as in Backstage: {@code 2024-01-01}, {@code yes}, {@code on} and
 * {@code 1_000} stay strings, {@code 010} is ten. {@code .inf} and {@code .nan} stay strings too,
 * because JSON has no way to hold them.
 */
final class CoreSchemaResolver extends Resolver {

    static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
    static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    static final Pattern INT = Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$");
    static final Pattern FLOAT = Pattern.compile("^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$");

    // Every character a non-empty match of one of the patterns can start with.
    private static final String TYPED_FIRST = "~nNtTfF+-.0123456789";

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.NULL, NULL, null);
        addImplicitResolver(Tag.BOOL, BOOL, null);
        addImplicitResolver(Tag.INT, INT, null);
        addImplicitResolver(Tag.FLOAT, FLOAT, null);
    }

    /**
     * A plain scalar no pattern can match (most keys, names and refs: {@code metadata},
     * {@code component:default/svc}) is a string without trying the four patterns on it: a file of
     * 100 entities has thousands of plain scalars, and each pattern tried is a new {@code Matcher}.
     */
    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
        if (kind == NodeId.scalar && implicit && !value.isEmpty() && TYPED_FIRST.indexOf(value.charAt(0)) < 0) {
            return Tag.STR;
        }
        return super.resolve(kind, value, implicit);
    }
}
