package dev.zbatch.collect;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.collect.metadata.MetadataEmbedder;
import dev.zbatch.cost.Price;
import dev.zbatch.ledger.InFlightRow;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.reconcile.Reconciler;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.run.Budget;
import dev.zbatch.run.FirstPollDelay;
import dev.zbatch.run.InFlightWindow;
import dev.zbatch.run.PollAlarm;
import dev.zbatch.run.PollSchedule;
import dev.zbatch.run.Retry;
import dev.zbatch.run.RunControl;
import dev.zbatch.submit.InFlightRows;
import dev.zbatch.submit.Submitter;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.testing.ScriptedProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each answer to a poll does to a SUBMITTED row, its images, the budget and the in-flight window: the
 * decisions of {@link RowCollector} and {@link InFlightRows}, on a real ledger and output folder and a provider
 * that answers as scripted.
 */
class RowCollectorTest {

    private static final BigDecimal PRICE = new BigDecimal("0.01");
    private static final ImageRequest REQUEST = new ImageRequest("a fox", 64, 64, 8, 1.0, 42, "png", 0, 1, null,
            null, null, Map.of());

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private Ledger ledger;
    private Path outputDir;
    private final ScriptedProvider provider = new ScriptedProvider();
    private final Accounts accounts = provider.accounts(null);
    private final RunControl control = new RunControl();
    private InFlightWindow window;
    private Budget budget;
    private InFlightRows rows;

    @BeforeEach
    void open() throws InterruptedException, IOException {
        outputDir = Files.createDirectories(dir.resolve("out/images")).getParent(); // as a run makes it
        dataSource = LedgerDatabase.open(dir.resolve("ledger"));
        ledger = Ledger.openRun(dataSource, Clock.systemUTC(), "job", "/in.csv", "scripted", "z-image-turbo");
        String json = CanonicalJson.write("scripted", "z-image-turbo", REQUEST);
        Reconciler reconciler = new Reconciler(ledger.intake(), 1, true);
        reconciler.accept(List.of(NewRow.pending("row:1", 1, 2, null, "fox", "a fox", json,
                CanonicalJson.sha256(json), true, 1)));
        reconciler.finish(true);
        window = new InFlightWindow(1, ledger::countInFlight);
        budget = new Budget(new BigDecimal("100"), BigDecimal.ZERO);
        rows = new InFlightRows(ledger, budget, window, new PollAlarm(Clock.systemUTC()));
        provider.submits.add(new Submission("req-1", URI.create("http://provider/req-1"), null, null));
        submitter().submit(1, REQUEST);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private Submitter submitter() {
        return new Submitter(rows, accounts, "z-image-turbo", control, new Retry(3, Duration.ofMillis(1),
                Duration.ofMillis(2)), schedule(), new Price(PRICE, "test", false), Clock.systemUTC());
    }

    private static PollSchedule schedule() {
        return new PollSchedule(FirstPollDelay.fixed(Duration.ofSeconds(1)), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 1.5);
    }

    /** Collects row 1 once, with the given limit on how often a row is sent. */
    private void collect(int maxAttempts) throws InterruptedException {
        ImageDownloads downloads = new ImageDownloads(ledger, outputDir, control,
                new Retry(2, Duration.ofMillis(1), Duration.ofMillis(2)), new MetadataEmbedder(false), false);
        CachedImages noCache = new CachedImages(null, ledger, outputDir, "job", new MetadataEmbedder(false));
        new RowCollector(rows, accounts, submitter(), downloads, noCache, control, schedule(), PRICE_OF, maxAttempts,
                Clock.systemUTC()).collect(inFlight());
    }

    private static final Price PRICE_OF = new Price(PRICE, "test", false);

    private InFlightRow inFlight() {
        return ledger.duePolls(Instant.now().plus(Duration.ofHours(1)), 10).rows().get(0);
    }

    /** When the row is next polled. */
    private Instant nextPoll() {
        return ledger.duePolls(Instant.EPOCH, 10).next();
    }

    private LedgerRow row() {
        return ledger.row(1).orElseThrow();
    }

    private boolean windowHasRoom() throws InterruptedException {
        boolean room = window.acquire(() -> true);
        if (room) window.release();
        return room;
    }

    @Test
    void aCompletedRequestsImageIsVerifiedWrittenAndTheRowCompleted() throws Exception {
        provider.polls.add(new PollResult.Completed(List.of(URI.create("http://cdn/1.png")), 42L));
        provider.downloads.add(new FetchedImage(png(64, 64), "image/png"));
        collect(3);

        assertThat(control.halted()).isFalse();
        assertThat(row().state()).isEqualTo(RowState.COMPLETED);
        assertThat(Files.exists(outputDir.resolve("images/fox.png"))).isTrue();
        assertThat(provider.collected).as("the provider was told it may free the result").isEqualTo(1);
        assertThat(budget.committed()).isEqualByComparingTo(PRICE);
        assertThat(windowHasRoom()).isTrue();
    }

    @Test
    void bytesThatAreNotAnImageFailTheRowAfterTheDownloadAttempts() throws Exception {
        provider.polls.add(new PollResult.Completed(List.of(URI.create("http://cdn/1.png")), 42L));
        provider.downloads.add(new FetchedImage("<html>oops</html>".getBytes(), "image/png"));
        provider.downloads.add(new FetchedImage("<html>oops</html>".getBytes(), "image/png"));
        collect(3);

        assertThat(row().state()).isEqualTo(RowState.FAILED);
        assertThat(row().error()).startsWith("image 1 failed verification");
        assertThat(Files.exists(outputDir.resolve("images/fox.png"))).isFalse();
        assertThat(budget.committed()).as("it was charged").isEqualByComparingTo(PRICE);
        assertThat(windowHasRoom()).isTrue();
    }

    @Test
    void aFailedRequestFailsTheRowWithTheProvidersWordsAndItsCostStays() throws InterruptedException {
        provider.polls.add(new PollResult.Failed("content blocked"));
        collect(3);

        assertThat(row().state()).isEqualTo(RowState.FAILED);
        assertThat(row().error()).isEqualTo("content blocked");
        assertThat(row().costUsd()).isEqualByComparingTo(PRICE);
        assertThat(budget.committed()).isEqualByComparingTo(PRICE);
        assertThat(windowHasRoom()).isTrue();
    }

    @Test
    void aRequestTheProviderFailedWithoutChargingIsSentAgainAndOnlyTheNewAttemptIsCommitted()
            throws InterruptedException {
        provider.polls.add(new PollResult.Retry("system error"));
        provider.submits.add(new Submission("req-2", URI.create("http://provider/req-2"), null, null));
        collect(3);

        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row().requestId()).isEqualTo("req-2");
        assertThat(row().attempts()).isEqualTo(2);
        assertThat(row().costUsd()).isEqualByComparingTo(PRICE);
        assertThat(budget.committed()).isEqualByComparingTo(PRICE);
    }

    @Test
    void aRequestTheProviderFailedWithoutChargingOnItsLastAttemptFailsTheRowAtNoCost() throws InterruptedException {
        provider.polls.add(new PollResult.Retry("system error"));
        collect(1);

        assertThat(provider.submitted).as("not sent again").isEqualTo(1);
        assertThat(row().state()).isEqualTo(RowState.FAILED);
        assertThat(row().error()).contains("after 1 attempts").contains("system error");
        assertThat(row().costUsd()).isEqualByComparingTo("0");
        assertThat(budget.committed()).isEqualByComparingTo("0");
        assertThat(windowHasRoom()).isTrue();
    }

    @Test
    void anExpiredResultIsBoughtAgainAndBothAttemptsCost() throws InterruptedException {
        provider.polls.add(new PollResult.Expired("404 from the provider"));
        provider.submits.add(new Submission("req-2", URI.create("http://provider/req-2"), null, null));
        collect(3);

        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row().requestId()).isEqualTo("req-2");
        assertThat(row().costUsd()).isEqualByComparingTo("0.02");
        assertThat(budget.committed()).isEqualByComparingTo("0.02");
    }

    @Test
    void aRequestStillInQueueIsPolledAgainLater() throws InterruptedException {
        Instant before = nextPoll();
        provider.polls.add(new PollResult.Pending("QUEUED"));
        collect(3);

        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(inFlight().polls()).isEqualTo(1);
        assertThat(nextPoll()).isAfter(before);
        assertThat(windowHasRoom()).as("still in flight").isFalse();
    }

    @Test
    void aRefusedKeyWhilePollingHaltsTheRunAndTheRowStaysInFlight() throws InterruptedException {
        provider.polls.add(new ProviderException(Kind.AUTH, 401, "the key was refused"));
        collect(3);

        assertThat(control.halted()).isTrue();
        assertThat(control.stopReason().message()).startsWith("the key was refused; fix it");
        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
