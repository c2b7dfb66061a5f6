package dev.zbatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every {@code zbatch.*} property. A job spec ({@code jobs/NAME.yml}) sets them; command-line flags override.
 * README.md lists each one with its default; keep the two in step.
 */
// an unknown zbatch.* key (a typo in a job spec, a flag or the environment) stops the command: see SettingNames
@ConfigurationProperties(prefix = "zbatch", ignoreUnknownFields = false)
public record ZbatchProperties(
        @DefaultValue Job job,
        @DefaultValue Input input,
        @DefaultValue("sandbox") ProviderName provider,
        @DefaultValue("z-image-turbo") String model,
        /* default request parameters (width, height, steps, guidance_scale, seed, image_format, quality,
           num_images); any other key is passed to the provider unchanged */
        Map<String, String> defaults,
        @DefaultValue Output output,
        @DefaultValue Ledger ledger,
        @DefaultValue Submit submit,
        @DefaultValue Collect collect,
        @DefaultValue Providers providers,
        /* the accounts a run sends to, by name; none = one account, of zbatch.provider with its settings */
        Map<String, Account> accounts,
        @DefaultValue Sandbox sandbox,
        @DefaultValue Cost cost,
        @DefaultValue Budget budget,
        @DefaultValue Progress progress,
        @DefaultValue Cache cache,
        @DefaultValue Java java) {

    public ZbatchProperties {
        defaults = defaults == null ? Map.of() : Map.copyOf(defaults);
        // in the order the job spec lists them (Spring Boot binds a LinkedHashMap)
        accounts = accounts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
    }

    /**
     * @param pricePerImage   overrides the price table for this run (USD per image)
     * @param segmindEstimate Segmind publishes no per-image price for Z-Image Turbo; its model page showed about
     *                        $0.031 per run: an estimate, labelled as such wherever it is shown
     * @param typicalLatency  how long one image takes at the provider, for time estimates; unset = the
     *                        provider's typical figure (Segmind's page: 6.7 s)
     */
    public record Cost(
            java.math.BigDecimal pricePerImage,
            @DefaultValue("0.031") java.math.BigDecimal segmindEstimate,
            Duration typicalLatency) {
    }

    /** @param maxCost no request is sent that would take committed plus in-flight spend above this (USD) */
    public record Budget(java.math.BigDecimal maxCost) {
    }

    /**
     * @param name        names the run; the CLI derives it from the job spec's or the input's file name
     * @param maxDuration stop (resumably, exit 4) after this long; unset = run to the end
     */
    public record Job(String name, Duration maxDuration) {
    }

    /**
     * @param path         the prompt file
     * @param format       csv, tsv, jsonl or xlsx; unset = from the file extension
     * @param encoding     {@code auto} (a byte order mark decides, else UTF-8) or a Java charset name
     * @param delimiter    a CSV file's separator: {@code ,} (the default) {@code ;} {@code |} {@code tab}, or
     *                     {@code auto} (the one the header uses)
     * @param sheet        a workbook's sheet by name; default the first
     * @param promptColumn the column holding the prompt (ignored when a template is set)
     * @param idColumn     the optional column giving each row's key and file name
     * @param template     a prompt built from columns, e.g. {@code "Studio photo of {title}, {color}"}
     * @param maxPromptChars longer prompts are REJECTED rather than sent
     * @param acceptChanges  make the rows again whose request changed even when they are most of the rows that
     *                       have images (without it such a run stops before sending anything: {@code --accept-changes})
     */
    public record Input(
            Path path,
            InputFormat format,
            @DefaultValue("prompt") String promptColumn,
            @DefaultValue("id") String idColumn,
            String template,
            @DefaultValue("10000") int maxPromptChars,
            @DefaultValue("false") boolean acceptChanges,
            @DefaultValue("auto") String encoding,
            String delimiter,
            String sheet) {
    }

    /**
     * @param dir          the output folder; default {@code out/<job name>}
     * @param nameTemplate image file names; default {@code {id}} when the row has an id, else {@code {line}-{slug}}
     * @param embedMetadata write the prompt, seed, model, provider and row id into each image (PNG text chunks,
     *                      XMP in JPEG and WebP)
     */
    public record Output(Path dir, String nameTemplate, @DefaultValue("true") boolean embedMetadata) {
    }

    /**
     * @param mode     {@code auto} (a bar on a terminal, else log lines), {@code bar}, {@code log} or {@code off}
     * @param interval between two log lines (the bar redraws every second)
     */
    public record Progress(@DefaultValue("auto") ProgressMode mode, @DefaultValue("30s") Duration interval) {
    }

    public enum ProgressMode {
        /** A bar on a terminal, else log lines. */
        AUTO,
        BAR,
        LOG,
        OFF
    }

    /** @param opts options run.sh gives the JVM (the environment variable ZBATCH_JAVA_OPTS); not read by zbatch */
    public record Java(String opts) {
    }

    /**
     * @param dir a folder of images already paid for, shared by any run on the machine: a row whose fixed-seed
     *            request is in it is given its images rather than sent; unset (the default): no cache
     */
    public record Cache(Path dir) {
    }

    /** @param dir where the H2 database lives; default {@code <output>/.zbatch} */
    public record Ledger(Path dir) {
    }

    /**
     * @param chunkSize   rows per chunk (the restart checkpoint)
     * @param window      the most requests submitted and not yet collected; unset = from each account's limit and
 *                    the model's latency (enough to keep every account at its limit)
     * @param concurrency submissions sent at once
     * @param maxAttempts times a row is sent when the provider fails it on its side without charging (Pixazo ERROR)
     *                    or its result expires before it is collected
     * @param onUnknown   rows whose request may have been accepted before a crash: {@code hold} (leave them UNKNOWN,
     *                    listed with the command that sends them again) or {@code resubmit} (send them again, at the
     *                    risk of paying twice)
     */
    public record Submit(
            @DefaultValue("20") int chunkSize,
            Integer window,
            @DefaultValue("4") int concurrency,
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("hold") OnUnknown onUnknown) {
    }

    /** What becomes of rows whose request may have been accepted before a crash. */
    public enum OnUnknown {
        /** Left UNKNOWN: never risk paying twice; {@code retry --unknown} sends them when the user says so. */
        HOLD,
        /** Sent again at the next run: no row is left without an image, at the risk of paying twice. */
        RESUBMIT
    }

    /**
     * @param firstPollDelay     wait after submitting before the first status poll, at the start of a run
     * @param learnFirstPoll     adjust that wait to the run's own latencies, so that nearly every request is
     *                           done when first asked
     * @param pollInterval       wait after a poll that found the request still pending
     * @param maxPollInterval    the longest wait between two polls of one request
     * @param pollBackoff        each further poll waits this many times longer than the one before
     * @param threads            polls and downloads at once
     * @param downloadAttempts   tries per image before the row is FAILED
     */
    public record Collect(
            @DefaultValue("2s") Duration firstPollDelay,
            @DefaultValue("true") boolean learnFirstPoll,
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("10s") Duration maxPollInterval,
            @DefaultValue("1.5") double pollBackoff,
            @DefaultValue("4") int threads,
            @DefaultValue("4") int downloadAttempts,
            @DefaultValue("keep") OnMismatch onMismatch) {
    }

    /** What becomes of a row whose image decodes but differs from the request (another size or format). */
    public enum OnMismatch {
        /** COMPLETED, the difference recorded with the image. */
        KEEP,
        /** FAILED, the image kept under a name that says so and named in the reason. */
        FAIL
    }

    /** The provider a run talks to. */
    public enum ProviderName {
        /** The embedded stand-in: no key, no network, nothing charged. */
        SANDBOX,
        SEGMIND,
        PIXAZO;

        /** As settings, the ledger and the manifests write it: {@code sandbox}, {@code segmind}, {@code pixazo}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The API zbatch speaks to the sandbox; its models and prices are that API's. */
    public enum SandboxApi {
        SEGMIND,
        PIXAZO
    }

    public enum SegmindMode {
        /** v2: submit, poll, fetch. */
        ASYNC,
        /** v1: the answer is the image. */
        SYNC
    }

    public record Providers(@DefaultValue Segmind segmind, @DefaultValue Pixazo pixazo) {
    }

    /**
     * @param mode             {@code async} (v2: submit, poll, fetch) or {@code sync} (v1: the answer is the image)
     * @param apiKey           normally unset: the key is read from {@code SEGMIND_API_KEY}
     * @param responseTimeout  per call (in sync mode, the whole generation)
     * @param submitsPerMinute Segmind's limit for the plan: Free 5, Pro 50 (the default), enterprise more
     * @param callsPerMinute   a limit on every API call (polls too), where the plan counts them; 0 = none
     * @param burst            calls that may go at once before the pace applies
     */
    public record Segmind(
            @DefaultValue("https://api.segmind.com") URI baseUrl,
            @DefaultValue("async") SegmindMode mode,
            String apiKey,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration responseTimeout,
            @DefaultValue("50") int submitsPerMinute,
            @DefaultValue("0") int callsPerMinute,
            @DefaultValue("1") int burst) {
    }

    /**
     * @param apiKey           normally unset: the key is read from {@code PIXAZO_API_KEY}
     * @param submitsPerMinute Pixazo does not publish its limits: a cautious default, raise it for your plan
     */
    public record Pixazo(
            @DefaultValue("https://gateway.pixazo.ai") URI baseUrl,
            String apiKey,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration responseTimeout,
            @DefaultValue("30") int submitsPerMinute,
            @DefaultValue("0") int callsPerMinute,
            @DefaultValue("1") int burst,
            @DefaultValue Webhook webhook) {
    }

    /**
     * One account a run sends to: an API key with its own limits. Rows go to the accounts with a turn free,
     * the highest priority first, then the cheapest; an account whose key is refused, whose credits run out or
     * that keeps failing is taken out of rotation while the others go on.
     *
     * @param provider         the API it is at; default {@code zbatch.provider}
     * @param keyVariable      the environment variable holding its key; default the provider's
     *                         ({@code SEGMIND_API_KEY}, {@code PIXAZO_API_KEY}). Never the key itself.
     * @param submitsPerMinute its limit; unset = {@code zbatch.providers.<provider>.submits-per-minute} (for a
     *                         sandbox account, {@code zbatch.sandbox.submits-per-minute}, which its sandbox enforces)
     * @param callsPerMinute   unset = the provider's setting
     * @param burst            unset = the provider's setting
     * @param pricePerImage    USD per image at this account; unset = the run's price
     * @param priority         higher goes first when several accounts have a turn free (default 0)
     * @param baseUrl          unset = the provider's {@code base-url}
     * @param sandbox          for a sandbox account: the account-level faults its own sandbox stages
     */
    public record Account(
            ProviderName provider,
            String keyVariable,
            Integer submitsPerMinute,
            Integer callsPerMinute,
            Integer burst,
            java.math.BigDecimal pricePerImage,
            @DefaultValue("0") int priority,
            URI baseUrl,
            @DefaultValue AccountSandbox sandbox) {
    }

    /**
     * @param outOfCreditsAfter the sandbox refuses submissions (out of credits) once it accepted this many; 0 = never
     * @param refuseKey         the sandbox answers 401 to every call, as to a revoked key
     */
    public record AccountSandbox(@DefaultValue("0") int outOfCreditsAfter, @DefaultValue("false") boolean refuseKey) {
    }

    /**
     * Pixazo posts each result to this endpoint instead of waiting to be polled (polling goes on, slowly, as a
     * fallback).
     *
     * @param publicUrl           how Pixazo reaches this machine (e.g. a tunnel or reverse proxy); unset = off
     * @param bindAddress         where the endpoint listens
     * @param port                where the endpoint listens; 0 = any free port
     * @param fallbackPollInterval how often each request is still polled while webhooks are on
     */
    public record Webhook(
            URI publicUrl,
            @DefaultValue("0.0.0.0") String bindAddress,
            @DefaultValue("8787") int port,
            @DefaultValue("60s") Duration fallbackPollInterval) {
    }

    /**
     * The embedded stand-in provider (no key, no network). Its images say SANDBOX.
     *
     * @param minLatency        fastest job
     * @param maxLatency        slowest job
     * @param failureRate       fraction of jobs that end FAILED (0–1)
     * @param submitsPerMinute  its own rate limit (429 beyond it), which zbatch then keeps to; 0 = none
     * @param port              0 = any free port
     * @param api               which API zbatch speaks to it: {@code segmind} or {@code pixazo}
     * @param errorRate         fraction of Pixazo jobs that end ERROR (a system error, not charged)
     * @param webhookRepeats    times each webhook delivery is sent (deliveries can repeat in real life)
     * @param credits           the balance its Segmind credits endpoint reports (nothing is ever deducted)
     * @param faults            faults it stages, for trying zbatch's behaviour (all off by default)
     */
    public record Sandbox(
            @DefaultValue("300ms") Duration minLatency,
            @DefaultValue("1500ms") Duration maxLatency,
            @DefaultValue("0") double failureRate,
            @DefaultValue("0") int submitsPerMinute,
            @DefaultValue("0") int port,
            @DefaultValue("segmind") SandboxApi api,
            @DefaultValue("0") double errorRate,
            @DefaultValue("1") int webhookRepeats,
            @DefaultValue("100") java.math.BigDecimal credits,
            @DefaultValue SandboxFaults faults) {
    }

    /**
     * @param serverErrorRate      fraction of calls answered 500/502/503 (a submit so answered creates no job)
     * @param dropAfterAccept      fraction of submissions accepted, then the connection closed unanswered
     * @param truncateDownloadRate fraction of image downloads cut short of their Content-Length
     * @param rateLimitBurstEvery  every N-th call starts a run of 429s (0 = never) …
     * @param rateLimitBurstLength … this many long
     * @param slowAnswer           polls and downloads that wait this long before answering …
     * @param slowAnswerRate       … this fraction of them
     * @param retention            results are gone (404) this long after submission
     * @param roundSizesTo         sizes rounded down to a multiple of this, as a model on a grid does; 0 = as asked
     * @param answerFormat         images made in this format (png, jpeg, webp) whatever was asked; unset = as asked
     */
    public record SandboxFaults(
            @DefaultValue("0") double serverErrorRate,
            @DefaultValue("0") double dropAfterAccept,
            @DefaultValue("0") double truncateDownloadRate,
            @DefaultValue("0") int rateLimitBurstEvery,
            @DefaultValue("0") int rateLimitBurstLength,
            @DefaultValue("0s") Duration slowAnswer,
            @DefaultValue("0") double slowAnswerRate,
            @DefaultValue("1h") Duration retention,
            @DefaultValue("0") int roundSizesTo,
            String answerFormat) {
    }
}
