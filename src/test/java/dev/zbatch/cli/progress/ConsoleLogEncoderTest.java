package dev.zbatch.cli.progress;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a terminal shows when zbatch warns while its progress bar is drawn on the same standard error. */
class ConsoleLogEncoderTest {

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    private final LoggerContext context = new LoggerContext();
    private Logger log;

    @BeforeEach
    void consoleLogOnTheSameStream() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        ConsoleLogEncoder encoder = new ConsoleLogEncoder();
        encoder.setContext(context);
        encoder.setPattern("zbatch: %level: %msg%n"); // as in logback.xml
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(err);
        appender.start();
        log = context.getLogger("dev.zbatch.test");
        log.addAppender(appender);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aWarningWhileTheBarIsDrawnHasALineOfItsOwn() throws Exception {
        BarView bar = new BarView(err, 0, 100L);
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!terminal.toString(StandardCharsets.UTF_8).contains("rows") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(terminal.toString(StandardCharsets.UTF_8)).as("the bar is drawn").contains("rows");
            log.warn("row 5: poll failed");
        } finally {
            bar.close();
        }

        assertThat(shownLines(terminal.toString(StandardCharsets.UTF_8)))
                .filteredOn(line -> line.contains("WARN"))
                .containsExactly("zbatch: WARN: row 5: poll failed");
    }

    @Test
    void withoutABarAWarningIsAPlainLine() {
        log.warn("row 5: poll failed");

        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("zbatch: WARN: row 5: poll failed\n");
    }

    /** The lines as a terminal shows them: a carriage return goes back to the line's start, ESC [ K erases. */
    private static List<String> shownLines(String written) {
        List<String> lines = new ArrayList<>();
        for (String line : written.split("\n", -1)) {
            StringBuilder shown = new StringBuilder();
            for (String part : line.split("\r", -1)) {
                if (part.startsWith("\u001b[K")) {
                    shown.setLength(0);
                    part = part.substring(3);
                }
                shown.replace(0, Math.min(part.length(), shown.length()), part);
            }
            lines.add(shown.toString());
        }
        return lines;
    }
}
