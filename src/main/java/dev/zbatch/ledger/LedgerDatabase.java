package dev.zbatch.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ConfigException;
import dev.zbatch.ledger.migration.V1__Spring_batch_schema;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Opens the H2 file database that holds Spring Batch's tables and the ledger, migrated to the current schema.
 *
 * <p>The process that runs a job opens the file itself (embedded: the fastest way, and the only one that holds
 * H2's file lock) and serves it on a loopback port ({@link LedgerServer}), so that {@code status} and
 * {@code report} in another process can read the ledger while the run goes on ({@link #openShared}). Every
 * connection needs the ledger's key ({@link LedgerKey}).
 */
public final class LedgerDatabase {

    static {
        // H2's TCP server binds to every interface unless told otherwise; the ledger is for this machine only
        if (System.getProperty("h2.bindAddress") == null) System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    private LedgerDatabase() {
    }

    /**
     * {@code WRITE_DELAY=0}: a commit reaches the file before the call returns, so a {@code kill -9} right after
     * a request id was recorded cannot lose it. {@code DB_CLOSE_ON_EXIT=FALSE}: zbatch closes the database itself
     * after a Ctrl-C has stopped the job, rather than H2's own shutdown hook closing it under the running job
     * (which is also why H2's AUTO_SERVER mode, which requires that hook, is not used).
     */
    public static String url(Path dir) {
        return "jdbc:h2:file:" + file(dir) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The database file in a ledger folder. */
    public static final String FILE_NAME = "zbatch.mv.db";

    static String file(Path dir) {
        return dir.toAbsolutePath().resolve("zbatch").toString();
    }

    /** Opens the database file itself (creating and migrating it as needed). One process at a time. */
    public static HikariDataSource open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the ledger folder " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) throw new ConfigException("the ledger folder " + dir + " is not writable");
        String key = LedgerKey.of(dir);
        HikariDataSource dataSource;
        try {
            dataSource = openFile(dir, key);
        } catch (RuntimeException e) {
            if (isLocked(e)) {
                throw new ConfigException("the ledger in " + dir + " is in use by another zbatch process (a run in "
                        + "progress?); nothing was sent: wait for it to end, and see ./run.sh status", e);
            }
            throw e;
        }
        try {
            if (!isAtSchemaVersion(dataSource, SCHEMA_VERSION)) migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** The version of the newest migration in {@code db/migration}: a ledger at it has nothing to migrate. */
    static final String SCHEMA_VERSION = "8";

    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .javaMigrations(new V1__Spring_batch_schema())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /**
     * Whether the newest migration applied, and applied successfully, is {@code version}. Flyway itself takes
     * about 0.4 s to start and scan its migrations even when there is nothing to do, a third of zbatch's start-up.
     */
    static boolean isAtSchemaVersion(DataSource dataSource, String version) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet newest = statement.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\""
                     + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC LIMIT 1")) {
            return newest.next() && version.equals(newest.getString(1)) && newest.getBoolean(2);
        } catch (SQLException e) {
            return false; // a new ledger: no history yet
        }
    }

    private static HikariDataSource openFile(Path dir, String key) {
        try {
            return pool(url(dir), 16, key);
        } catch (RuntimeException e) {
            if (!hasErrorCode(e, ErrorCode.WRONG_USER_OR_PASSWORD)) throw e;
        }
        giveKey(dir, key); // a ledger made before ledgers had keys: its password is empty
        return pool(url(dir), 16, key);
    }

    private static void giveKey(Path dir, String key) {
        try (Connection connection = DriverManager.getConnection(url(dir), "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER USER SA SET PASSWORD '" + key + "'"); // hex digits: nothing to escape
        } catch (SQLException e) {
            if (hasErrorCode(e, ErrorCode.WRONG_USER_OR_PASSWORD)) {
                throw new ConfigException("the ledger in " + dir + " does not open with the key in "
                        + dir.resolve(LedgerKey.FILE) + " (was that file replaced?)", e);
            }
            throw new IllegalStateException("cannot open the ledger in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * For reading a run that may be in progress: through the running process's loopback server when there is
     * one, else the file itself.
     */
    public static HikariDataSource openShared(Path dir) {
        String served = LedgerServer.urlOfRunningServer(dir);
        if (served != null) {
            try {
                String key = LedgerKey.existing(dir);
                return pool(served, 2, key == null ? "" : key); // the pool connects at once: a dead server fails
            } catch (RuntimeException e) {
                // the process that served it is gone (killed): its port file is stale; read the file directly
            }
        }
        return open(dir);
    }

    private static boolean hasErrorCode(Throwable t, int code) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && sql.getErrorCode() == code) return true;
        }
        return false;
    }

    private static boolean isLocked(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("Database may be already in use") || m.contains("The file is locked")) return true;
        }
        return false;
    }

    /** Whether {@code dataSource} reads the ledger through a running process (which then holds the file). */
    public static boolean isServed(HikariDataSource dataSource) {
        return dataSource.getJdbcUrl().startsWith("jdbc:h2:tcp:");
    }

    private static HikariDataSource pool(String url, int size, String key) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword(key);
        config.setMaximumPoolSize(size);
        config.setPoolName("zbatch-ledger");
        return new HikariDataSource(config);
    }
}
