package dev.zbatch.ledger;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The row states' transitions: one table, the diagram that documents it, and the one statement that makes them. */
class RowStateTest {

    private static final Path LEDGER_SOURCES = Path.of("src/main/java/dev/zbatch/ledger");

    @Test
    void theTableAllowsExactlyTheTransitionsTheDiagramShows() throws Exception {
        Set<String> drawn = new HashSet<>();
        String source = Files.readString(LEDGER_SOURCES.resolve("RowState.java"));
        String diagram = source.substring(source.indexOf("<pre>"), source.indexOf("</pre>"));
        Matcher line = Pattern.compile("\\*\\s+([A-Z |]+?)\\s*->\\s*([A-Z |]+?)\\s+\\(").matcher(diagram);
        while (line.find()) {
            if (line.group(1).contains("entered")) continue;
            for (String from : line.group(1).split("\\|")) {
                for (String to : line.group(2).split("\\|")) drawn.add(from.trim() + "->" + to.trim());
            }
        }
        Set<String> allowed = new HashSet<>();
        for (RowState from : RowState.values()) {
            for (RowState to : RowState.values()) if (from.canMoveTo(to)) allowed.add(from + "->" + to);
        }
        assertThat(allowed).as("the table against the diagram in RowState").isEqualTo(drawn);
        assertThat(drawn).contains("SUBMITTING->UNKNOWN", "DUPLICATE->SKIPPED", "SUBMITTED->PENDING");
    }

    @Test
    void noTransitionLeavesAFinishedRowWithImagesOrARefusedOne() {
        for (RowState to : RowState.values()) {
            assertThat(RowState.COMPLETED.canMoveTo(to)).as("COMPLETED -> " + to).isFalse();
            assertThat(RowState.REJECTED.canMoveTo(to)).as("REJECTED -> " + to).isFalse();
        }
        assertThat(EnumSet.allOf(RowState.class)).allSatisfy(state -> assertThat(state.canMoveTo(state)).isFalse());
    }

    /** Every state the ledger sets goes through Ledger.move, which refuses what the table does not allow. */
    @Test
    void everyStateChangeInTheLedgerGoesThroughTheOneCheckedStatement() throws Exception {
        List<String> setters;
        try (Stream<Path> files = Files.list(LEDGER_SOURCES)) {
            setters = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Pattern.compile("SET (\\w+ )?state\\s*=").matcher(Files.readString(f)).results()
                            .map(m -> f.getFileName() + ": " + m.group());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(setters).containsExactly("Ledger.java: SET state =");
        String ledger = Files.readString(LEDGER_SOURCES.resolve("Ledger.java"));
        int move = ledger.indexOf("private int move(");
        assertThat(ledger.indexOf("SET state =")).as("inside move()").isBetween(move, ledger.indexOf("\n    }\n", move));
        assertThat(ledger.substring(move, ledger.indexOf("\n    }\n", move))).contains("canMoveTo(to)");
    }
}
