package dev.zbatch.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The commands of {@code ./run.sh}, by the word that names each on the command line. */
public enum Command {
    RUN("run"),
    RETRY("retry"),
    ESTIMATE("estimate"),
    STATUS("status"),
    REPORT("report"),
    BENCH("bench"),
    BENCH_SYNC("bench-sync"),
    HELP("help"),
    VERSION("version");

    private static final Map<String, Command> BY_WORD = Arrays.stream(values())
            .collect(Collectors.toMap(Command::word, Function.identity()));

    private final String word;

    Command(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The command a word names, in any case. */
    public static Optional<Command> named(String word) {
        return Optional.ofNullable(BY_WORD.get(word.toLowerCase(Locale.ROOT)));
    }

    /** Every command's word, for "did you mean …?". */
    public static Set<String> words() {
        return BY_WORD.keySet();
    }

    @Override
    public String toString() {
        return word;
    }
}
