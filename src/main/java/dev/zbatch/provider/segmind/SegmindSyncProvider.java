package dev.zbatch.provider.segmind;

import dev.zbatch.files.AtomicFiles;
import dev.zbatch.files.ImageMagic;
import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.provider.http.Call;
import dev.zbatch.provider.http.HttpErrors;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.provider.http.ProviderHttp;
import dev.zbatch.provider.http.ProviderHttp.Answer;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Segmind's synchronous v1 API ({@code zbatch.providers.segmind.mode=sync}): {@code POST /v1/{model}} answers
 * with the image itself, so {@link #submit} already has it. The image is written at once, atomically, into a
 * spool folder as {@code <requestId>.<ext>}, and the {@link Submission} points at that file: its poll URL is the
 * file's {@code file:} URI, with the seed Segmind reported (when it did) in the fragment, e.g.
 * {@code file:///…/sync-….png#seed=42}. {@link #poll} then finds the file ({@link PollResult.Completed}) or not
 * ({@link PollResult.Expired}), and {@link #download} reads it; nothing of the image is held in memory between
 * calls, so a crash after SUBMITTED loses nothing that was paid for.
 *
 * <p>The spool file is kept after {@link #download}, because the caller may have to fetch it again (e.g. a write
 * that failed); callers may {@link #discard} it once the image is safely written to its final place.
 *
 * <p>Errors are classified exactly as for the async API (see {@link SegmindErrors}): 401/403 AUTH, 402/406
 * CREDITS, 400 BAD_REQUEST, 429 RATE_LIMITED with Retry-After, 5xx and any failure after the request left
 * AMBIGUOUS_SUBMIT (the image may have been made and charged), connect failures TRANSIENT. A sync call lasts as
 * long as the generation: the settings' response timeout must cover it (a model that was idle may need a cold
 * start), or the call ends as AMBIGUOUS_SUBMIT. A 2xx answer that holds no readable image is PROTOCOL with its
 * HTTP status (so the request counts as possibly charged).
 *
 * <p>Thread-safe; holds no run state. Bounding concurrency is the caller's business.
 */
public final class SegmindSyncProvider implements ImageProvider {

    public static final String NAME = SegmindAsyncProvider.NAME;
    /** Prefix of the local request ids this adapter makes up (Segmind's v1 API gives none). */
    public static final String REQUEST_ID_PREFIX = "sync-";
    static final String MISSING_DETAIL =
            "the image received from the synchronous call is no longer in the spool folder";
    /** The answer is the image; JSON when Segmind wraps it in base64. */
    static final String SYNC_ACCEPT = "image/*, application/json;q=0.9, */*;q=0.5";
    /** Keys of a JSON answer that may hold the image (base64 or a data: URI), in order. */
    static final List<String> IMAGE_KEYS = List.of("image", "output");

    private static final Pattern REQUEST_ID = Pattern.compile(
            "sync-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final List<String> EXTENSIONS = List.of("png", "jpg", "webp", "bin");
    private static final Pattern SPOOL_NAME = Pattern.compile(REQUEST_ID.pattern() + "\\.(png|jpg|webp|bin)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final SegmindClient client;
    private final Path spoolDir;

    /**
     * @param settings how to reach Segmind
     * @param spoolDir where received images wait until they are collected; created on the first submit if missing
     */
    public SegmindSyncProvider(SegmindSettings settings, Path spoolDir) {
        Objects.requireNonNull(settings, "settings");
        this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir").toAbsolutePath().normalize();
        this.client = new SegmindClient(settings);
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

    /** The spool folder, absolute and normalised. */
    public Path spoolDir() {
        return spoolDir;
    }

    // ------------------------------------------------------------------------------------------------ submit

    /**
     * Generates the image and spools it.
     *
     * @throws ProviderException    for everything the API or the network does (see the class comment)
     * @throws UncheckedIOException when the image arrived (and was probably charged) but cannot be written to the
     *                              spool folder: a local problem that more requests would not fix
     */
    @Override
    public Submission submit(String modelName, ImageRequest request) {
        model(modelName); // IllegalArgumentException for an unknown model, before anything is sent
        Objects.requireNonNull(request, "request");
        byte[] body = client.submitBody(request);
        try {
            Files.createDirectories(spoolDir);
        } catch (IOException e) {
            throw client.errors.exception(Kind.TRANSIENT, 0, "Segmind (sync): cannot create the spool folder "
                    + spoolDir + " (" + e + "); nothing was sent", null, e);
        }

        URI uri = submitUri(modelName);
        Answer answer = client.http.postJson(Call.SUBMIT, uri, body, SYNC_ACCEPT);
        if (answer.status() < 200 || answer.status() > 299) {
            throw client.errors.forStatus(Call.SUBMIT, uri, answer.status(), answer.body(), answer.keySent(),
                    answer::header);
        }
        Received image = received(uri, answer);

        String localId = REQUEST_ID_PREFIX + UUID.randomUUID();
        Path file = spoolDir.resolve(localId + "." + extension(image.bytes()));
        try {
            AtomicFiles.write(file, image.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Segmind (sync): the image was received (and probably charged) but "
                    + "cannot be written to the spool folder " + spoolDir + ": " + e, e);
        }
        return new Submission(localId, pollUrl(file, image.seed()), null, SegmindClient.creditsConsumed(answer));
    }

    URI submitUri(String modelName) {
        return client.base.path("/v1/" + URLEncoder.encode(modelName, StandardCharsets.UTF_8));
    }

    /** The image bytes of a 2xx answer and the seed Segmind reported, if it did. */
    private record Received(byte[] bytes, Long seed) {
    }

    private Received received(URI uri, Answer answer) {
        String mime = mimeType(answer.header("Content-Type"));
        byte[] body = answer.body();
        if (mime.startsWith("image/")) {
            if (body.length == 0) {
                throw client.errors.protocol(Call.SUBMIT, uri, answer.status(), "HTTP " + answer.status()
                        + " with Content-Type " + mime + " but an empty body", null);
            }
            return new Received(body, null);
        }
        if (mime.equals("application/json") || mime.endsWith("+json")) {
            return fromJson(uri, answer);
        }
        // no or a generic content type: trust what the bytes are
        if (mime.isEmpty() || mime.equals("application/octet-stream") || mime.equals("binary/octet-stream")) {
            if (contentType(body) != null) {
                return new Received(body, null);
            }
            if (body.length > 0 && firstNonBlank(body) == '{') {
                return fromJson(uri, answer);
            }
        }
        throw client.errors.protocol(Call.SUBMIT, uri, answer.status(), "HTTP " + answer.status()
                + " with Content-Type '" + (mime.isEmpty() ? "(none)" : mime) + "': expected an image or JSON"
                + (mime.startsWith("text/") && body.length > 0 ? ": " + client.errors.errorText(body) : ""), null);
    }

    /** {@code {"image": "<base64>", "seed": n}}, or {@code output} with base64 or a data: URI. */
    private Received fromJson(URI uri, Answer answer) {
        int status = answer.status();
        JsonNode node = client.http.jsonObject(Call.SUBMIT, answer); // answer.uri() is uri: a POST is never redirected
        for (String key : IMAGE_KEYS) {
            JsonNode v = node.path(key);
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            byte[] bytes = v.isString() ? decode(v.asString()) : null;
            if (bytes == null || bytes.length == 0) {
                throw client.errors.protocol(Call.SUBMIT, uri, status, "'" + key
                        + "' holds neither base64 image data nor a base64 data: URI (keys: "
                        + JsonFields.keys(node) + ")", null);
            }
            return new Received(bytes, SegmindWire.seed(node));
        }
        String message = SegmindErrors.messageOf(node);
        throw client.errors.protocol(Call.SUBMIT, uri, status, "no image in the JSON answer (looked at "
                + String.join(", ", IMAGE_KEYS) + "; keys present: " + JsonFields.keys(node) + ")"
                + (message == null ? "" : ": " + HttpErrors.truncate(client.errors.redact(message))), null);
    }

    /** Base64 (standard or URL-safe, padding optional, whitespace ignored) or a base64 data: URI; else null. */
    static byte[] decode(String value) {
        String v = value.strip();
        if (v.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = v.indexOf(',');
            if (comma < 0 || !v.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                return null;
            }
            v = v.substring(comma + 1);
        }
        v = WHITESPACE.matcher(v).replaceAll("");
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(v);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
    }

    private static URI pollUrl(Path file, Long seed) {
        URI uri = file.toUri();
        return seed == null ? uri : URI.create(uri + "#seed=" + seed);
    }

    // ------------------------------------------------------------------------------------------------ poll

    /**
     * Completed with the spool file's URI (and the seed from the fragment) when the file is there, Expired when
     * it is not.
     *
     * @throws ProviderException PROTOCOL for a poll URL that is not a spool file of this adapter (for instance a
     *                           request submitted in async mode, or a spool folder that was moved)
     */
    @Override
    public PollResult poll(TrackedRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.pollUrl() == null) {
            throw new IllegalArgumentException("request " + request.requestId() + " has no poll URL");
        }
        URI pollUrl = request.pollUrl();
        Path file = spoolFile(Call.STATUS, pollUrl);
        if (!Files.isRegularFile(file)) {
            return new PollResult.Expired(MISSING_DETAIL);
        }
        return new PollResult.Completed(List.of(withoutFragment(pollUrl)), seedOf(pollUrl));
    }

    /** The seed in a poll URL's fragment ({@code seed=42}), or null. */
    static Long seedOf(URI pollUrl) {
        String fragment = pollUrl.getFragment();
        if (fragment == null) {
            return null;
        }
        for (String part : fragment.split("&")) {
            if (part.startsWith("seed=")) {
                try {
                    return Long.parseLong(part.substring(5).strip());
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ download

    /**
     * Reads a spool file. The file is kept: see {@link #discard}.
     *
     * @throws ProviderException PROTOCOL for anything but a file of this adapter inside the spool folder, or when
     *                           the file is gone (a poll then says Expired); TRANSIENT when it cannot be read
     */
    @Override
    public FetchedImage download(URI imageUrl) {
        Objects.requireNonNull(imageUrl, "imageUrl");
        Path file = spoolFile(Call.DOWNLOAD, imageUrl);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            throw local(Kind.PROTOCOL, Call.DOWNLOAD, file + ": " + MISSING_DETAIL, gone);
        } catch (IOException e) {
            throw local(Kind.TRANSIENT, Call.DOWNLOAD, "cannot read " + file + ": " + e, e);
        }
        return new FetchedImage(bytes, contentType(bytes));
    }

    /** The image is verified and written: its spool copy is no longer needed. */
    @Override
    public void collected(TrackedRequest request) {
        try {
            discard(request.requestId());
        } catch (IOException e) {
            // a leftover spool file costs only disk space; the row is complete either way
        }
    }

    /**
     * Deletes the spool file of a request, to be called once its image is safely written to its final place
     * (after that, a poll of the request says Expired). Does nothing for an id this adapter did not make.
     *
     * @return whether a file was deleted
     * @throws IOException when the file exists but cannot be deleted
     */
    public boolean discard(String requestId) throws IOException {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            return false;
        }
        boolean deleted = false;
        for (String ext : EXTENSIONS) {
            deleted |= Files.deleteIfExists(spoolDir.resolve(requestId + "." + ext));
        }
        return deleted;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The spool file a {@code file:} URI names: directly inside the spool folder (links that lead out refused),
     * named like the files {@link #submit} writes. Anything else is PROTOCOL.
     */
    private Path spoolFile(Call call, URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            String shown = uri.isAbsolute() && uri.getHost() != null ? HttpErrors.describe(uri)
                    : HttpErrors.truncate(String.valueOf(uri.getScheme())) + ":…";
            throw local(Kind.PROTOCOL, call, "not a file: URL (" + shown + "); the synchronous mode keeps images"
                    + " in its spool folder (a request submitted in async mode needs"
                    + " zbatch.providers.segmind.mode=async to be collected)", null);
        }
        Path candidate;
        try {
            candidate = Path.of(withoutFragment(uri)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException | SecurityException bad) {
            throw local(Kind.PROTOCOL, call, "unusable file: URL '" + HttpErrors.truncate(uri.toString()) + "'",
                    bad);
        }
        Path name = candidate.getFileName();
        if (name == null || !spoolDir.equals(candidate.getParent()) || !SPOOL_NAME.matcher(name.toString()).matches()) {
            throw local(Kind.PROTOCOL, call, candidate + " is not a spooled image in " + spoolDir
                    + " (was the spool folder changed?)", null);
        }
        try {
            return AtomicFiles.resolveInside(spoolDir, name.toString()); // also refuses a link that leads out
        } catch (IllegalArgumentException outside) {
            throw local(Kind.PROTOCOL, call, candidate + " is not inside the spool folder " + spoolDir + ": "
                    + outside.getMessage(), outside);
        }
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    private ProviderException local(Kind kind, Call call, String message, Throwable cause) {
        return client.errors.exception(kind, 0, "Segmind (sync) " + call.label() + ": " + message, null, cause);
    }

    private static String mimeType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static int firstNonBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b;
            }
        }
        return -1;
    }

    /** png, jpg or webp by the magic bytes; bin otherwise. */
    static String extension(byte[] bytes) {
        String type = contentType(bytes);
        if (type == null) {
            return "bin";
        }
        return switch (type) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            default -> "webp";
        };
    }

    /** image/png, image/jpeg or image/webp by the magic bytes; null otherwise. */
    static String contentType(byte[] b) {
        String format = ImageMagic.formatOf(b);
        return format == null ? null : "image/" + format;
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
