package dev.zbatch.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ContentCacheTest {

    private static final String KEY = "ab" + "0".repeat(62);
    private static final String REQUEST = "{\"prompt\":\"a teapot\",\"seed\":7}";

    @TempDir
    Path dir;

    private Path image(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte) (i * 31);
        return Files.write(dir.resolve(name), bytes);
    }

    private static CachedImage described(Path file, int imageNo) throws Exception {
        return new CachedImage(imageNo, imageNo + ".png", Files.size(file), ContentCache.sha256(file), 64, 48,
                "image/png", null);
    }

    @Test
    void anEntryIsFoundOnlyForItsOwnRequestAndOnlyWhileItsFilesAreAsRecorded() throws Exception {
        ContentCache cache = new ContentCache(dir.resolve("cache"));
        Path file = image("a.png", 5000);
        cache.put(KEY, REQUEST, 7L, "job a in /out/a", List.of(described(file, 1)), List.of(file));

        Optional<CacheEntry> found = cache.find(KEY, REQUEST);
        assertThat(found).isPresent();
        assertThat(found.get().run()).isEqualTo("job a in /out/a");
        assertThat(found.get().seed()).isEqualTo(7L);
        assertThat(Files.readAllBytes(found.get().fileOf(found.get().images().get(0))))
                .isEqualTo(Files.readAllBytes(file));
        assertThat(cache.find(KEY, "{\"prompt\":\"another\"}")).as("same key, another request").isEmpty();

        Path cached = found.get().fileOf(found.get().images().get(0));
        Files.write(cached, new byte[5000]);
        assertThat(cache.find(KEY, REQUEST)).as("damaged").isEmpty();
        assertThat(cache.contains(KEY)).as("still there for an estimate, until replaced").isTrue();

        cache.put(KEY, REQUEST, 7L, "job b in /out/b", List.of(described(file, 1)), List.of(file));
        assertThat(cache.find(KEY, REQUEST)).get().extracting(CacheEntry::run).isEqualTo("job b in /out/b");
    }

    @Test
    void manyWritersAndReadersAtOnceNeverSeeAHalfWrittenEntry() throws Exception {
        ContentCache cache = new ContentCache(dir.resolve("cache"));
        Path file = image("big.png", 2_000_000);
        CachedImage image = described(file, 1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String run = "job " + i;
            writers.add(threads.submit(() -> {
                go.await();
                cache.put(KEY, REQUEST, 7L, run, List.of(image), List.of(file));
                return null;
            }));
        }
        List<Future<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            readers.add(threads.submit(() -> {
                go.await();
                int partial = 0;
                while (writing.get()) {
                    // an entry that is there at all is whole: a find either misses or verifies
                    if (cache.contains(KEY) && cache.find(KEY, REQUEST).isEmpty()) partial++;
                }
                return partial;
            }));
        }
        go.countDown();
        for (Future<?> writer : writers) writer.get(30, TimeUnit.SECONDS);
        writing.set(false);
        for (Future<Integer> reader : readers) assertThat(reader.get(30, TimeUnit.SECONDS)).isZero();
        threads.shutdown();

        assertThat(cache.find(KEY, REQUEST)).isPresent();
        try (Stream<Path> left = Files.list(dir.resolve("cache/tmp"))) {
            assertThat(left).isEmpty();
        }
    }
}
