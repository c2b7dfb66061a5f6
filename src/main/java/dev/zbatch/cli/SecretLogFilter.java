package dev.zbatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops every event of HttpClient's header and wire loggers, whatever level anyone sets: they print request
 * headers, and so the API key. A turbo filter is consulted before levels, so a {@code --logging.level...=DEBUG}
 * on the command line cannot turn them on. Installed by logback.xml.
 */
public final class SecretLogFilter extends TurboFilter {

    private static final String[] PRINT_HEADERS = {
            "org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire",
            "org.apache.hc.core5.http.headers", "org.apache.hc.core5.http.wire"};

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        String name = logger.getName();
        for (String prefix : PRINT_HEADERS) {
            if (name.startsWith(prefix)) return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
