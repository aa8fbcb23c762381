package dev.portal.catalog.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFReader;
import dev.portal.catalog.ingest.ldap.LdapOrgSettings;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * UnboundID's in-memory directory server on a free port, loaded from {@code ldap/acme.ldif}: the demo
 * organization (alice and bob in payments, carol in platform, both teams in engineering, engineering
 * in acme). A real LDAP server for tests, no Docker.
 */
public final class DemoDirectory implements AutoCloseable {

    public static final String BASE = "dc=acme,dc=example";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String GROUPS = "ou=groups," + BASE;
    public static final String READER = "cn=portal-reader";
    public static final String SECRET = "reader-s3cret";

    private final InMemoryDirectoryServer server;

    public DemoDirectory() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.addAdditionalBindCredentials(READER, SECRET);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        server = new InMemoryDirectoryServer(config);
        try (InputStream ldif = DemoDirectory.class.getResourceAsStream("/ldap/acme.ldif")) {
            server.importFromLDIF(true, new LDIFReader(ldif));
        }
        server.startListening();
    }

    public String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    /** The provider settings for this directory, with Backstage's default maps and the type from businessCategory. */
    public LdapOrgSettings settings(String id, int pageSize) {
        return new LdapOrgSettings(id, url(), READER, SECRET,
                List.of(new LdapOrgSettings.Search(PEOPLE, LdapOrgSettings.Scope.ONE, "(objectClass=inetOrgPerson)",
                        pageSize, Map.of(), Map.of())),
                List.of(new LdapOrgSettings.Search(GROUPS, LdapOrgSettings.Scope.SUB, "(objectClass=groupOfNames)",
                        pageSize, Map.of("type", "businessCategory"), Map.of())),
                Duration.ofSeconds(10));
    }

    public static String user(String uid) {
        return "uid=" + uid + "," + PEOPLE;
    }

    public static String group(String cn) {
        return "cn=" + cn + "," + GROUPS;
    }

    public void addMember(String group, String memberDn) throws LDAPException {
        server.modify(group(group), new Modification(ModificationType.ADD, "member", memberDn));
    }

    public void removeMember(String group, String memberDn) throws LDAPException {
        server.modify(group(group), new Modification(ModificationType.DELETE, "member", memberDn));
    }

    public void delete(String dn) throws LDAPException {
        server.delete(dn);
    }

    public void add(String... ldifLines) throws Exception {
        server.add(ldifLines);
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
