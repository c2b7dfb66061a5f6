package dev.zbatch.cli.progress;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the warnings zbatch prints on standard error (see logback.xml). While a progress bar holds the
 * terminal's last line (it redraws that line in place, without ending it), a warning first clears the line, so
 * that it starts at the left edge instead of running on from the bar; the bar is drawn again below it.
 */
public final class ConsoleLogEncoder extends PatternLayoutEncoder {

    /** Carriage return, then ANSI "erase to the end of the line". */
    static final byte[] CLEAR_LINE = "\r\u001b[K".getBytes(StandardCharsets.US_ASCII);

    private static volatile boolean barShown;

    static void barShown(boolean shown) {
        barShown = shown;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] line = super.encode(event);
        if (!barShown) return line;
        byte[] cleared = new byte[CLEAR_LINE.length + line.length];
        System.arraycopy(CLEAR_LINE, 0, cleared, 0, CLEAR_LINE.length);
        System.arraycopy(line, 0, cleared, CLEAR_LINE.length, line.length);
        return cleared;
    }
}
