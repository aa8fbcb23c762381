package dev.portal.autoconfigure.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.ConfiguredLocation;
import dev.portal.catalog.ingest.discovery.DiscoverySettings;
import dev.portal.catalog.ingest.ldap.LdapOrgSettings;
import dev.portal.catalog.model.LocationSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code portal.catalog.providers.*} as portal-core's settings, and the configured location each
 * provider becomes: {@code ldap-org:<id>} (trusted: a directory is where people and teams come from)
 * and {@code discovery:<id>} (trusted only if configured so).
 */
final class CatalogProviders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogProviders() {
    }

    static List<ConfiguredLocation> locations(PortalCatalogProperties properties) {
        List<ConfiguredLocation> locations = new ArrayList<>();
        properties.getProviders().getLdapOrg().keySet().forEach(id ->
                locations.add(new ConfiguredLocation(new LocationSpec("ldap-org", id), true)));
        properties.getProviders().getDiscovery().forEach((id, discovery) ->
                locations.add(new ConfiguredLocation(new LocationSpec("discovery", id), discovery.isTrusted())));
        return locations;
    }

    static List<LdapOrgSettings> ldapOrgs(PortalCatalogProperties properties) {
        List<LdapOrgSettings> settings = new ArrayList<>();
        properties.getProviders().getLdapOrg().forEach((id, ldap) -> {
            String property = "portal.catalog.providers.ldap-org." + id;
            if (ldap.getTarget() == null || ldap.getTarget().isBlank()) {
                throw new IllegalStateException(property + ".target must be set (ldap://host:port or ldaps://host:port)");
            }
            try {
                settings.add(new LdapOrgSettings(id, ldap.getTarget(), ldap.getBind().getDn(), ldap.getBind().getSecret(),
                        searches(property + ".users", ldap.getUsers()), searches(property + ".groups", ldap.getGroups()),
                        ldap.getTimeout()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + ": " + e.getMessage(), e);
            }
        });
        return settings;
    }

    private static List<LdapOrgSettings.Search> searches(String property, List<PortalCatalogProperties.LdapSearch> searches) {
        List<LdapOrgSettings.Search> result = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
            PortalCatalogProperties.LdapSearch search = searches.get(i);
            if (search.getDn() == null || search.getDn().isBlank()) {
                throw new IllegalStateException(property + "[" + i + "].dn must be set");
            }
            LdapOrgSettings.Scope scope;
            try {
                scope = LdapOrgSettings.Scope.valueOf(search.getOptions().getScope().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + "[" + i + "].options.scope must be base, one or sub");
            }
            Map<String, JsonNode> set = new LinkedHashMap<>();
            flatten("", search.getSet(), set);
            result.add(new LdapOrgSettings.Search(search.getDn(), scope, search.getOptions().getFilter(),
                    search.getOptions().getPaged(), search.getMap(), set));
        }
        return result;
    }

    /** Spring binds {@code set: {spec.type: team}} as nested maps or dotted keys; both become dotted paths. */
    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> values, Map<String, JsonNode> into) {
        values.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !isList(nested)) {
                flatten(path, (Map<String, Object>) nested, into);
            } else {
                into.put(path, JSON.valueToTree(isList(value) ? ((Map<String, Object>) value).values() : value));
            }
        });
    }

    /** Spring binds a YAML list under a Map<String, Object> as a map with keys 0, 1, ... */
    private static boolean isList(Object value) {
        return value instanceof Map<?, ?> map && !map.isEmpty()
                && map.keySet().stream().allMatch(key -> String.valueOf(key).matches("\\d+"));
    }

    static List<DiscoverySettings> discoveries(PortalCatalogProperties properties) {
        List<DiscoverySettings> settings = new ArrayList<>();
        properties.getProviders().getDiscovery().forEach((id, discovery) -> {
            String property = "portal.catalog.providers.discovery." + id;
            PortalCatalogProperties.Organization organization = discovery.getOrganization();
            try {
                DiscoverySettings.Organization org = organization.getType() == null ? null
                        : new DiscoverySettings.Organization(organization.getType(), organization.getUrl(),
                        organization.getApiUrl(), organization.getName(), organization.isSkipArchived());
                DiscoverySettings made = new DiscoverySettings(id, discovery.getRepositories(), discovery.getUrlPattern(),
                        discovery.getNames(), org, discovery.getCatalogPath());
                if (made.repositories().isEmpty() && made.urlPattern() == null && org == null) {
                    throw new IllegalArgumentException("name repositories, a url-pattern with names, or an organization");
                }
                settings.add(made);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalStateException(property + ": " + e.getMessage(), e);
            }
        });
        return settings;
    }
}
