package dev.portal.web;

import dev.portal.web.CatalogHttp.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A host's {@link CatalogPermissionPolicy} bean replaces the default and its refusals are 403s. */
@SpringBootTest(classes = {CatalogApiTestApplication.class, CustomPermissionPolicyIntegrationTests.OnlyTesterRegisters.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CustomPermissionPolicyIntegrationTests {

    @TestConfiguration(proxyBeanMethods = false)
    static class OnlyTesterRegisters {

        @Bean
        CatalogPermissionPolicy onlyTesterRegisters() {
            CatalogPermissionPolicy defaults = CatalogPermissionPolicy.authenticatedWrites(true);
            return (caller, permission, resource) -> defaults.isAllowed(caller, permission, resource)
                    && (permission != CatalogPermission.LOCATION_CREATE
                    || caller.user().map(user -> user.name().equals(CatalogApiTestApplication.USER)).orElse(false));
        }
    }

    @LocalServerPort
    int port;

    @Test
    void refusesWhatTheHostPolicyRefusesWithNotAllowed() {
        String body = "{\"type\":\"file\",\"target\":\""
                + Path.of("src/test/resources/web/catalog-info.yaml").toAbsolutePath() + "\"}";
        Answer refused = CatalogHttp.anonymous(port)
                .as(CatalogApiTestApplication.OTHER_USER, CatalogApiTestApplication.PASSWORD)
                .post("/locations?dryRun=true", body);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorName()).isEqualTo("NotAllowedError");
        assertThat(refused.errorMessage()).contains("user:default/other", "location.create");

        Answer allowed = CatalogHttp.anonymous(port)
                .as(CatalogApiTestApplication.USER, CatalogApiTestApplication.PASSWORD)
                .post("/locations?dryRun=true", body);
        assertThat(allowed.status()).isEqualTo(201);
    }
}
