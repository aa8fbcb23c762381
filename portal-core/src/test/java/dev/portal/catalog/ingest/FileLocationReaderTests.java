package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileLocationReaderTests {

    private final FileLocationReader reader = new FileLocationReader(1024);

    @TempDir
    Path dir;

    private static LocationSpec file(Path path) {
        return new LocationSpec(LocationSpec.FILE, path.toString());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void refusesANamedPipeInsteadOfWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("catalog-info.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        assertThatThrownBy(() -> reader.read(file(fifo), null))
                .isInstanceOf(LocationReadException.class)
                .hasMessageContaining("a special file (a named pipe, socket or device), not a regular file");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void refusesADeviceThatWouldNeverEnd() {
        assertThatThrownBy(() -> reader.read(file(Path.of("/dev/zero")), null))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> reader.read(file(dir), null))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("is a directory, not a regular file");
    }

    @Test
    void readsTheFileALinkLeadsTo() throws IOException {
        Path real = Files.writeString(dir.resolve("real.yaml"), "kind: Component\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real);

        assertThat(new String(reader.read(file(link), null).content(), StandardCharsets.UTF_8)).isEqualTo("kind: Component\n");
    }

    @Test
    void refusesAFileLargerThanTheLimitBeforeReadingIt() throws IOException {
        Path big = Files.write(dir.resolve("big.yaml"), new byte[2048]);

        assertThatThrownBy(() -> reader.read(file(big), null))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("ParserLimits.maxBytes");
    }

    @Test
    void namesAMissingFile() {
        assertThatThrownBy(() -> reader.read(file(dir.resolve("nope.yaml")), null))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("no such file");
    }
}
