package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;

import java.util.Objects;

/**
 * Reads {@code url} locations: a URL of a git shape ({@link GitUrl}) from its repository with JGit,
 * any other URL of a descriptor file over plain HTTP(S) behind the reading allow-list.
 */
public final class UrlLocationReader implements LocationReader {

    private final GitLocationReader git;
    private final HttpLocationReader http;

    public UrlLocationReader(GitLocationReader git, HttpLocationReader http) {
        this.git = Objects.requireNonNull(git, "git");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String type() {
        return LocationSpec.URL;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        return readerOf(location).read(location, knownVersion);
    }

    @Override
    public SourceSnapshot open(LocationSpec location, String knownVersion) {
        return readerOf(location).open(location, knownVersion);
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        return readerOf(base).resolve(base, target);
    }

    /** The plain HTTP reader, whose allow-list also fences what users register. */
    public HttpLocationReader http() {
        return http;
    }

    private LocationReader readerOf(LocationSpec location) {
        try {
            return GitUrl.parse(location.target()).isPresent() ? git : http;
        } catch (InvalidInputException e) {
            throw new LocationReadException(location, e.getMessage());
        }
    }
}
