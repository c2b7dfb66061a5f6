package dev.zbatch.cli;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.Nearest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code zbatch [COMMAND] [JOB.yml | OUTPUT_DIR] [--input F] [--provider P] [--model M] [--out D] [--any.property=V]}.
 * Short flags become {@code zbatch.*} properties; {@code --zbatch.*}, {@code --spring.*} and {@code --logging.*}
 * pass through to Spring Boot unchanged and override the job spec. {@code run --dry-run} is {@code estimate};
 * {@code --json} (estimate and status) asks for one JSON object.
 */
public record CommandLine(Command command, Path target, Map<String, String> properties) {


    /** Options of the estimate command itself, kept among the properties under this prefix (not for Spring). */
    static final String ESTIMATE_OPTIONS = "estimate.";
    private static final String JSON_OPTION = ESTIMATE_OPTIONS + "json";

    /** {@code retry --failed} and the like are kept as {@code retry.failed=true}. */
    static final String RETRY_FLAG = "retry.";

    private static final Set<String> RETRY_FLAGS = Set.of("--failed", "--expired", "--unknown");

    private static final Set<String> BENCH_FLAGS = Set.of("--rows", "--rate", "--latency", "--size", "--format",
            "--window", "--stop-after", "--keep", "--accounts");

    private static final Set<String> SYNC_BENCH_FLAGS = Set.of("--rows", "--changed", "--keep");

    private static final Map<String, String> SHORT_FLAGS = Map.ofEntries(
            Map.entry("--encoding", "zbatch.input.encoding"),
            Map.entry("--delimiter", "zbatch.input.delimiter"),
            Map.entry("--sheet", "zbatch.input.sheet"),
            Map.entry("--input", "zbatch.input.path"),
            Map.entry("--format", "zbatch.input.format"),
            Map.entry("--template", "zbatch.input.template"),
            Map.entry("--provider", "zbatch.provider"),
            Map.entry("--model", "zbatch.model"),
            Map.entry("--out", "zbatch.output.dir"),
            Map.entry("--max-cost", "zbatch.budget.max-cost"),
            Map.entry("--name", "zbatch.job.name"));

    public static CommandLine parse(List<String> args) {
        Command command = Command.RUN;
        Path target = null;
        Map<String, String> properties = new LinkedHashMap<>();
        boolean dryRun = false;
        boolean json = false;
        List<String> rest = new ArrayList<>(args);
        Optional<Command> named = rest.isEmpty() ? Optional.empty() : Command.named(rest.get(0));
        if (named.isPresent()) {
            command = named.get();
            rest.remove(0);
        } else if (!rest.isEmpty() && looksLikeACommand(rest.get(0))) {
            String nearest = Nearest.of(rest.get(0).toLowerCase(Locale.ROOT), Command.words(), 2);
            throw new ConfigException("unknown command '" + rest.get(0) + "'" + (nearest != null ? "; did you mean "
                    + nearest + "?" : "") + " (the commands are " + String.join(", ", new TreeSet<>(Command.words()))
                    + "; see ./run.sh help)");
        }
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("-h") || arg.equals("--help")) return new CommandLine(Command.HELP, null, Map.of());
            if (!arg.startsWith("--")) {
                if (target != null) throw new ConfigException("unexpected argument '" + arg + "' (see ./run.sh help)");
                target = Path.of(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--dry-run") || name.equals("--json")) {
                if (value != null) throw new ConfigException("option " + name + " takes no value");
                if (name.equals("--dry-run")) dryRun = true;
                else json = true;
                continue;
            }
            if (name.equals("--accept-changes") && value == null) {
                properties.put("zbatch.input.accept-changes", "true");
                continue;
            }
            if (command == Command.RETRY && RETRY_FLAGS.contains(name) && value == null) {
                properties.put(RETRY_FLAG + name.substring(2), "true");
                continue;
            }
            if ((command == Command.BENCH && BENCH_FLAGS.contains(name))
                    || (command == Command.BENCH_SYNC && SYNC_BENCH_FLAGS.contains(name))) {
                if (name.equals("--keep") && value == null) value = "true";
                if (value == null) {
                    if (i + 1 >= rest.size()) throw new ConfigException("option " + name + " needs a value");
                    value = rest.get(++i);
                }
                properties.put("bench." + name.substring(2), value);
                continue;
            }
            String property = SHORT_FLAGS.get(name);
            if (property == null && isPassThrough(name)) property = name.substring(2);
            if (property == null) throw new ConfigException("unknown option " + name + " (see ./run.sh help)");
            if (value == null) {
                if (i + 1 >= rest.size()) throw new ConfigException("option " + name + " needs a value");
                value = rest.get(++i);
            }
            properties.put(property, value);
        }
        if (dryRun) {
            if (command != Command.RUN && command != Command.ESTIMATE) {
                throw new ConfigException("--dry-run is an option of run (see ./run.sh help)");
            }
            command = Command.ESTIMATE;
        }
        if (json) {
            if (command != Command.ESTIMATE && command != Command.STATUS) {
                throw new ConfigException("--json is an option of estimate, run --dry-run and status "
                        + "(see ./run.sh help)");
            }
            properties.put(JSON_OPTION, "true");
        }
        return new CommandLine(command, target, properties);
    }

    /** A word that is neither an option nor a file or folder there: a command, misspelt or unknown. */
    private static boolean looksLikeACommand(String arg) {
        return arg.matches("[A-Za-z][A-Za-z-]*") && !Files.exists(Path.of(arg));
    }

    /** {@code --json}: the estimate or the status as one JSON object. */
    public boolean json() {
        return "true".equals(properties.get(JSON_OPTION));
    }

    private static boolean isPassThrough(String flag) {
        return flag.startsWith("--zbatch.") || flag.startsWith("--spring.") || flag.startsWith("--logging.");
    }

    /** This command line as a {@code retry} one (without any retry flags), to print in hints. */
    public String asRetry() {
        StringBuilder sb = new StringBuilder("retry");
        if (target != null) sb.append(' ').append(target);
        properties.forEach((name, value) -> {
            // a key given on the command line is never printed back: it would reach the log
            if (!name.startsWith(RETRY_FLAG) && !name.startsWith("bench.") && !name.endsWith("api-key")) {
                sb.append(" --").append(name).append('=').append(value.contains(" ") ? "'" + value + "'" : value);
            }
        });
        return sb.toString();
    }

    /** The job spec named on the command line, checked to exist; null when none was named. */
    public Path jobSpec() {
        if (target == null) return null;
        if (!Files.exists(target)) throw new ConfigException(target + ": no such job spec");
        if (Files.isDirectory(target)) {
            throw new ConfigException(target + " is a folder; the " + command + " command takes a job spec (.yml)");
        }
        return target;
    }

    /** The job's default name: the spec's file name without its extension. */
    public static String jobNameOf(Path spec) {
        String name = spec.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
