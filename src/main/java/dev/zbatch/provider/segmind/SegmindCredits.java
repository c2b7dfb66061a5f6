package dev.zbatch.provider.segmind;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.http.BaseUrl;
import dev.zbatch.provider.http.Call;
import dev.zbatch.provider.http.HttpErrors;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.provider.http.ProviderHttp;
import dev.zbatch.provider.http.ProviderHttp.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the account's balance, {@code GET {base}/v1/get-user-credits} with the key, for both Segmind adapters.
 * The answer is {@code {"credits": n, ...}} with {@code n} a JSON number or a numeric string; Segmind's credits are
 * US dollars. A refused key (401, 403) throws, so that a run with a wrong key stops before its first submission;
 * anything else (another HTTP error, no answer in time, a body without a usable {@code credits}) gives
 * {@link Optional#empty()} and one WARN line (with the key redacted): a balance that cannot be read does not stop
 * a run.
 */
final class SegmindCredits {

    static final String PATH = "/v1/get-user-credits";
    static final String FIELD = "credits";
    private static final String WARNING = "could not read Segmind credits: {}";
    private static final Logger log = LoggerFactory.getLogger(SegmindCredits.class);
    /** Floats as BigDecimal, so 0.1 stays 0.1. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final SegmindSettings settings;
    private final ProviderHttp http;
    private final HttpErrors errors;

    SegmindCredits(SegmindSettings settings, ProviderHttp http, HttpErrors errors) {
        this.settings = settings;
        this.http = http;
        this.errors = errors;
    }

    /**
     * The balance in USD, or empty (after one WARN line) when it cannot be read.
     *
     * @throws ProviderException of kind AUTH when the key is refused
     */
    Optional<BigDecimal> read() {
        URI uri = null;
        try {
            uri = uri();
            // a GET like a status poll: never AMBIGUOUS_SUBMIT, the key goes to the API's own host only
            Answer answer = http.get(Call.STATUS, uri, true, ProviderHttp.JSON);
            int status = answer.status();
            if (status == 401 || status == 403) {
                throw new ProviderException(Kind.AUTH, status, "Segmind rejected the API key (HTTP " + status
                        + "): check SEGMIND_API_KEY");
            }
            if (status < 200 || status > 299) {
                String text = errors.errorText(answer.body());
                return warn("HTTP " + status + " from " + HttpErrors.describe(answer.uri())
                        + (text.isEmpty() ? "" : ": " + text));
            }
            return Optional.of(parse(answer.body()));
        } catch (ProviderException e) {
            if (e.kind() == Kind.AUTH) throw e;
            return warn(withoutCallLabel(e.getMessage()));
        } catch (UnusableAnswer e) {
            return warn(HttpErrors.describe(uri) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return warn((uri == null ? settings.baseUrl() + PATH : HttpErrors.describe(uri)) + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    URI uri() {
        return new BaseUrl(settings.baseUrl()).path(PATH);
    }

    /** The {@code credits} field of a JSON object, a number or a numeric string. */
    static BigDecimal parse(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UnusableAnswer("the answer is not JSON: " + snippet(body));
        }
        if (node == null || !node.isObject()) {
            throw new UnusableAnswer("the answer is not a JSON object: " + snippet(body));
        }
        JsonNode value = node.get(FIELD);
        if (value == null) {
            throw new UnusableAnswer("no '" + FIELD + "' in the answer (keys: " + JsonFields.keys(node) + ")");
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isString()) {
            try {
                return new BigDecimal(value.asString().strip());
            } catch (NumberFormatException notNumeric) {
                // below
            }
        }
        throw new UnusableAnswer("'" + FIELD + "' is not a number: " + HttpErrors.truncate(value.toString()));
    }

    private Optional<BigDecimal> warn(String reason) {
        log.warn(WARNING, errors.redact(reason));
        return Optional.empty();
    }

    /**
     * "Segmind status poll http://…: no answer in time" → "http://…: no answer in time" (the call is a GET like a
     * status poll, but it is not one).
     */
    private static String withoutCallLabel(String message) {
        if (message == null) {
            return "(no message)";
        }
        String label = "Segmind " + Call.STATUS.label();
        if (message.startsWith(label + ": ")) {
            return message.substring(label.length() + 2);
        }
        return message.startsWith(label + " ") ? message.substring(label.length() + 1) : message;
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(empty)" : HttpErrors.truncate(text);
    }

    /** A 2xx answer without a usable balance. */
    private static final class UnusableAnswer extends RuntimeException {
        UnusableAnswer(String message) {
            super(message, null, false, false);
        }
    }
}
