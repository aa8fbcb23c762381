package dev.portal.catalog.orchestration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.LocationStore;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.PostgresDatabase;
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

    // --- claim, then read with nothing held, then write

    @Test
    void aSourceBeingReadHoldsNoConnection() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.database().jdbcUrl());
        config.setUsername(PostgresDatabase.user());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(2_000);
        try (HikariDataSource onlyOne = new HikariDataSource(config)) {
            BlockingReader reader = new BlockingReader();
            Catalog catalog = new Catalog(db.database().schema().dsl(onlyOne),
                    CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1)), List.of(reader));
            catalog.register(new LocationSpec("blocking", "first"), Location.Origin.API);
            Thread.sleep(5);
            reader.block.set(true);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> refresh = pool.submit(() -> catalog.refreshLoop(Duration.ofSeconds(1)).processNext());
            assertThat(reader.entered.await(10, TimeUnit.SECONDS)).isTrue();

            // the pool's only connection is free while the source is being read
            assertThat(catalog.entities().byRef(EntityRef.parse("component:default/first"))).isPresent();

            reader.release.countDown();
            refresh.get(10, TimeUnit.SECONDS);
            pool.shutdown();
        }
    }

    @Test
    void aPassThatARefreshOvertookWritesNothing() throws Exception {
        ScriptedReader reader = new ScriptedReader();
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1)),
                List.of(reader));
        EntityRef svc = EntityRef.parse("component:default/svc");
        reader.owners.add("team-a");
        catalog.register(new LocationSpec("scripted", "svc"), Location.Origin.API);
        Thread.sleep(5);
        reader.owners.add("team-old");
        reader.owners.add("team-new");
        reader.holdNext.set(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<java.util.Optional<ProcessingReport>> slow = pool.submit(() -> catalog.refreshLoop(Duration.ofSeconds(1)).processNext());
        assertThat(reader.entered.await(10, TimeUnit.SECONDS)).isTrue();

        catalog.refresh(svc);   // somebody asks for a refresh meanwhile: it reads team-new and writes it
        assertThat(catalog.entities().byRef(svc).orElseThrow().entity().spec().path("owner").asText()).isEqualTo("team-new");
        reader.release.countDown();

        assertThat(slow.get(10, TimeUnit.SECONDS)).as("the overtaken pass reports nothing").isEmpty();
        assertThat(catalog.entities().byRef(svc).orElseThrow().entity().spec().path("owner").asText())
                .as("and wrote nothing").isEqualTo("team-new");
        pool.shutdown();
    }

    @Test
    void theLoopReadsSeveralLocationsAtOnceSoASlowOneHoldsUpOnlyItsWorker() throws Exception {
        BlockingReader reader = new BlockingReader();
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(50)),
                List.of(reader));
        catalog.register(new LocationSpec("blocking", "first"), Location.Origin.API);
        catalog.register(new LocationSpec("blocking", "second"), Location.Origin.API);
        reader.block.set(true);
        try (RefreshLoop loop = catalog.refreshLoop(Duration.ofMillis(20), 2)) {
            loop.start();
            assertThat(reader.entered.await(10, TimeUnit.SECONDS)).isTrue();
            int before = reader.secondReads.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (reader.secondReads.get() < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reader.secondReads.get()).as("second is read again and again while first is stuck")
                    .isGreaterThanOrEqualTo(before + 2);
            reader.release.countDown();
        }
    }

    @Test
    void aRefreshThatFindsNewNestedLocationsHasTheRunningLoopReadThemNotAtItsNextPoll() throws Exception {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
        Path root = write(dir.resolve("root.yaml"), rootLocation());
        register(catalog, root);
        write(dir.resolve("nested.yaml"), component("nested-svc", "team-a"));
        Files.writeString(root, rootLocation("./nested.yaml"));
        EntityRef nested = EntityRef.parse("component:default/nested-svc");
        try (RefreshLoop loop = catalog.refreshLoop(Duration.ofHours(1))) {
            loop.start();
            Thread.sleep(300);   // the loop's first poll (at start) has passed with nothing due

            catalog.refresh(EntityRef.parse("location:default/root"));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (catalog.entities().byRef(nested).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(catalog.entities().byRef(nested)).as("read within seconds, the next poll is an hour away")
                    .isPresent();
        }
    }

    @Test
    void nestedLocationsPastTheRegistrationsLimitAreReadByTheRunningLoopNotAtItsNextPoll() throws Exception {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withMaxLocationsPerRegistration(1));
        write(dir.resolve("nested.yaml"), component("nested-svc", "team-a"));
        Path root = write(dir.resolve("root.yaml"), rootLocation("./nested.yaml"));
        EntityRef nested = EntityRef.parse("component:default/nested-svc");
        try (RefreshLoop loop = catalog.refreshLoop(Duration.ofHours(1))) {
            loop.start();
            Thread.sleep(300);   // the loop's first poll (at start) has passed with nothing due

            Catalog.Registration registration = register(catalog, root);

            assertThat(registration.reports()).as("the registration itself read only the root").hasSize(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (catalog.entities().byRef(nested).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(catalog.entities().byRef(nested)).as("read within seconds, the next poll is an hour away")
                    .isPresent();
        }
    }

    private static String rootLocation(String... targets) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: root
                spec:
                  targets: [%s]
                """.formatted(String.join(", ", targets));
    }

    @Test
    void aClaimWhoseWorkerDiedIsTakenAgainWhenItsLeaseEnds() throws Exception {
        CatalogSettings settings = CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1))
                .withClaimLease(Duration.ofMillis(300));
        Catalog catalog = new Catalog(db.dsl(), settings);
        register(catalog, write(dir.resolve("catalog-info.yaml"), component("svc", "team-a")));
        Thread.sleep(5);
        // a worker claims the location and dies before it writes
        assertThat(LocationStore.jooq(db.dsl()).claimDue(java.time.OffsetDateTime.now(), settings.claimLease())).isPresent();

        assertThat(catalog.refreshLoop(Duration.ofSeconds(1)).processNext()).as("held by the dead worker").isEmpty();
        Thread.sleep(400);
        assertThat(catalog.refreshLoop(Duration.ofSeconds(1)).processNext()).as("its lease has ended").isPresent();
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

        final AtomicInteger secondReads = new AtomicInteger();

        @Override
        public SourceContent read(LocationSpec location, String knownVersion) {
            if (location.target().equals("second")) {
                secondReads.incrementAndGet();
            }
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

    /** A reader whose reads return the owners queued for them in turn; the first read after {@code holdNext} waits for the test. */
    private static final class ScriptedReader implements LocationReader {

        final java.util.Queue<String> owners = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicBoolean holdNext = new java.util.concurrent.atomic.AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public SourceContent read(LocationSpec location, String knownVersion) {
            String owner = owners.remove();
            if (holdNext.getAndSet(false)) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new SourceContent(owner, component(location.target(), owner).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public LocationSpec resolve(LocationSpec base, String target) {
            return new LocationSpec(type(), target);
        }
    }
}
