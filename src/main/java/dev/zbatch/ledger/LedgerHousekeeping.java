package dev.zbatch.ledger;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the ledger file from growing with every commit while a run writes to it.
 * <p>
 * H2 appends every commit to its file as a new chunk. A chunk can be freed, and its space used again, only once
 * none of its pages is live any more, and it is H2's background writer that copies the few pages still live out
 * of old chunks. With {@code WRITE_DELAY=0} (every commit on disk before it returns, see
 * {@link LedgerDatabase#url}) H2 runs no background writer, so no chunk was ever freed while a run went on: the
 * file grew by about 40 KB per image until the run ended (332 MB for the 8000-image benchmark, compacted to a
 * few MB only on close). This does what the background writer would, through H2's public API: every second,
 * pages still live in sparsely used chunks are written again with the next commit, and the old chunks are
 * freed once H2's retention time has passed (45 s, which keeps the file sound if the machine loses power).
 * The same benchmark then ends at about 170 MB, its file growing a sixth as fast after the first minutes; H2's own
 * background writer, measured the same way, did no better.
 */
public final class LedgerHousekeeping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LedgerHousekeeping.class);

    /** Chunks less full than this are rewritten (H2's own background writer aims at 90, or 81 while busy). */
    static final int TARGET_FILL_PERCENT = 80;
    /** At most about this much is rewritten per round, so that the commit carrying it stays cheap. */
    static final int REWRITE_BYTES_PER_ROUND = 256 * 1024;
    static final Duration EVERY = Duration.ofSeconds(1);

    private final MVStore store;
    private final ScheduledExecutorService timer;

    private LedgerHousekeeping(MVStore store) {
        this.store = store;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("zbatch-ledger-compact");
        threads.setDaemon(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(threads);
    }

    /** Starts compacting the file-based ledger behind {@code dataSource}; a served (TCP) ledger is left alone. */
    public static LedgerHousekeeping start(DataSource dataSource) {
        return start(dataSource, EVERY);
    }

    static LedgerHousekeeping start(DataSource dataSource, Duration every) {
        MVStore store = storeOf(dataSource);
        LedgerHousekeeping housekeeping = new LedgerHousekeeping(store);
        if (store != null) {
            housekeeping.timer.scheduleWithFixedDelay(housekeeping::compactOnce, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return housekeeping;
    }

    /** Whether this process holds the ledger file, and so compacts it. */
    boolean compacting() {
        return store != null;
    }

    /** One round: rewrites what is still live in sparsely used chunks (written with the next commit). */
    void compactOnce() {
        try {
            if (!store.isClosed()) store.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_ROUND);
        } catch (RuntimeException e) {
            log.debug("ledger compaction skipped: {}", e.toString());
        }
    }

    private static MVStore storeOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)) return null;
            if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) return null;
            return session.getDatabase().getStore().getMvStore();
        } catch (SQLException e) {
            log.debug("no ledger compaction: {}", e.toString());
            return null;
        }
    }

    /** Lets a round under way finish: an interrupt inside H2's file operations would close the database. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
