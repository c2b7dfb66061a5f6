package dev.zbatch.ledger;

import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Serves a run's open ledger on a loopback port while the run goes on, so a second process ({@code status},
 * {@code report}) can read it: H2 lets one process hold the file, and that process is the run. The port is
 * written to {@code ledger.port} in the ledger folder, and removed when the server stops.
 */
public final class LedgerServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LedgerServer.class);
    private static final String PORT_FILE = "ledger.port";

    private final Server server;
    private final Path portFile;

    private LedgerServer(Server server, Path portFile) {
        this.server = server;
        this.portFile = portFile;
    }

    /**
     * Starts serving the ledger in {@code dir}, which this process must already have open. Serving is a
     * convenience: when it cannot start, the run goes on and {@code status} says the ledger is in use.
     */
    public static LedgerServer start(Path dir) {
        Path portFile = dir.resolve(PORT_FILE);
        try {
            // loopback clients only (no -tcpAllowOthers), this ledger only (-baseDir), and none created (-ifExists);
            // connecting takes the ledger's key (LedgerKey)
            Server server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-ifExists",
                    "-baseDir", dir.toAbsolutePath().toString()).start();
            Files.writeString(portFile, Integer.toString(server.getPort()), StandardCharsets.US_ASCII);
            return new LedgerServer(server, portFile);
        } catch (SQLException | IOException e) {
            log.warn("cannot serve the ledger to `status` while the run goes on: {}", e.getMessage());
            return new LedgerServer(null, portFile);
        }
    }

    /** The JDBC URL of the ledger in {@code dir} as served by a running process, or null when none serves it. */
    static String urlOfRunningServer(Path dir) {
        Path portFile = dir.resolve(PORT_FILE);
        try {
            int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
            return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + LedgerDatabase.file(dir);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (server == null) return;
        try {
            Files.deleteIfExists(portFile);
        } catch (IOException e) {
            log.debug("cannot remove {}", portFile, e);
        }
        server.stop();
    }
}
