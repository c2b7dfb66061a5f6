package dev.zbatch.provider.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /sandbox/images/{id}.{ext}}: the image of a COMPLETED job, rendered on demand (nothing is cached,
 * the same job always gives the same bytes). 404 while the job is unknown, expired, not completed, or when the
 * extension is not its format's ({@code jpg} and {@code jpeg} both work for JPEG). Needs no API key.
 */
final class SandboxImageEndpoint {

    private final SegmindV2Endpoints jobs;
    private final SandboxStats stats;
    private final JsonMapper mapper;

    SandboxImageEndpoint(SegmindV2Endpoints jobs, SandboxStats stats, JsonMapper mapper) {
        this.jobs = jobs;
        this.stats = stats;
        this.mapper = mapper;
    }

    void download(HttpExchange exchange, String fileName) throws IOException {
        stats.recordImageDownload();
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            notFound(exchange);
            return;
        }
        Optional<SandboxImageFormat> asked = SandboxImageFormat.byName(fileName.substring(dot + 1));
        Optional<SandboxJob> found = jobs.live(fileName.substring(0, dot));
        if (found.isEmpty() || asked.isEmpty() || asked.get() != found.get().format()
                || found.get().phaseAt(System.currentTimeMillis()) != SandboxJobPhase.COMPLETED) {
            notFound(exchange);
            return;
        }
        SandboxJob job = found.get();
        byte[] image = SandboxImages.render(job.prompt(), job.width(), job.height(), job.imageFormat(),
                job.quality(), job.seed());
        SandboxHttp.sendBytes(exchange, 200, job.format().contentType(), image);
    }

    private void notFound(HttpExchange exchange) throws IOException {
        SandboxHttp.sendError(exchange, 404, "Image not found", mapper);
    }
}
