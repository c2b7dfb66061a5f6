package dev.zbatch.provider.segmind;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.provider.http.Call;
import dev.zbatch.provider.http.HttpErrors;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.provider.http.ProviderHttp;
import dev.zbatch.provider.http.ProviderHttp.Answer;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

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
public final class SegmindAsyncProvider implements ImageProvider {

    public static final String NAME = "segmind";

    private final SegmindClient client;

    public SegmindAsyncProvider(SegmindSettings settings) {
        this.client = new SegmindClient(Objects.requireNonNull(settings, "settings"));
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
        return client.settings;
    }

    // ------------------------------------------------------------------------------------------------ submit

    @Override
    public Submission submit(String modelName, ImageRequest request) {
        model(modelName); // IllegalArgumentException for an unknown model, before anything is sent
        Objects.requireNonNull(request, "request");
        byte[] body = client.submitBody(request);
        URI uri = submitUri(modelName);
        Answer answer = client.http.postJson(Call.SUBMIT, uri, body);
        if (answer.status() < 200 || answer.status() > 299) {
            throw client.errors.forStatus(Call.SUBMIT, uri, answer.status(), answer.body(), answer.keySent(),
                    answer::header);
        }
        JsonNode node = client.http.jsonObject(Call.SUBMIT, answer);
        String requestId = JsonFields.text(node, "request_id");
        if (requestId == null) {
            throw client.errors.protocol(Call.SUBMIT, uri, answer.status(), "HTTP " + answer.status()
                    + " without a request_id (keys: " + JsonFields.keys(node) + ")", null);
        }
        String poll = firstNonNull(JsonFields.text(node, "status_url"), JsonFields.text(node, "poll_url"));
        if (poll == null) {
            throw client.errors.protocol(Call.SUBMIT, uri, answer.status(), "accepted request " + requestId
                    + " without status_url or poll_url (keys: " + JsonFields.keys(node) + ")", null);
        }
        String response = JsonFields.text(node, "response_url");
        return new Submission(requestId,
                resolve(Call.SUBMIT, uri, poll),
                response == null ? null : resolve(Call.SUBMIT, uri, response),
                SegmindClient.creditsConsumed(answer));
    }

    URI submitUri(String modelName) {
        return client.base.path("/v2/" + URLEncoder.encode(modelName, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------ poll

    @Override
    public PollResult poll(TrackedRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.pollUrl() == null) {
            throw new IllegalArgumentException("request " + request.requestId() + " has no poll URL");
        }
        URI pollUrl = client.base.absolute(request.pollUrl());
        Answer answer = client.http.get(Call.STATUS, pollUrl, true, ProviderHttp.JSON);
        int status = answer.status();
        if (status == 404 || status == 410) {
            return new PollResult.Expired(SegmindErrors.EXPIRED_DETAIL);
        }
        if (status == 422) {
            return failed422(Call.STATUS, answer);
        }
        if (status < 200 || status > 299) {
            throw client.errors.forStatus(Call.STATUS, answer.uri(), status, answer.body(), answer.keySent(),
                    answer::header);
        }
        JsonNode node = client.http.jsonObject(Call.STATUS, answer);
        String word = JsonFields.status(node);
        if (word != null && SegmindWire.PENDING.contains(word)) {
            return new PollResult.Pending(word);
        }
        if (word != null && SegmindWire.FAILED.contains(word)) {
            return new PollResult.Failed(reason(node));
        }
        if (word != null && !SegmindWire.COMPLETED.contains(word)) {
            throw client.errors.protocol(Call.STATUS, answer.uri(), status, "unknown status '" + word + "'", null);
        }
        // COMPLETED (or no status word at all): the status body may already carry the output
        List<String> urls = SegmindWire.imageUrls(node);
        if (!urls.isEmpty()) {
            return new PollResult.Completed(resolveAll(Call.STATUS, answer.uri(), urls), SegmindWire.seed(node));
        }
        if (word == null) {
            throw client.errors.protocol(Call.STATUS, answer.uri(), status,
                    "no status and no image URL (keys: " + JsonFields.keys(node) + ")", null);
        }
        if (request.resultUrl() == null) {
            throw client.errors.protocol(Call.STATUS, answer.uri(), status, "COMPLETED without an image URL (keys: "
                    + JsonFields.keys(node) + ") and no result URL to fetch it from", null);
        }
        return fetchResult(client.base.absolute(request.resultUrl()), SegmindWire.seed(node));
    }

    private PollResult fetchResult(URI resultUrl, Long statusSeed) {
        Answer answer = client.http.get(Call.RESULT, resultUrl, true, ProviderHttp.JSON);
        int status = answer.status();
        if (status == 404 || status == 410) {
            return new PollResult.Expired(SegmindErrors.EXPIRED_DETAIL);
        }
        if (status == 422) {
            return failed422(Call.RESULT, answer);
        }
        if (status < 200 || status > 299) {
            throw client.errors.forStatus(Call.RESULT, answer.uri(), status, answer.body(), answer.keySent(),
                    answer::header);
        }
        JsonNode node = client.http.jsonObject(Call.RESULT, answer);
        String word = JsonFields.status(node);
        if (word != null && SegmindWire.FAILED.contains(word)) {
            return new PollResult.Failed(reason(node));
        }
        List<String> urls = SegmindWire.imageUrls(node);
        if (urls.isEmpty()) {
            if (word != null && SegmindWire.PENDING.contains(word)) {
                return new PollResult.Pending(word);
            }
            throw client.errors.protocol(Call.RESULT, answer.uri(), status, "no image URL in the result (looked at "
                    + String.join(", ", SegmindWire.OUTPUT_KEYS) + "; keys present: " + JsonFields.keys(node) + ")",
                    null);
        }
        Long seed = SegmindWire.seed(node);
        return new PollResult.Completed(resolveAll(Call.RESULT, answer.uri(), urls), seed != null ? seed : statusSeed);
    }

    /** HTTP 422 is how Segmind serves a FAILED request; anything else in a 422 is not understood. */
    private PollResult failed422(Call call, Answer answer) {
        JsonNode node;
        try {
            node = client.json.readTree(answer.body());
        } catch (JacksonException notJson) {
            String text = client.errors.errorText(answer.body());
            return new PollResult.Failed(text.isEmpty() ? "Segmind reported the request FAILED (HTTP 422)"
                    : "Segmind reported the request FAILED (HTTP 422): " + text);
        }
        String word = node.isObject() ? JsonFields.status(node) : null;
        if (word != null && !SegmindWire.FAILED.contains(word)) {
            throw client.errors.protocol(call, answer.uri(), 422, "HTTP 422 with status '" + word + "'", null);
        }
        return new PollResult.Failed(reason(node));
    }

    private String reason(JsonNode node) {
        String text = SegmindErrors.messageOf(node);
        return text == null ? "Segmind reported the request FAILED without giving a reason"
                : HttpErrors.truncate(client.errors.redact(text));
    }

    // ------------------------------------------------------------------------------------------------ download

    @Override
    public FetchedImage download(URI imageUrl) {
        Objects.requireNonNull(imageUrl, "imageUrl");
        return client.http.download(client.base.absolute(imageUrl));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A relative URL is resolved against the base URL; the result must be http(s). */
    private URI resolve(Call call, URI at, String url) {
        URI uri;
        try {
            uri = client.base.resolve(url.strip());
        } catch (IllegalArgumentException bad) {
            throw client.errors.protocol(call, at, 0, "unusable URL '" + HttpErrors.truncate(url) + "'", bad);
        }
        if (!ProviderHttp.isHttp(uri)) {
            throw client.errors.protocol(call, at, 0, "not an http(s) URL: '" + HttpErrors.truncate(url) + "'", null);
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

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /**
     * The account's credits (US dollars), from {@code GET /v1/get-user-credits}; empty, after one WARN line, when
     * they cannot be read.
     *
     * @throws ProviderException of kind AUTH when the key is refused
     */
    @Override
    public Optional<BigDecimal> balance() {
        return client.credits.read();
    }

    @Override
    public void close() {
        client.close();
    }
}
