package dev.portal.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/**
 * Serves the REST API's contract, {@code openapi/portal-api.yaml} as packaged in the starter, so
 * clients and tools can read the API of the version they talk to.
 */
@RestController
public class PortalApiSpecController {

    /** Where the contract is served. */
    public static final String PATH = "/api/portal/openapi.yaml";

    static final String RESOURCE = "META-INF/portal/openapi/portal-api.yaml";

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @GetMapping(path = PATH, produces = "application/yaml")
    public ResponseEntity<Resource> spec() {
        return ResponseEntity.ok()
                .contentType(YAML)
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
                .body(new ClassPathResource(RESOURCE));
    }
}
