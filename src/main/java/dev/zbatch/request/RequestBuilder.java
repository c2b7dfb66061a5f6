package dev.zbatch.request;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.input.InputRow;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Job defaults + row overrides + prompt (column or template) → one canonical request per row, validated
 * against the model's spec. A row that cannot be sent as asked gets a {@link Rejection}; no value is ever
 * clamped or changed silently.
 */
public final class RequestBuilder {

    /** The canonical parameter names a row's columns (and the job's defaults) may set. */
    public static final Set<String> PARAMETERS = Set.of(
            "width", "height", "steps", "guidance_scale", "seed", "image_format", "quality", "num_images",
            "image_size", "enable_safety_checker", "acceleration");

    private final ModelSpec spec;
    private final Map<String, String> jobParameters;
    private final Map<String, String> extras;
    private final String promptColumn;
    private final PromptTemplate template;
    private final String idColumn;
    private final int maxPromptChars;

    /**
     * @param jobDefaults keys are canonical names (a {@code -} is read as {@code _}); other keys pass through
     * @throws ConfigException when a job default is itself invalid for the model
     */
    public RequestBuilder(ModelSpec spec, Map<String, String> jobDefaults, String promptColumn, String template,
                          String idColumn, int maxPromptChars) {
        this.spec = spec;
        this.promptColumn = promptColumn;
        this.template = template == null || template.isBlank() ? null : new PromptTemplate(template);
        this.idColumn = idColumn;
        this.maxPromptChars = maxPromptChars;
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> passThrough = new LinkedHashMap<>();
        jobDefaults.forEach((key, value) -> {
            String name = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            (PARAMETERS.contains(name) ? params : passThrough).put(name, value);
        });
        this.jobParameters = Map.copyOf(params);
        this.extras = Map.copyOf(passThrough);
        checkJobDefaults();
    }

    /** The requests of a run's configuration ({@code zbatch.input.*}, {@code zbatch.defaults}) for {@code model}. */
    public static RequestBuilder of(ModelSpec model, ZbatchProperties properties) {
        ZbatchProperties.Input input = properties.input();
        return new RequestBuilder(model, properties.defaults(), input.promptColumn(), input.template(),
                input.idColumn(), input.maxPromptChars());
    }

    /** The columns a row must have for prompts to be built (for a header check before anything runs). */
    public Set<String> requiredColumns() {
        return template != null ? Set.copyOf(template.placeholders()) : Set.of(promptColumn);
    }

    public RowPlan plan(InputRow row) {
        if (row.unreadable()) {
            return new RowPlan(row, null, null, null, new Rejection(row.problemField(), row.problem()));
        }
        String id = blankToNull(idColumn == null ? null : row.field(idColumn));
        String prompt;
        try {
            prompt = template != null ? template.render(row.fields()) : row.field(promptColumn);
        } catch (PromptTemplate.MissingValue e) {
            return new RowPlan(row, id, null, null, new Rejection(e.column(), e.getMessage()));
        }
        String promptField = template != null ? "prompt" : promptColumn;
        if (prompt == null || prompt.isBlank()) {
            return new RowPlan(row, id, prompt, null, new Rejection(promptField, "the prompt is empty"));
        }
        if (prompt.length() > maxPromptChars) {
            return new RowPlan(row, id, prompt, null, new Rejection(promptField,
                    "the prompt has " + prompt.length() + " characters; the limit is " + maxPromptChars
                            + " (zbatch.input.max-prompt-chars)"));
        }
        try {
            return new RowPlan(row, id, prompt, build(prompt, row.fields()), null);
        } catch (InvalidValue e) {
            return new RowPlan(row, id, prompt, null, new Rejection(e.field, e.getMessage()));
        }
    }

    private ImageRequest build(String prompt, Map<String, String> fields) {
        ImageRequest d = spec.defaults();
        Values v = new Values(fields);
        int width = (int) v.whole("width", d.width(), spec.width());
        int height = (int) v.whole("height", d.height(), spec.height());
        int steps = (int) v.whole("steps", d.steps(), spec.steps());
        double guidance = v.decimal("guidance_scale", d.guidanceScale(), spec.guidanceScale());
        long seed = v.whole("seed", d.seed(), spec.seed());
        String format = v.format(d.imageFormat());
        int quality = (int) v.whole("quality", d.quality(), spec.quality());
        int numImages = (int) v.whole("num_images", d.numImages(), spec.numImages());
        String imageSize = v.imageSize(width, height);
        Boolean safetyChecker = v.safetyChecker();
        String acceleration = v.acceleration();
        return new ImageRequest(prompt, width, height, steps, guidance, seed, format, quality, numImages,
                imageSize, safetyChecker, acceleration, extras);
    }

    private String modelName() {
        return spec.provider() + " " + spec.model();
    }

    private void checkJobDefaults() {
        try {
            build("-", Map.of());
        } catch (InvalidValue e) {
            throw new ConfigException("zbatch.defaults." + e.field + ": " + e.getMessage());
        }
    }

    /** Looks each parameter up in the row, then the job defaults, then the model's defaults. */
    private final class Values {
        private final Map<String, String> row;

        Values(Map<String, String> row) {
            this.row = row;
        }

        private String raw(String name) {
            String value = blankToNull(row.get(name));
            return value != null ? value.trim() : blankToNull(jobParameters.get(name));
        }

        private void notTaken(String name, String raw) {
            if (raw != null) throw new InvalidValue(name, modelName() + " takes no " + name);
        }

        long whole(String name, long fallback, ModelSpec.Range range) {
            String raw = raw(name);
            if (range == null) notTaken(name, raw);
            if (raw == null || range == null) return fallback;
            long value;
            try {
                BigDecimal number = new BigDecimal(raw.trim());
                value = number.longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InvalidValue(name, "'" + raw + "' is not a whole number");
            }
            if (!range.contains(value)) {
                throw new InvalidValue(name, value + " is outside " + range + " for " + modelName());
            }
            return value;
        }

        double decimal(String name, double fallback, ModelSpec.DecimalRange range) {
            String raw = raw(name);
            if (range == null) notTaken(name, raw);
            if (raw == null || range == null) return fallback;
            double value;
            try {
                value = new BigDecimal(raw.trim()).doubleValue();
            } catch (NumberFormatException e) {
                throw new InvalidValue(name, "'" + raw + "' is not a number");
            }
            if (!range.contains(value)) {
                throw new InvalidValue(name, raw.trim() + " is outside " + range + " for " + modelName());
            }
            return value;
        }

        /** A named size: the row's own (passed through as given), else the one of the width:height ratio. */
        String imageSize(int width, int height) {
            String raw = raw("image_size");
            if (!spec.namedSizes()) {
                if (raw != null) {
                    throw new InvalidValue("image_size", modelName() + " takes width and height, not image_size");
                }
                return null;
            }
            if (raw != null) return raw.trim();
            return ImageSizes.forPixels(spec.imageSizes(), width, height).orElseThrow(() -> new InvalidValue("width",
                    width + "x" + height + " has no " + spec.provider() + " size of the same aspect ratio; allowed: "
                            + ImageSizes.describe(spec.imageSizes()) + ", or give image_size"));
        }

        Boolean safetyChecker() {
            String raw = raw("enable_safety_checker");
            if (raw == null) return null;
            if (!spec.safetyChecker()) notTaken("enable_safety_checker", raw);
            return switch (raw.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new InvalidValue("enable_safety_checker", "'" + raw + "' is not true or false");
            };
        }

        String acceleration() {
            String raw = raw("acceleration");
            if (raw == null) return null;
            if (spec.accelerations().isEmpty()) notTaken("acceleration", raw);
            String value = raw.trim().toLowerCase(Locale.ROOT);
            if (!spec.accelerations().contains(value)) {
                throw new InvalidValue("acceleration", "'" + raw + "' is not one of " + spec.accelerations());
            }
            return value;
        }

        String format(String fallback) {
            String raw = raw("image_format");
            if (raw == null) return fallback;
            String value = raw.trim().toLowerCase(Locale.ROOT);
            if (value.equals("jpg")) value = "jpeg";
            if (!spec.imageFormats().contains(value)) {
                throw new InvalidValue("image_format", "'" + raw + "' is not one of " + spec.imageFormats());
            }
            return value;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static final class InvalidValue extends RuntimeException {
        final String field;

        InvalidValue(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
