package dev.zbatch.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Images already paid for, kept by their canonical request, for any run on the machine ({@code zbatch.cache.dir}).
 * Only requests with a fixed seed are kept: with a random seed, the same request is another image.
 *
 * <p>An entry is a folder {@code entries/<first two of key>/<key>/} holding {@code entry.json} and the image files.
 * It is written whole in {@code tmp/} and renamed into place, so an entry that is there is complete; several zbatch
 * processes may fill the same cache at once (the first rename wins, the others are discarded). Every file's SHA-256
 * is checked before an entry is used: a damaged entry is not served, and the next run that makes the image again
 * replaces it.
 */
public final class ContentCache {

    private static final Logger log = LoggerFactory.getLogger(ContentCache.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ENTRY_FILE = "entry.json";

    private final Path dir;

    public ContentCache(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    public Path dir() {
        return dir;
    }

    private Path entryDir(String key) {
        return dir.resolve("entries").resolve(key.substring(0, 2)).resolve(key);
    }

    /** Whether an entry is there for the key (not checked: for an estimate). */
    public boolean contains(String key) {
        return Files.isRegularFile(entryDir(key).resolve(ENTRY_FILE));
    }

    /** The entry for this request, when it is there and every file is as recorded. */
    public Optional<CacheEntry> find(String key, String request) {
        Path entryDir = entryDir(key);
        Path entryFile = entryDir.resolve(ENTRY_FILE);
        if (!Files.isRegularFile(entryFile)) return Optional.empty();
        try {
            CacheEntry entry = read(entryDir, JSON.readTree(Files.readString(entryFile)));
            if (!entry.key().equals(key) || !entry.request().equals(request)) {
                log.warn("cache entry {} is for another request; not used", entryDir);
                return Optional.empty();
            }
            for (CachedImage image : entry.images()) {
                Path file = entry.fileOf(image);
                if (!Files.isRegularFile(file) || Files.size(file) != image.bytes()
                        || !sha256(file).equals(image.sha256())) {
                    log.warn("cache entry {}: {} is not as recorded (changed or damaged); not used", entryDir,
                            image.file());
                    return Optional.empty();
                }
            }
            return Optional.of(entry);
        } catch (IOException | RuntimeException e) {
            log.warn("cache entry {} cannot be read ({}); not used", entryDir, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Keeps the images of a request, copied from {@code files} (in image order); a complete entry already there is
     * kept as it is.
     */
    public void put(String key, String request, Long seed, String run, List<CachedImage> images, List<Path> files)
            throws IOException {
        Path target = entryDir(key);
        if (find(key, request).isPresent()) return;
        Path tmp = dir.resolve("tmp").resolve(UUID.randomUUID().toString());
        Files.createDirectories(tmp);
        try {
            ObjectNode entry = JSON.createObjectNode();
            entry.put("key", key);
            entry.put("request", request);
            if (seed != null) entry.put("seed", seed); else entry.putNull("seed");
            entry.put("run", run);
            ArrayNode list = entry.putArray("images");
            for (int i = 0; i < images.size(); i++) {
                CachedImage image = images.get(i);
                Files.copy(files.get(i), tmp.resolve(image.file()));
                ObjectNode node = list.addObject();
                node.put("image_no", image.imageNo());
                node.put("file", image.file());
                node.put("bytes", image.bytes());
                node.put("sha256", image.sha256());
                node.put("width", image.width());
                node.put("height", image.height());
                node.put("content_type", image.contentType());
                if (image.mismatch() != null) node.put("mismatch", image.mismatch());
            }
            Files.writeString(tmp.resolve(ENTRY_FILE), JSON.writeValueAsString(entry));
            Files.createDirectories(target.getParent());
            // damaged (find said no, and says so still): make room for the good one
            if (Files.exists(target) && find(key, request).isEmpty()) moveAside(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process put the same request first: its entry is as good as this one
            } catch (java.nio.file.FileSystemException e) {
                if (!Files.isDirectory(target)) throw e;
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache folder " + dir + " cannot rename folders atomically", e);
        } finally {
            deleteTree(tmp);
        }
    }

    private void moveAside(Path target) throws IOException {
        Path aside = dir.resolve("tmp").resolve(UUID.randomUUID() + "-damaged");
        try {
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return; // another process moved or replaced it meanwhile
        }
        deleteTree(aside);
    }

    private static CacheEntry read(Path entryDir, JsonNode node) {
        List<CachedImage> images = new ArrayList<>();
        for (JsonNode image : node.get("images")) {
            String file = image.get("file").asString();
            if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                throw new IllegalArgumentException("an image file name that leaves the entry: " + file);
            }
            images.add(new CachedImage(image.get("image_no").asInt(), file, image.get("bytes").asLong(),
                    image.get("sha256").asString(), image.get("width").asInt(), image.get("height").asInt(),
                    image.get("content_type").asString(),
                    image.hasNonNull("mismatch") ? image.get("mismatch").asString() : null));
        }
        if (images.isEmpty()) throw new IllegalArgumentException("an entry without images");
        JsonNode seed = node.get("seed");
        return new CacheEntry(node.get("key").asString(), node.get("request").asString(),
                seed == null || seed.isNull() ? null : seed.asLong(), node.get("run").asString(), images, entryDir);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.debug("cannot delete {}", p, e);
                }
            });
        } catch (IOException e) {
            log.debug("cannot delete {}", root, e);
        }
    }
}
