package dev.zbatch.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Sends the full log to {@code <ledger>/zbatch.log}. The console shows only what a person needs (see
 * logback.xml); the file has the details, stack traces included. It is attached once the run's folders are
 * known, which is after the configuration has been read.
 */
final class LogFile {

    private LogFile() {
    }

    /** Attaches the file; closing the result detaches it again. */
    static AutoCloseable attach(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return () -> { };
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("ZBATCH_FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        return () -> {
            root.detachAppender(appender);
            appender.stop();
        };
    }
}
