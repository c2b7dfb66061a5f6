package dev.zbatch.input;

import java.nio.file.Path;
import java.util.Locale;

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

    /** Parses a user's format name ("csv", "tsv", "jsonl"); null for anything else. */
    public static InputFormat parse(String name) {
        if (name == null) return null;
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "tsv", "tab" -> TSV;
            case "jsonl", "ndjson" -> JSONL;
            case "xlsx" -> XLSX;
            default -> null;
        };
    }
}
