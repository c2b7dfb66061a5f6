package dev.zbatch.job;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.input.InputFormat;

import java.nio.file.Path;

/**
 * Where one run reads and writes, resolved from the properties: the input file, the output folder
 * (default {@code out/<job>}) and the ledger folder (default {@code <output>/.zbatch}).
 */
public record RunPaths(String jobName, Path input, InputFormat format, Path outputDir, Path ledgerDir) {

    public static RunPaths from(ZbatchProperties p) {
        String jobName = p.job().name() == null || p.job().name().isBlank() ? "zbatch" : p.job().name();
        if (p.input().path() == null) {
            throw new ConfigException("no input file: give --input FILE, or zbatch.input.path in the job spec");
        }
        InputFormat format = null;
        if (p.input().format() != null && !p.input().format().isBlank()) {
            format = InputFormat.parse(p.input().format());
            if (format == null) {
                throw new ConfigException("zbatch.input.format: '" + p.input().format()
                        + "' is not one of csv, tsv, jsonl");
            }
        }
        Path output = (p.output().dir() != null ? p.output().dir() : Path.of("out", jobName)).toAbsolutePath();
        Path ledger = p.ledger().dir() != null ? p.ledger().dir().toAbsolutePath() : output.resolve(".zbatch");
        return new RunPaths(jobName, p.input().path().toAbsolutePath().normalize(), format, output, ledger);
    }

    /** Identifies the run: the same job on the same input file resumes; anything else is another run. */
    public String runKey() {
        return jobName + "|" + input;
    }

    public Path imagesDir() {
        return outputDir.resolve("images");
    }
}
