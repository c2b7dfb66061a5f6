package dev.zbatch.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ConfigException;
import dev.zbatch.ledger.migration.V1__Spring_batch_schema;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the H2 file database that holds Spring Batch's tables and the ledger, migrated to the current schema. */
public final class LedgerDatabase {

    private LedgerDatabase() {
    }

    /**
     * {@code WRITE_DELAY=0}: a commit reaches the file before the call returns, so a {@code kill -9} right after
     * a request id was recorded cannot lose it. {@code DB_CLOSE_ON_EXIT=FALSE}: zbatch closes the database itself
     * after a Ctrl-C has stopped the job, rather than H2's own shutdown hook closing it under the running job.
     */
    public static String url(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("zbatch") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    public static HikariDataSource open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the ledger folder " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) throw new ConfigException("the ledger folder " + dir + " is not writable");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(dir));
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(16);
        config.setPoolName("zbatch-ledger");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .javaMigrations(new V1__Spring_batch_schema())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }
}
