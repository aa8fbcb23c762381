package dev.portal.catalog.ingest.ldap;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One directory the LDAP org provider reads, in the shape of Backstage's
 * {@code catalog.providers.ldapOrg.<id>}: where it is, how to bind, and where users and groups are
 * found and how their attributes map onto User and Group entities.
 *
 * @param id the provider's id; the location {@code ldap-org:<id>} reads it
 * @param target {@code ldap://host:port} or {@code ldaps://host:port}
 * @param bindDn the DN to bind as, or {@code null} for an anonymous bind
 * @param bindSecret the bind password (never shown or logged)
 * @param users where users are found; each search emits User entities
 * @param groups where groups are found; each search emits Group entities
 * @param timeout how long connecting and each search may take
 */
public record LdapOrgSettings(String id, String target, String bindDn, String bindSecret, List<Search> users,
                              List<Search> groups, Duration timeout) {

    public LdapOrgSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        Objects.requireNonNull(timeout, "timeout");
        String scheme = target.toLowerCase(Locale.ROOT);
        if (!scheme.startsWith("ldap://") && !scheme.startsWith("ldaps://")) {
            throw new IllegalArgumentException("LDAP org provider '" + id + "': target must be ldap://host[:port] or"
                    + " ldaps://host[:port]");
        }
    }

    @Override
    public String toString() {
        return "LdapOrgSettings[id=" + id + ", target=" + target + ", bindDn=" + bindDn + ", users=" + users
                + ", groups=" + groups + "]";
    }

    /** How deep below its base DN a search looks. */
    public enum Scope {
        /** The base entry only. */
        BASE,
        /** The entries right below the base. */
        ONE,
        /** The base and everything below it (the default). */
        SUB
    }

    /**
     * One search for users or groups.
     *
     * @param dn the base DN
     * @param scope how deep below it
     * @param filter an LDAP filter, e.g. {@code (objectClass=inetOrgPerson)}
     * @param pageSize results per page (the simple paged results control), or 0 to ask for everything at once
     * @param map entity field to attribute name, over the defaults ({@link #userDefaults()}, {@link #groupDefaults()})
     * @param set values put at dotted paths of every entity this search emits ({@code spec.type: team})
     */
    public record Search(String dn, Scope scope, String filter, int pageSize, Map<String, String> map,
                         Map<String, JsonNode> set) {

        public Search {
            Objects.requireNonNull(dn, "dn");
            scope = scope == null ? Scope.SUB : scope;
            filter = filter == null || filter.isBlank() ? "(objectClass=*)" : filter;
            map = map == null ? Map.of() : Map.copyOf(map);
            set = set == null ? Map.of() : new LinkedHashMap<>(set);
        }

        /** The attribute mapped to an entity field, the search's own or the default. */
        String attribute(String field, Map<String, String> defaults) {
            String mapped = map.get(field);
            return mapped != null ? (mapped.isBlank() ? null : mapped) : defaults.get(field);
        }
    }

    /** Backstage's default attributes for users: {@code rdn} and {@code name} uid, {@code displayName} cn, ... */
    public static Map<String, String> userDefaults() {
        return Map.of("rdn", "uid", "name", "uid", "description", "description", "displayName", "cn",
                "email", "mail", "memberOf", "memberOf", "uuid", "entryUUID");
    }

    /** Backstage's default attributes for groups: {@code rdn} and {@code name} cn, {@code members} member, ... */
    public static Map<String, String> groupDefaults() {
        return Map.of("rdn", "cn", "name", "cn", "description", "description", "displayName", "cn",
                "email", "mail", "type", "groupType", "memberOf", "memberOf", "members", "member", "uuid", "entryUUID");
    }
}
