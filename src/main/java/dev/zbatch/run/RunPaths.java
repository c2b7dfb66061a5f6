package dev.zbatch.run;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.config.InputFormat;
import dev.zbatch.input.InputOptions;

import java.nio.file.Path;

/**
 * Where one run reads and writes, resolved from the properties: the input file, the output folder
 * (default {@code out/<job>}) and the ledger folder (default {@code <output>/.zbatch}).
 */
public record RunPaths(String jobName, Path input, InputOptions inputOptions, Path outputDir, Path ledgerDir) {

    public static RunPaths from(ZbatchProperties p) {
        String jobName = jobName(p);
        if (p.input().path() == null) {
            throw new ConfigException("no input file: give --input FILE, or zbatch.input.path in the job spec");
        }
        InputFormat format = p.input().format();
        InputOptions options = new InputOptions(format, p.input().encoding(), p.input().delimiter(),
                p.input().sheet());
        return new RunPaths(jobName, p.input().path().toAbsolutePath().normalize(), options, outputDir(p),
                ledgerDir(p));
    }

    public static String jobName(ZbatchProperties p) {
        return p.job().name() == null || p.job().name().isBlank() ? "zbatch" : p.job().name();
    }

    public static Path outputDir(ZbatchProperties p) {
        return (p.output().dir() != null ? p.output().dir() : Path.of("out", jobName(p))).toAbsolutePath();
    }

    public static Path ledgerDir(ZbatchProperties p) {
        return p.ledger().dir() != null ? p.ledger().dir().toAbsolutePath() : defaultLedgerDir(outputDir(p));
    }

    /** Where an output folder's ledger is unless zbatch.ledger.dir says otherwise. */
    public static Path defaultLedgerDir(Path outputDir) {
        return outputDir.resolve(".zbatch");
    }

    public Path imagesDir() {
        return outputDir.resolve("images");
    }
}
