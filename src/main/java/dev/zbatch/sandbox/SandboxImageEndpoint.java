package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * The images of COMPLETED jobs, rendered on demand (nothing is cached, the same job always gives the same bytes):
 * <ul>
 *     <li>{@code GET /sandbox/images/{id}.{ext}}: a Segmind v2 job's image;</li>
 *     <li>{@code GET /sandbox/images/{id}-{n}.{ext}}: the n-th image (0 to num_images - 1) of a Pixazo job.</li>
 * </ul>
 * 404 while the job is unknown, expired, not completed, for an n out of range, or when the extension is not its
 * format's ({@code jpg} and {@code jpeg} both work for JPEG). Needs no API key. A GET drawn by
 * {@link SandboxFaults#truncateDownloadRate()} promises the whole {@code Content-Length} but gets only half the
 * bytes before the connection is closed (HEAD is never drawn).
 */
final class SandboxImageEndpoint {

    private final SegmindV2Endpoints segmind;
    private final PixazoEndpoints pixazo;
    private final SandboxStats stats;
    private final JsonMapper mapper;
    private final SandboxFaultInjector faults;

    SandboxImageEndpoint(SegmindV2Endpoints segmind, PixazoEndpoints pixazo, SandboxStats stats, JsonMapper mapper,
                         SandboxFaultInjector faults) {
        this.segmind = segmind;
        this.pixazo = pixazo;
        this.stats = stats;
        this.mapper = mapper;
        this.faults = faults;
    }

    void download(HttpExchange exchange, String fileName) throws IOException {
        stats.recordImageDownload();
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            notFound(exchange);
            return;
        }
        Optional<SandboxImageFormat> asked = SandboxImageFormat.byName(fileName.substring(dot + 1));
        String stem = fileName.substring(0, dot);
        long now = System.currentTimeMillis();
        if (asked.isEmpty()) {
            notFound(exchange);
            return;
        }

        // a Segmind v2 job: {id}.{ext} (its UUID has dashes too, so it is tried first)
        Optional<SandboxJob> found = segmind.live(stem);
        if (found.isPresent()) {
            SandboxJob job = found.get();
            if (asked.get() != job.format() || job.phaseAt(now) != SandboxJobPhase.COMPLETED) {
                notFound(exchange);
                return;
            }
            byte[] image = SandboxImages.render(job.prompt(), job.width(), job.height(), job.imageFormat(),
                    job.quality(), job.seed());
            sendImage(exchange, job, image);
            return;
        }

        // a Pixazo job: {id}-{n}.{ext}
        int dash = stem.lastIndexOf('-');
        String index = dash < 0 ? "" : stem.substring(dash + 1);
        if (dash <= 0 || index.isEmpty() || index.length() > 2 || !index.chars().allMatch(c -> c >= '0' && c <= '9')) {
            notFound(exchange);
            return;
        }
        int n = Integer.parseInt(index);
        found = pixazo.live(stem.substring(0, dash));
        if (found.isEmpty() || n >= found.get().imageCount() || asked.get() != found.get().format()
                || found.get().phaseAt(now) != SandboxJobPhase.COMPLETED) {
            notFound(exchange);
            return;
        }
        SandboxJob job = found.get();
        sendImage(exchange, job, PixazoEndpoints.render(job, n));
    }

    /** 200 with the image, or (when {@link SandboxFaults#truncateDownloadRate()} draws it) half of it. */
    private void sendImage(HttpExchange exchange, SandboxJob job, byte[] image) throws IOException {
        if ("GET".equals(exchange.getRequestMethod()) && faults.truncateDownload()) {
            SandboxHttp.sendTruncated(exchange, job.format().contentType(), image);
        } else {
            SandboxHttp.sendBytes(exchange, 200, job.format().contentType(), image);
        }
    }

    private void notFound(HttpExchange exchange) throws IOException {
        SandboxHttp.sendError(exchange, 404, "Image not found", mapper);
    }
}
