package dev.portal.catalog.refresh;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.register;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

class RefreshLoopIntegrationTests {

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();


    @TempDir
    Path dir;

    @Test
    void theLoopPicksUpAChangedFileOnceTheLocationIsDue() throws Exception {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1)));
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        register(catalog, file);
        Files.writeString(file, component("svc", "team-b"));
        Thread.sleep(5);

        int processed = catalog.refreshLoop(Duration.ofSeconds(1)).runOnce(10);

        assertThat(processed).isEqualTo(1);
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/svc")).orElseThrow()
                .entity().spec().path("owner").asText()).isEqualTo("team-b");
    }

    @Test
    void theListenerHearsOfEveryPassWhateverTriggeredIt() throws Exception {
        List<ProcessingReport> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProcessingListener listener = new ProcessingListener() {
            @Override
            public void processed(ProcessingReport report, Duration took) {
                heard.add(report);
            }
        };
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1)),
                Catalog.defaultReaders(CatalogSettings.defaults()), listener);
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));

        register(catalog, file);
        catalog.refresh(EntityRef.parse("component:default/svc"));
        Files.writeString(file, component("svc", "team-b"));
        Thread.sleep(5);
        catalog.refreshLoop(Duration.ofSeconds(1)).runOnce(10);

        assertThat(heard).extracting(ProcessingReport::created, ProcessingReport::unchanged, ProcessingReport::updated)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, false, 0),
                        org.assertj.core.groups.Tuple.tuple(0, true, 0),
                        org.assertj.core.groups.Tuple.tuple(0, false, 1));
    }

    @Test
    void aLocationThatIsNotDueIsLeftAlone() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofHours(1)));
        register(catalog, write(dir.resolve("catalog-info.yaml"), component("svc", "team-a")));

        assertThat(catalog.refreshLoop(Duration.ofSeconds(1)).runOnce(10)).isZero();
    }

    @Test
    void concurrentWorkersNeverProcessTheSameLocationAtOnce() throws Exception {
        CountingReader reader = new CountingReader();
        CatalogSettings settings = CatalogSettings.defaults().withRefreshInterval(Duration.ofHours(1));
        Catalog catalog = new Catalog(db.dsl(), settings, List.of(reader));
        int locations = 12;
        for (int i = 0; i < locations; i++) {
            catalog.register(new LocationSpec("counting", "svc-" + i), Location.Origin.API);
        }
        reader.reset();
        db.dsl().execute("update " + db.dsl().render(dev.portal.db.Tables.LOCATIONS)
                + " set next_refresh_at = now() - interval '1 minute', source_version = null");

        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new java.util.ArrayList<>();
        for (int w = 0; w < workers; w++) {
            RefreshLoop loop = catalog.refreshLoop(Duration.ofSeconds(1));
            results.add(pool.submit(() -> {
                start.await();
                return loop.runOnce(100);
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> result : results) {
            total += result.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(total).isEqualTo(locations);
        assertThat(reader.reads).hasSize(locations).allSatisfy((target, count) -> assertThat(count.get()).isEqualTo(1));
        assertThat(reader.maxConcurrentPerTarget.get()).isEqualTo(1);
        assertThat(reader.maxConcurrent.get()).as("workers really ran side by side").isGreaterThan(1);
    }

    @Test
    void aLocationHeldByOneWorkerIsSkippedByAnother() throws Exception {
        BlockingReader reader = new BlockingReader();
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1)),
                List.of(reader));
        catalog.register(new LocationSpec("blocking", "first"), Location.Origin.API);
        Thread.sleep(5);
        reader.block.set(true);

        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> holder = pool.submit(() -> catalog.refreshLoop(Duration.ofSeconds(1)).processNext());
        assertThat(reader.entered.await(10, TimeUnit.SECONDS)).isTrue();
        catalog.register(new LocationSpec("blocking", "second"), Location.Origin.API);
        Thread.sleep(5);

        ProcessingReport other = catalog.refreshLoop(Duration.ofSeconds(1)).processNext().orElseThrow();

        assertThat(other.location().target()).isEqualTo("second");
        reader.release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        pool.shutdown();
    }

    /** A reader of synthetic locations that records how many passes run at once, per target and overall. */
    private static final class CountingReader implements LocationReader {

        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final AtomicInteger maxConcurrentPerTarget = new AtomicInteger();

        void reset() {
            reads.clear();
            maxConcurrent.set(0);
            maxConcurrentPerTarget.set(0);
        }

        @Override
        public String type() {
            return "counting";
        }

        @Override
        public SourceContent read(LocationSpec location, String knownVersion) {
            String target = location.target();
            reads.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
            int mine = inFlight.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
            maxConcurrentPerTarget.accumulateAndGet(mine, Math::max);
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
                inFlight.get(target).decrementAndGet();
            }
            byte[] content = component(target, "team-a").getBytes(StandardCharsets.UTF_8);
            return new SourceContent(target + "-v1", content);
        }

        @Override
        public LocationSpec resolve(LocationSpec base, String target) {
            return new LocationSpec(type(), target);
        }
    }

    /** A reader that can hold a pass open until the test releases it. */
    private static final class BlockingReader implements LocationReader {

        final java.util.concurrent.atomic.AtomicBoolean block = new java.util.concurrent.atomic.AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String type() {
            return "blocking";
        }

        @Override
        public SourceContent read(LocationSpec location, String knownVersion) {
            if (block.get() && location.target().equals("first")) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new SourceContent(location.target() + "-" + System.nanoTime(),
                    component(location.target(), "team-a").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public LocationSpec resolve(LocationSpec base, String target) {
            return new LocationSpec(type(), target);
        }
    }
}
