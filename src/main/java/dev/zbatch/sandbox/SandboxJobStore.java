package dev.zbatch.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accepted jobs. Always in memory (until evicted after retention); with a state directory also one file
 * {@code <id>.json} per job, written atomically (temp file, fsync, move) before the submission is answered.
 * Files are never deleted, so that per-body submission counts can be rebuilt after a restart (about 400 bytes
 * per job). A job whose webhook deliveries are over also gets an empty {@code <id>.webhook-done} marker, so that a
 * restarted server does not deliver them again.
 */
final class SandboxJobStore {

    private static final Logger log = LoggerFactory.getLogger(SandboxJobStore.class);
    private static final String SUFFIX = ".json";
    private static final String WEBHOOK_DONE_SUFFIX = ".webhook-done";

    private final Path stateDir;
    private final JsonMapper mapper;
    private final ConcurrentHashMap<String, SandboxJob> jobs = new ConcurrentHashMap<>();
    private final Set<String> webhooksDone = ConcurrentHashMap.newKeySet();

    SandboxJobStore(Path stateDir, JsonMapper mapper) {
        this.stateDir = stateDir;
        this.mapper = mapper;
    }

    /**
     * Reads every job file of the state directory (none without one), keeps those accepted after
     * {@code keepSinceMillis} in memory, and returns all of them (for the statistics).
     */
    List<SandboxJob> load(long keepSinceMillis) {
        List<SandboxJob> all = new ArrayList<>();
        if (stateDir == null) return all;
        try {
            Files.createDirectories(stateDir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*" + SUFFIX)) {
                for (Path file : files) {
                    try {
                        SandboxJob job = mapper.readValue(Files.readAllBytes(file), SandboxJob.class);
                        all.add(job);
                        if (job.submittedAtMillis() >= keepSinceMillis) jobs.put(job.id(), job);
                    } catch (JacksonException | IOException e) {
                        log.warn("Sandbox: ignoring unreadable job file {}: {}", file, e.getMessage());
                    }
                }
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*" + WEBHOOK_DONE_SUFFIX)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    webhooksDone.add(name.substring(0, name.length() - WEBHOOK_DONE_SUFFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Sandbox: cannot read its state directory " + stateDir, e);
        }
        return all;
    }

    /** Persists (when there is a state directory) and then remembers a newly accepted job. */
    void add(SandboxJob job) {
        if (stateDir != null) persist(job);
        jobs.put(job.id(), job);
    }

    Optional<SandboxJob> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Whether the webhook deliveries of this job are over (here or in an earlier server on the same directory). */
    boolean webhookDone(String id) {
        return webhooksDone.contains(id);
    }

    /** Remembers (and persists, best effort) that the webhook deliveries of this job are over. */
    void markWebhookDone(String id) {
        if (!webhooksDone.add(id) || stateDir == null) return;
        try {
            Files.write(stateDir.resolve(id + WEBHOOK_DONE_SUFFIX), new byte[0]);
        } catch (IOException e) {
            log.warn("Sandbox: cannot mark the webhook of job {} as delivered: {}", id, e.toString());
        }
    }

    /** Forgets (in memory only) the jobs accepted before {@code cutoffMillis}. */
    void evictAcceptedBefore(long cutoffMillis) {
        jobs.values().removeIf(job -> job.submittedAtMillis() < cutoffMillis);
    }

    private void persist(SandboxJob job) {
        Path target = stateDir.resolve(job.id() + SUFFIX);
        Path temp = null;
        try {
            temp = Files.createTempFile(stateDir, job.id() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(mapper.writeValueAsBytes(job));
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            throw new UncheckedIOException("Sandbox: cannot persist job " + job.id() + " in " + stateDir, e);
        }
    }
}
