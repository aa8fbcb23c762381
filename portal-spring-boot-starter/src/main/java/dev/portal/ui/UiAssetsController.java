package dev.portal.ui;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.time.Duration;

/**
 * Serves the UI's static files below {@code <portal.ui.path>/assets/}: its own handler, not a
 * resource location added to the host's, with cache headers that let browsers keep a file for a
 * year (its path changes with its content).
 */
@Controller
public class UiAssetsController {

    private final UiAssets assets;

    public UiAssetsController(UiAssets assets) {
        this.assets = assets;
    }

    @GetMapping("${portal.ui.path:/portal}/assets/{version}/{name:.+}")
    ResponseEntity<byte[]> asset(@PathVariable String version, @PathVariable String name) {
        return assets.asset(name).map(asset -> ResponseEntity.ok()
                        .contentType(asset.contentType())
                        .eTag(asset.version())
                        // An old version's path still answers (with today's file), briefly cached.
                        .cacheControl(asset.version().equals(version)
                                ? CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable()
                                : CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                        .body(asset.content()))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
