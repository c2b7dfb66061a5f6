package dev.zbatch.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an output folder's manifest.jsonl as a user's script would. */
public final class Manifest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Manifest() {
    }

    public static List<JsonNode> rows(Path outputDir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(outputDir.resolve("manifest.jsonl"))) {
            if (!line.isBlank()) rows.add(JSON.readTree(line));
        }
        return rows;
    }
}
