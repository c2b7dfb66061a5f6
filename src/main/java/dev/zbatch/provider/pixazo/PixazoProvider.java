package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.provider.http.BaseUrl;
import dev.zbatch.provider.http.Call;
import dev.zbatch.provider.http.HttpErrors;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.provider.http.ProviderHttp;
import dev.zbatch.provider.http.ProviderHttp.Answer;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pixazo's gateway: {@code POST /z-image-turbo-834/v1/z-image-turbo-request} or
 * {@code POST /z-image-base/v1/z-image-base-request} to submit, the returned {@code polling_url} (else the universal
 * {@code /v2/requests/status/{id}}) to poll, then the CDN URLs in {@code output.media_url}. Thread-safe; holds no
 * run state.
 *
 * <p>Every failure is a {@link ProviderException}: see {@link PixazoErrors}. A FAILED request is a
 * {@link PollResult.Failed}, an ERROR (a system error Pixazo does not charge) a {@link PollResult.Retry}, and an
 * unknown or expired one (HTTP 404) a {@link PollResult.Expired}, not exceptions.
 *
 * <p>With {@link PixazoSettings#webhookUrl()} set, every submit asks Pixazo to POST the status there; a
 * {@link PixazoDeliveries} (usually the {@link PixazoWebhookReceiver} behind that URL) lets {@link #poll} answer a
 * request whose terminal status was delivered without any HTTP call.
 */
public final class PixazoProvider implements ImageProvider {

    public static final String NAME = "pixazo";
    static final String TURBO_PATH = "/z-image-turbo-834/v1/z-image-turbo-request";
    static final String BASE_PATH = "/z-image-base/v1/z-image-base-request";
    static final String STATUS_PATH = "/v2/requests/status/";
    static final String API_KEY_HEADER = "Ocp-Apim-Subscription-Key";
    static final String WEBHOOK_HEADER = "X-Webhook-URL";
    /** The gateway is asked not to cache: on every POST, and on GETs to hosts the key may go to (not the CDN). */
    private static final Map<String, String> NO_CACHE = Map.of("Cache-Control", "no-cache");
    private static final Logger log = LoggerFactory.getLogger(PixazoProvider.class);

    private final PixazoSettings settings;
    private final PixazoDeliveries deliveries;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpErrors errors;
    private final PixazoWire wire;
    private final ProviderHttp http;
    private final BaseUrl base;

    /**
     * @param deliveries webhook deliveries to answer polls from, or null to always poll over HTTP
     */
    public PixazoProvider(PixazoSettings settings, PixazoDeliveries deliveries) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deliveries = deliveries;
        this.base = new BaseUrl(settings.baseUrl());
        this.errors = PixazoErrors.create(settings.apiKey(), json);
        this.wire = new PixazoWire(json);
        this.http = new ProviderHttp(settings, conventions(settings), errors);
    }

    /**
     * The key in {@code Ocp-Apim-Subscription-Key}, never after a redirect off the gateway's host; no caching; the
     * webhook URL, when there is one, on every submit.
     */
    private static ProviderHttp.Conventions conventions(PixazoSettings settings) {
        Map<String, String> postHeaders = new LinkedHashMap<>(NO_CACHE);
        if (settings.webhookUrl() != null) {
            postHeaders.put(WEBHOOK_HEADER, settings.webhookUrl().toASCIIString());
        }
        return new ProviderHttp.Conventions(API_KEY_HEADER, postHeaders, NO_CACHE, false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelSpec model(String modelName) {
        return PixazoModels.spec(modelName);
    }

    public PixazoSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------------------------ submit

    @Override
    public Submission submit(String modelName, ImageRequest request) {
        model(modelName); // IllegalArgumentException for an unknown model, before anything is sent
        Objects.requireNonNull(request, "request");
        if (request.prompt() == null || request.prompt().isBlank()) {
            throw errors.badRequest("the prompt is empty");
        }
        byte[] body;
        try {
            body = wire.submitBody(modelName, request);
        } catch (IllegalArgumentException refused) {
            throw errors.badRequest(refused.getMessage());
        }
        URI uri = submitUri(modelName);
        Answer answer = http.postJson(Call.SUBMIT, uri, body);
        if (answer.status() < 200 || answer.status() > 299) {
            throw errors.forStatus(Call.SUBMIT, uri, answer.status(), answer.body(), answer.keySent(), answer::header);
        }
        JsonNode node = http.jsonObject(Call.SUBMIT, answer);
        String requestId = JsonFields.text(node, "request_id");
        if (requestId == null) {
            throw errors.protocol(Call.SUBMIT, uri, answer.status(), "HTTP " + answer.status()
                    + " without a request_id (keys: " + PixazoWire.keys(node) + ")", null);
        }
        String word = JsonFields.status(node);
        if (word != null && !PixazoWire.PENDING.contains(word) && !PixazoWire.TERMINAL.contains(word)) {
            log.debug("Pixazo submit: request {} accepted with unexpected status '{}'", requestId, word);
        }
        return new Submission(requestId, pollUrl(requestId, JsonFields.text(node, "polling_url")), null, null);
    }

    URI submitUri(String modelName) {
        return base.path(PixazoModels.Z_IMAGE_BASE.equals(modelName) ? BASE_PATH : TURBO_PATH);
    }

    /**
     * {@code polling_url} resolved against the base URL; when it is absent (or unusable), the documented universal
     * status URL. The request is accepted by then: it must stay pollable rather than be lost to an exception.
     */
    private URI pollUrl(String requestId, String pollingUrl) {
        if (pollingUrl != null) {
            try {
                URI uri = base.resolve(pollingUrl.strip());
                if (ProviderHttp.isHttp(uri)) {
                    return uri;
                }
            } catch (IllegalArgumentException unusable) {
                // fall back below
            }
            log.warn("Pixazo submit: request {} came with an unusable polling_url '{}'; polling the universal "
                    + "status URL instead", requestId, HttpErrors.truncate(errors.redact(pollingUrl)));
        }
        return universalStatusUrl(requestId);
    }

    /** {@code {base}/v2/requests/status/{request_id}}. */
    URI universalStatusUrl(String requestId) {
        return base.path(STATUS_PATH + encodeSegment(requestId));
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encodeSegment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------------ poll

    @Override
    public PollResult poll(TrackedRequest request) {
        Objects.requireNonNull(request, "request");
        PollResult fromWebhook = fromDelivery(request.requestId());
        if (fromWebhook != null) {
            return fromWebhook;
        }
        URI pollUrl = request.pollUrl() != null ? base.absolute(request.pollUrl())
                : universalStatusUrl(Objects.requireNonNull(request.requestId(), "requestId"));
        Answer answer = http.get(Call.STATUS, pollUrl, true, ProviderHttp.JSON);
        int status = answer.status();
        if (status == 404 || status == 410) {
            return new PollResult.Expired(PixazoErrors.EXPIRED_DETAIL);
        }
        if (status < 200 || status > 299) {
            throw errors.forStatus(Call.STATUS, answer.uri(), status, answer.body(), answer.keySent(), answer::header);
        }
        return interpret(http.jsonObject(Call.STATUS, answer), answer.uri(), status);
    }

    /**
     * The result a delivered terminal status body gives, or null to poll over HTTP (nothing delivered, still
     * pending, or a body that cannot be read: the gateway's own answer decides then).
     */
    private PollResult fromDelivery(String requestId) {
        if (deliveries == null || requestId == null) {
            return null;
        }
        Optional<String> delivered = deliveries.delivered(requestId);
        if (delivered == null || delivered.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(delivered.get());
            if (node == null || !node.isObject() || !PixazoWire.TERMINAL.contains(JsonFields.status(node))) {
                return null;
            }
            return interpret(node, null, 0);
        } catch (JacksonException | ProviderException unusable) {
            log.debug("Pixazo: the delivered status of request {} is unusable ({}); polling instead", requestId,
                    unusable.getMessage());
            return null;
        }
    }

    private PollResult interpret(JsonNode node, URI at, int httpStatus) {
        String word = JsonFields.status(node);
        if (word == null) {
            throw errors.protocol(Call.STATUS, at, httpStatus,
                    "no status in the answer (keys: " + PixazoWire.keys(node) + ")", null);
        }
        if (PixazoWire.PENDING.contains(word)) {
            return new PollResult.Pending(word);
        }
        switch (word) {
            case PixazoWire.COMPLETED -> {
                List<String> urls = PixazoWire.mediaUrls(node);
                if (urls.isEmpty()) {
                    throw errors.protocol(Call.STATUS, at, httpStatus, "COMPLETED without an image URL in "
                            + "output.media_url (keys: " + PixazoWire.keys(node) + ")", null);
                }
                return new PollResult.Completed(resolveAll(at, httpStatus, urls), PixazoWire.seed(node));
            }
            case PixazoWire.FAILED -> {
                return new PollResult.Failed(reason(node, "Pixazo reported the request FAILED without giving a reason"));
            }
            case PixazoWire.ERROR -> {
                return new PollResult.Retry(reason(node,
                        "Pixazo reported a system ERROR (not charged) without giving a reason"));
            }
            default -> throw errors.protocol(Call.STATUS, at, httpStatus, "unknown status '"
                    + HttpErrors.truncate(errors.redact(word)) + "'", null);
        }
    }

    private String reason(JsonNode node, String fallback) {
        String text = PixazoWire.error(node);
        return text == null ? fallback : HttpErrors.truncate(errors.redact(text));
    }

    // ------------------------------------------------------------------------------------------------ download

    @Override
    public FetchedImage download(URI imageUrl) {
        Objects.requireNonNull(imageUrl, "imageUrl");
        // Pixazo declares media_type application/octet-stream: the caller checks the bytes, not the Content-Type
        return http.download(base.absolute(imageUrl));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Relative URLs are resolved against the base URL; each must be http(s). */
    private List<URI> resolveAll(URI at, int httpStatus, List<String> urls) {
        List<URI> out = new ArrayList<>(urls.size());
        for (String url : urls) {
            URI uri;
            try {
                uri = base.resolve(url);
            } catch (IllegalArgumentException bad) {
                throw errors.protocol(Call.STATUS, at, httpStatus,
                        "unusable image URL '" + HttpErrors.truncate(url) + "'", bad);
            }
            if (!ProviderHttp.isHttp(uri)) {
                throw errors.protocol(Call.STATUS, at, httpStatus,
                        "not an http(s) image URL: '" + HttpErrors.truncate(url) + "'", null);
            }
            out.add(uri);
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        http.close();
    }
}
