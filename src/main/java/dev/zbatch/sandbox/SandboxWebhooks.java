package dev.zbatch.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Pixazo's webhooks: once a job with an {@code X-Webhook-URL} is terminal (COMPLETED, FAILED or ERROR), its status
 * body is POSTed there ({@code Content-Type: application/json}) {@link SandboxSettings#webhookRepeats()} times,
 * {@link #REPEAT_GAP_MILLIS} ms apart, from a background scheduler thread. A delivery succeeds on a 2xx answer;
 * failures are counted and never retried. Only loopback URLs are accepted (checked at submission, see
 * {@link #loopbackUrl(String)}); redirects are not followed. When every repeat has been attempted, the job is marked
 * done in the store, so that a restarted server delivers only the webhooks still owed.
 */
final class SandboxWebhooks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxWebhooks.class);
    static final long REPEAT_GAP_MILLIS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final int repeats;
    private final SandboxStats stats;
    private final SandboxJobStore store;
    private final Function<SandboxJob, byte[]> statusBody;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService clientExecutor;
    private final HttpClient http;

    /** @param statusBody the JSON a status call would answer for the job right now */
    SandboxWebhooks(int repeats, SandboxStats stats, SandboxJobStore store, Function<SandboxJob, byte[]> statusBody) {
        this.repeats = repeats;
        this.stats = stats;
        this.store = store;
        this.statusBody = statusBody;
        int instance = INSTANCES.incrementAndGet();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> daemon(task,
                "zbatch-sandbox-webhooks-" + instance));
        AtomicInteger count = new AtomicInteger();
        this.clientExecutor = Executors.newCachedThreadPool(task -> daemon(task,
                "zbatch-sandbox-webhook-client-" + instance + "-" + count.incrementAndGet()));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(clientExecutor)
                .build();
    }

    /**
     * The webhook URL if it may be delivered to: http or https, host localhost, an IPv4 literal in 127.0.0.0/8,
     * or an IPv6 loopback literal ({@code [::1]}). No name other than localhost is resolved.
     *
     * @throws IllegalArgumentException with the reason (answered as a 400)
     */
    static URI loopbackUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("X-Webhook-URL is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")))
            throw new IllegalArgumentException("X-Webhook-URL must be an http or https URL (got " + value + ")");
        String host = uri.getHost();
        if (host == null || host.isEmpty())
            throw new IllegalArgumentException("X-Webhook-URL has no host (got " + value + ")");
        if (!isLoopbackHost(host))
            throw new IllegalArgumentException("The sandbox delivers webhooks to loopback hosts only (127.0.0.0/8, "
                    + "localhost, [::1]); X-Webhook-URL has host " + host);
        return uri;
    }

    static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) return true;
        var ipv4 = IPV4.matcher(h);
        if (ipv4.matches()) {
            for (int i = 1; i <= 4; i++) if (Integer.parseInt(ipv4.group(i)) > 255) return false;
            return Integer.parseInt(ipv4.group(1)) == 127;
        }
        if (h.length() > 2 && h.startsWith("[") && h.endsWith("]")) {
            String literal = h.substring(1, h.length() - 1);
            if (!literal.matches("[0-9a-f:.]+")) return false; // a literal only: never a name lookup
            try {
                InetAddress address = InetAddress.getByName(literal);
                return address instanceof Inet6Address && address.isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** Schedules the deliveries owed for this job (none without a webhook URL, or when already done). */
    void schedule(SandboxJob job) {
        if (job.webhookUrl() == null || repeats == 0 || store.webhookDone(job.id())) return;
        URI url;
        try {
            url = loopbackUrl(job.webhookUrl());
        } catch (IllegalArgumentException e) {
            log.warn("Sandbox: not delivering the webhook of job {}: {}", job.id(), e.getMessage());
            return;
        }
        long delay = Math.max(0, job.doneAtMillis() - System.currentTimeMillis());
        AtomicInteger remaining = new AtomicInteger(repeats);
        for (int i = 0; i < repeats; i++) later(() -> deliver(job, url, remaining), delay + i * REPEAT_GAP_MILLIS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        clientExecutor.shutdownNow();
    }

    private void deliver(SandboxJob job, URI url, AtomicInteger remaining) {
        long early = job.doneAtMillis() - System.currentTimeMillis();
        if (early > 0) { // the scheduler's clock and the wall clock disagree by a millisecond or so
            later(() -> deliver(job, url, remaining), early);
            return;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(statusBody.apply(job)))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() / 100 == 2) {
                    stats.recordWebhookDelivery();
                } else {
                    stats.recordWebhookFailure();
                    log.debug("Sandbox: webhook of job {} to {} failed: {}", job.id(), url,
                            error != null ? error.toString() : "HTTP " + response.statusCode());
                }
                if (remaining.decrementAndGet() == 0) store.markWebhookDone(job.id());
            });
        } catch (RuntimeException e) {
            stats.recordWebhookFailure();
            log.debug("Sandbox: webhook of job {} to {} failed: {}", job.id(), url, e.toString());
            if (remaining.decrementAndGet() == 0) store.markWebhookDone(job.id());
        }
    }

    private void later(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: owed deliveries are made by the next server on the same state directory
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
