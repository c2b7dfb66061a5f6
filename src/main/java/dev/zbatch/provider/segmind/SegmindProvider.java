package dev.zbatch.provider.segmind;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.provider.segmind.SegmindErrors.Call;
import dev.zbatch.provider.segmind.SegmindHttp.Answer;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Segmind's async v2 API: {@code POST /v2/{model}} to submit, the returned status URL to poll, the returned
 * response URL for the result, then the image URL it names. Thread-safe; holds no run state.
 *
 * <p>Every failure is a {@link ProviderException}: see {@link SegmindErrors} for the classification. A FAILED
 * request (HTTP 422, or status FAILED in a 200) is a {@link PollResult.Failed}, and an unknown or expired one
 * (HTTP 404) a {@link PollResult.Expired}, not exceptions.
 */
public final class SegmindProvider implements ImageProvider {

    public static final String NAME = "segmind";
    private static final String JSON = "application/json";
    private static final String IMAGE_ACCEPT = "image/*, */*;q=0.5";

    private final SegmindSettings settings;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final SegmindErrors errors;
    private final SegmindWire wire;
    private final SegmindHttp http;
    private final SegmindCredits balanceReader;
    /** The base URL with at least "/" as its path: java.net.URI resolves "a/b" against "http://h" as "http://ha/b". */
    private final URI resolveBase;

    public SegmindProvider(SegmindSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        URI base = settings.baseUrl();
        this.resolveBase = base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base;
        this.errors = new SegmindErrors(settings.apiKey(), json);
        this.wire = new SegmindWire(json);
        this.http = new SegmindHttp(settings, errors);
        this.balanceReader = new SegmindCredits(settings, http, errors);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelSpec model(String modelName) {
        return SegmindModels.spec(modelName);
    }

    public SegmindSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------------------------ submit

    @Override
    public Submission submit(String modelName, ImageRequest request) {
        model(modelName); // IllegalArgumentException for an unknown model, before anything is sent
        Objects.requireNonNull(request, "request");
        if (request.prompt() == null || request.prompt().isBlank()) {
            throw badRequest("the prompt is empty");
        }
        if (request.numImages() != 1) {
            throw badRequest("Segmind makes one image per request (images per prompt must be 1, was "
                    + request.numImages() + ")");
        }
        byte[] body;
        try {
            body = wire.submitBody(request);
        } catch (IllegalArgumentException refused) {
            throw badRequest(refused.getMessage());
        }
        URI uri = submitUri(modelName);
        Answer answer = http.postJson(Call.SUBMIT, uri, body);
        if (answer.status() < 200 || answer.status() > 299) {
            throw errors.forStatus(Call.SUBMIT, uri, answer.status(), answer.body(), answer::header);
        }
        JsonNode node = parseObject(Call.SUBMIT, answer);
        String requestId = SegmindWire.text(node, "request_id");
        if (requestId == null) {
            throw errors.protocol(Call.SUBMIT, uri, answer.status(), "HTTP " + answer.status()
                    + " without a request_id (keys: " + SegmindWire.keys(node) + ")", null);
        }
        String poll = firstNonNull(SegmindWire.text(node, "status_url"), SegmindWire.text(node, "poll_url"));
        if (poll == null) {
            throw errors.protocol(Call.SUBMIT, uri, answer.status(), "accepted request " + requestId
                    + " without status_url or poll_url (keys: " + SegmindWire.keys(node) + ")", null);
        }
        String response = SegmindWire.text(node, "response_url");
        return new Submission(requestId,
                resolve(Call.SUBMIT, uri, poll),
                response == null ? null : resolve(Call.SUBMIT, uri, response),
                credits(answer.header("x-credits-consumed")));
    }

    URI submitUri(String modelName) {
        String base = settings.baseUrl().toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/v2/" + URLEncoder.encode(modelName, StandardCharsets.UTF_8));
    }

    private static BigDecimal credits(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(header.strip());
        } catch (NumberFormatException notNumeric) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ poll

    @Override
    public PollResult poll(TrackedRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.pollUrl() == null) {
            throw new IllegalArgumentException("request " + request.requestId() + " has no poll URL");
        }
        URI pollUrl = absolute(request.pollUrl());
        Answer answer = http.get(Call.STATUS, pollUrl, true, JSON);
        int status = answer.status();
        if (status == 404 || status == 410) {
            return new PollResult.Expired(SegmindErrors.EXPIRED_DETAIL);
        }
        if (status == 422) {
            return failed422(Call.STATUS, answer);
        }
        if (status < 200 || status > 299) {
            throw errors.forStatus(Call.STATUS, answer.uri(), status, answer.body(), answer::header);
        }
        JsonNode node = parseObject(Call.STATUS, answer);
        String word = SegmindWire.status(node);
        if (word != null && SegmindWire.PENDING.contains(word)) {
            return new PollResult.Pending(word);
        }
        if (word != null && SegmindWire.FAILED.contains(word)) {
            return new PollResult.Failed(reason(node));
        }
        if (word != null && !SegmindWire.COMPLETED.contains(word)) {
            throw errors.protocol(Call.STATUS, answer.uri(), status, "unknown status '" + word + "'", null);
        }
        // COMPLETED (or no status word at all): the status body may already carry the output
        List<String> urls = SegmindWire.imageUrls(node);
        if (!urls.isEmpty()) {
            return new PollResult.Completed(resolveAll(Call.STATUS, answer.uri(), urls), SegmindWire.seed(node));
        }
        if (word == null) {
            throw errors.protocol(Call.STATUS, answer.uri(), status,
                    "no status and no image URL (keys: " + SegmindWire.keys(node) + ")", null);
        }
        if (request.resultUrl() == null) {
            throw errors.protocol(Call.STATUS, answer.uri(), status, "COMPLETED without an image URL (keys: "
                    + SegmindWire.keys(node) + ") and no result URL to fetch it from", null);
        }
        return fetchResult(absolute(request.resultUrl()), SegmindWire.seed(node));
    }

    private PollResult fetchResult(URI resultUrl, Long statusSeed) {
        Answer answer = http.get(Call.RESULT, resultUrl, true, JSON);
        int status = answer.status();
        if (status == 404 || status == 410) {
            return new PollResult.Expired(SegmindErrors.EXPIRED_DETAIL);
        }
        if (status == 422) {
            return failed422(Call.RESULT, answer);
        }
        if (status < 200 || status > 299) {
            throw errors.forStatus(Call.RESULT, answer.uri(), status, answer.body(), answer::header);
        }
        JsonNode node = parseObject(Call.RESULT, answer);
        String word = SegmindWire.status(node);
        if (word != null && SegmindWire.FAILED.contains(word)) {
            return new PollResult.Failed(reason(node));
        }
        List<String> urls = SegmindWire.imageUrls(node);
        if (urls.isEmpty()) {
            if (word != null && SegmindWire.PENDING.contains(word)) {
                return new PollResult.Pending(word);
            }
            throw errors.protocol(Call.RESULT, answer.uri(), status, "no image URL in the result (looked at "
                    + String.join(", ", SegmindWire.OUTPUT_KEYS) + "; keys present: " + SegmindWire.keys(node) + ")",
                    null);
        }
        Long seed = SegmindWire.seed(node);
        return new PollResult.Completed(resolveAll(Call.RESULT, answer.uri(), urls), seed != null ? seed : statusSeed);
    }

    /** HTTP 422 is how Segmind serves a FAILED request; anything else in a 422 is not understood. */
    private PollResult failed422(Call call, Answer answer) {
        JsonNode node;
        try {
            node = json.readTree(answer.body());
        } catch (JacksonException notJson) {
            String text = errors.errorText(answer.body());
            return new PollResult.Failed(text.isEmpty() ? "Segmind reported the request FAILED (HTTP 422)"
                    : "Segmind reported the request FAILED (HTTP 422): " + text);
        }
        String word = node.isObject() ? SegmindWire.status(node) : null;
        if (word != null && !SegmindWire.FAILED.contains(word)) {
            throw errors.protocol(call, answer.uri(), 422, "HTTP 422 with status '" + word + "'", null);
        }
        return new PollResult.Failed(reason(node));
    }

    private String reason(JsonNode node) {
        String text = SegmindErrors.messageOf(node);
        return text == null ? "Segmind reported the request FAILED without giving a reason"
                : SegmindErrors.truncate(errors.redact(text));
    }

    // ------------------------------------------------------------------------------------------------ download

    @Override
    public FetchedImage download(URI imageUrl) {
        Objects.requireNonNull(imageUrl, "imageUrl");
        URI uri = absolute(imageUrl);
        if (!SegmindHttp.isHttp(uri)) {
            throw errors.protocol(Call.DOWNLOAD, uri, 0, "not an http(s) URL", null);
        }
        // the key goes only to the API's own host, never to a CDN
        Answer answer = http.get(Call.DOWNLOAD, uri, false, IMAGE_ACCEPT);
        if (answer.status() == 200) {
            return new FetchedImage(answer.body(), answer.header("Content-Type"));
        }
        if (answer.status() >= 200 && answer.status() <= 299) {
            throw errors.protocol(Call.DOWNLOAD, answer.uri(), answer.status(),
                    "unexpected HTTP " + answer.status() + " for an image", null);
        }
        throw errors.forStatus(Call.DOWNLOAD, answer.uri(), answer.status(), answer.body(), answer::header);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private JsonNode parseObject(Call call, Answer answer) {
        JsonNode node;
        try {
            node = json.readTree(answer.body());
        } catch (JacksonException e) {
            throw errors.protocol(call, answer.uri(), answer.status(), "the answer is not JSON: "
                    + SegmindErrors.truncate(errors.redact(new String(answer.body(), StandardCharsets.UTF_8))), e);
        }
        if (node == null || !node.isObject()) {
            throw errors.protocol(call, answer.uri(), answer.status(), "the answer is not a JSON object: "
                    + SegmindErrors.truncate(errors.redact(new String(answer.body(), StandardCharsets.UTF_8))), null);
        }
        return node;
    }

    /** A relative URL is resolved against the base URL; the result must be http(s). */
    private URI resolve(Call call, URI at, String url) {
        URI uri;
        try {
            uri = resolveBase.resolve(url.strip());
        } catch (IllegalArgumentException bad) {
            throw errors.protocol(call, at, 0, "unusable URL '" + SegmindErrors.truncate(url) + "'", bad);
        }
        if (!SegmindHttp.isHttp(uri)) {
            throw errors.protocol(call, at, 0, "not an http(s) URL: '" + SegmindErrors.truncate(url) + "'", null);
        }
        return uri;
    }

    private List<URI> resolveAll(Call call, URI at, List<String> urls) {
        List<URI> out = new ArrayList<>(urls.size());
        for (String u : urls) {
            out.add(resolve(call, at, u));
        }
        return List.copyOf(out);
    }

    private URI absolute(URI uri) {
        return uri.isAbsolute() ? uri : resolveBase.resolve(uri);
    }

    private ProviderException badRequest(String message) {
        return errors.exception(Kind.BAD_REQUEST, 0, "Segmind: " + message + "; nothing was sent", null, null);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /**
     * The account's credits (US dollars), from {@code GET /v1/get-user-credits}; empty, after one WARN line, when
     * they cannot be read. Never throws: a balance check must not stop a run.
     */
    @Override
    public Optional<BigDecimal> balance() {
        return balanceReader.read();
    }

    @Override
    public void close() {
        http.close();
    }
}
