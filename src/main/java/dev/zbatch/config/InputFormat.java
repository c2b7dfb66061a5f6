package dev.zbatch.config;

import java.nio.file.Path;
import java.util.Locale;

/** The formats zbatch reads (zbatch.input.format; unset, a file's extension says). */
public enum InputFormat {
    CSV, TSV, JSONL, XLSX;

    /** The format a file's extension names, or null when the extension says nothing. */
    public static InputFormat fromFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return CSV;
        if (name.endsWith(".tsv") || name.endsWith(".tab")) return TSV;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return JSONL;
        if (name.endsWith(".xlsx")) return XLSX;
        return null;
    }
}
