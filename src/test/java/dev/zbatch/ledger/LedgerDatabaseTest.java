package dev.zbatch.ledger;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LedgerDatabaseTest {

    @Test
    void aServedLedgerTakesItsKeyToConnect(@TempDir Path dir) throws Exception {
        try (HikariDataSource ledger = LedgerDatabase.open(dir); LedgerServer ignored = LedgerServer.start(dir)) {
            String served = LedgerServer.urlOfRunningServer(dir);
            assertThat(served).isNotNull();
            assertThatThrownBy(() -> DriverManager.getConnection(served, "sa", "").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
            String key = Files.readString(dir.resolve(LedgerKey.FILE)).trim();
            try (Connection connection = DriverManager.getConnection(served, "sa", key)) {
                assertThat(connection.createStatement().executeQuery("SELECT COUNT(*) FROM zb_row").next()).isTrue();
            }
            try (HikariDataSource shared = LedgerDatabase.openShared(dir)) {
                assertThat(LedgerDatabase.isServed(shared)).isTrue();
                assertThat(new JdbcTemplate(shared).queryForObject("SELECT COUNT(*) FROM zb_run", Long.class))
                        .isZero();
            }
        }
    }

    @Test
    void theKeyIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
        LedgerDatabase.open(dir).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LedgerKey.FILE))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve(LedgerKey.FILE)).trim()).matches("[0-9a-f]{48}");
    }

    @Test
    void theServerServesThatLedgerAndNoOtherDatabase(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        String other = "jdbc:h2:file:" + elsewhere.resolve("other").toAbsolutePath();
        DriverManager.getConnection(other, "sa", "").close(); // a database of someone else's, with no password
        try (HikariDataSource ledger = LedgerDatabase.open(dir); LedgerServer ignored = LedgerServer.start(dir)) {
            String served = LedgerServer.urlOfRunningServer(dir);
            String port = served.substring(0, served.indexOf('/', "jdbc:h2:tcp://".length()));
            assertThatThrownBy(() -> DriverManager.getConnection(port + "/" + elsewhere.resolve("other")
                    .toAbsolutePath(), "sa", "").close()).isInstanceOf(SQLException.class).hasMessageContaining("outside");
        }
    }

    @Test
    void aLedgerFromBeforeKeysGetsOneAndKeepsItsRows(@TempDir Path dir) throws Exception {
        try (HikariDataSource made = LedgerDatabase.open(dir)) { // made as older zbatch made it: no password, no key
            JdbcTemplate jdbc = new JdbcTemplate(made);
            jdbc.update("INSERT INTO zb_run (run_key, job_name, input_path, provider, model, created_at) "
                    + "VALUES ('k', 'old', 'in.csv', 'sandbox', 'm', CURRENT_TIMESTAMP)");
            jdbc.execute("ALTER USER SA SET PASSWORD ''");
        }
        Files.delete(dir.resolve(LedgerKey.FILE));
        String url = LedgerDatabase.url(dir);
        DriverManager.getConnection(url, "sa", "").close();

        try (HikariDataSource ledger = LedgerDatabase.open(dir)) {
            assertThat(new JdbcTemplate(ledger).queryForObject("SELECT job_name FROM zb_run", String.class))
                    .isEqualTo("old");
        }
        assertThat(dir.resolve(LedgerKey.FILE)).exists();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
        try (HikariDataSource again = LedgerDatabase.open(dir)) {
            assertThat(new JdbcTemplate(again).queryForObject("SELECT job_name FROM zb_run", String.class))
                    .isEqualTo("old");
        }
    }

    @Test
    void theSchemaVersionItSkipsFlywayAtIsTheNewestMigration() throws Exception {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int newest = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max().orElseThrow();
            assertThat(LedgerDatabase.SCHEMA_VERSION).isEqualTo(String.valueOf(newest));
        }
    }

    @Test
    void aLedgerAtAnOlderSchemaIsMigratedAndACurrentOneIsLeftAsItIs(@TempDir Path dir) throws Exception {
        try (HikariDataSource made = LedgerDatabase.open(dir)) {
            JdbcTemplate jdbc = new JdbcTemplate(made);
            assertThat(LedgerDatabase.isAtSchemaVersion(made, LedgerDatabase.SCHEMA_VERSION)).isTrue();
            jdbc.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + LedgerDatabase.SCHEMA_VERSION + "'");
            assertThat(LedgerDatabase.isAtSchemaVersion(made, LedgerDatabase.SCHEMA_VERSION)).isFalse();
        }
        // the newest migration's work is still in the file, so a second run of it fails: proof that it was run
        assertThatThrownBy(() -> LedgerDatabase.open(dir).close()).hasMessageContaining("V" + LedgerDatabase.SCHEMA_VERSION);
    }
}
