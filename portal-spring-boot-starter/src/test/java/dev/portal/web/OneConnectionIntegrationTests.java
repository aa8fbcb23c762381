package dev.portal.web;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.web.CatalogHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog with one connection to spare, while a location is read from a git host that accepts
 * connections and never answers: reading a source holds no connection, so every read of the
 * catalog over HTTP is answered meanwhile, and the registration is refused with the reason once
 * the read timeout passes. (The pool has two connections, one of which the test holds throughout:
 * Portal's migration at start-up needs two.)
 */
@SpringBootTest(classes = OneConnectionIntegrationTests.Host.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"portal.catalog.allowed-hosts=127.0.0.1", "portal.catalog.refresh.read-timeout=6s",
                "portal.catalog.refresh.claim-lease=1m", "portal.catalog.refresh.enabled=false",
                "portal.catalog.locations[0].target=${user.dir}/src/test/resources/web/org.yaml"})
class OneConnectionIntegrationTests {

    private static final SilentGitHost SILENT = new SilentGitHost();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Host {

        @Bean(destroyMethod = "close")
        PostgresDatabase testDatabase() {
            return PostgresDatabase.create();
        }

        @Bean(destroyMethod = "close")
        HikariDataSource dataSource(PostgresDatabase database) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(PostgresDatabase.user());
            config.setMaximumPoolSize(2);
            config.setConnectionTimeout(3_000);
            return new HikariDataSource(config);
        }

        @Bean
        SecurityFilterChain api(HttpSecurity http) throws Exception {
            return CatalogApiTestApplication.apiSecurity(http);
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}demo").roles("USER").build());
        }
    }

    @AfterAll
    static void stopSilentHost() {
        SILENT.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    HikariDataSource pool;

    @Test
    void catalogReadsAreAnsweredWhileARegistrationWaitsOnAHostThatNeverAnswers() throws Exception {
        try (Connection pinned = pool.getConnection()) {
            assertThat(pinned.isValid(1)).isTrue();
            readsWhileARegistrationWaits();
        }
    }

    private void readsWhileARegistrationWaits() throws Exception {
        CatalogHttp alice = CatalogHttp.anonymous(port).as("alice", "demo");
        String target = "http://127.0.0.1:" + SILENT.port() + "/org/repo.git/-/blob/main/catalog-info.yaml";
        long started = System.nanoTime();
        CompletableFuture<Answer> registration = CompletableFuture.supplyAsync(() ->
                alice.post("/locations", "{\"type\": \"url\", \"target\": \"" + target + "\"}"));
        assertThat(SILENT.connected.await(10, TimeUnit.SECONDS)).as("the git host was reached").isTrue();

        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            Answer read = CatalogHttp.anonymous(port).get("/entities/by-name/group/default/web-team");
            assertThat(read.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
            assertThat(CatalogHttp.anonymous(port).get("/entities/by-query?limit=5").status()).isEqualTo(200);
        }
        assertThat(registration).as("the registration is still waiting on the host").isNotDone();

        Answer refused = registration.get(30, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).contains("cannot read url:" + target);
        assertThat(CatalogHttp.anonymous(port).get("/locations").raw().body()).doesNotContain(target);
    }

    /** Accepts connections and keeps them open without ever answering. */
    private static final class SilentGitHost implements AutoCloseable {

        final CountDownLatch connected = new CountDownLatch(1);
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentGitHost() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.ofPlatform().daemon().name("silent-git-host").start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                        connected.countDown();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : held) {
                    socket.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
