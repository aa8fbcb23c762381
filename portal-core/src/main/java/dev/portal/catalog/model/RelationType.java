package dev.portal.catalog.model;

import java.util.Map;

/** The relation types of Backstage's built-in kinds, and which type is the reverse of which. */
public final class RelationType {

    public static final String OWNED_BY = "ownedBy";
    public static final String OWNER_OF = "ownerOf";
    public static final String PART_OF = "partOf";
    public static final String HAS_PART = "hasPart";
    public static final String DEPENDS_ON = "dependsOn";
    public static final String DEPENDENCY_OF = "dependencyOf";
    public static final String PROVIDES_API = "providesApi";
    public static final String API_PROVIDED_BY = "apiProvidedBy";
    public static final String CONSUMES_API = "consumesApi";
    public static final String API_CONSUMED_BY = "apiConsumedBy";
    public static final String MEMBER_OF = "memberOf";
    public static final String HAS_MEMBER = "hasMember";
    public static final String CHILD_OF = "childOf";
    public static final String PARENT_OF = "parentOf";

    private static final Map<String, String> REVERSE = Map.ofEntries(
            Map.entry(OWNED_BY, OWNER_OF), Map.entry(OWNER_OF, OWNED_BY),
            Map.entry(PART_OF, HAS_PART), Map.entry(HAS_PART, PART_OF),
            Map.entry(DEPENDS_ON, DEPENDENCY_OF), Map.entry(DEPENDENCY_OF, DEPENDS_ON),
            Map.entry(PROVIDES_API, API_PROVIDED_BY), Map.entry(API_PROVIDED_BY, PROVIDES_API),
            Map.entry(CONSUMES_API, API_CONSUMED_BY), Map.entry(API_CONSUMED_BY, CONSUMES_API),
            Map.entry(MEMBER_OF, HAS_MEMBER), Map.entry(HAS_MEMBER, MEMBER_OF),
            Map.entry(CHILD_OF, PARENT_OF), Map.entry(PARENT_OF, CHILD_OF));

    private RelationType() {
    }

    /** The type of the same relation seen from its target, e.g. {@code ownerOf} for {@code ownedBy}. */
    public static String reverseOf(String type) {
        String reverse = REVERSE.get(type);
        if (reverse == null) {
            throw new IllegalArgumentException("no reverse known for relation type '" + type + "'");
        }
        return reverse;
    }
}
