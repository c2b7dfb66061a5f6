package dev.zbatch.submit;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.cost.Price;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.reconcile.Reconciler;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.run.Budget;
import dev.zbatch.run.FirstPollDelay;
import dev.zbatch.run.InFlightWindow;
import dev.zbatch.run.PollAlarm;
import dev.zbatch.run.PollSchedule;
import dev.zbatch.run.Retry;
import dev.zbatch.run.RunControl;
import dev.zbatch.run.RunStoppedException;
import dev.zbatch.provider.account.Account;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.testing.ScriptedProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What each answer to a submission does to its row, the budget, the in-flight window and the run: the decisions
 * of {@link Submitter} and {@link InFlightRows}, on a real ledger and a provider that answers as scripted.
 */
class SubmitterTest {

    private static final BigDecimal PRICE = new BigDecimal("0.01");
    private static final String KEY_VARIABLE = "SEGMIND_API_KEY";

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private Ledger ledger;
    private final ScriptedProvider provider = new ScriptedProvider();
    private Accounts accounts = provider.accounts(KEY_VARIABLE);
    private final RunControl control = new RunControl();
    private InFlightWindow window;
    private Budget budget;

    @BeforeEach
    void open() {
        dataSource = LedgerDatabase.open(dir);
        ledger = Ledger.openRun(dataSource, Clock.systemUTC(), "job", "/in.csv", "sandbox", "z-image-turbo");
        Reconciler reconciler = new Reconciler(ledger.intake(), 1, true);
        reconciler.accept(List.of(NewRow.pending("row:1", 1, 2, null, "one", "a fox", "{}", "h1", false, 1)));
        reconciler.finish(true);
        window = new InFlightWindow(1, ledger::countInFlight);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private Submitter submitter(BigDecimal cap) {
        budget = new Budget(cap, BigDecimal.ZERO);
        InFlightRows rows = new InFlightRows(ledger, budget, window, new PollAlarm(Clock.systemUTC()));
        PollSchedule polls = new PollSchedule(FirstPollDelay.fixed(Duration.ofSeconds(1)), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 1.5);
        return new Submitter(rows, accounts, "z-image-turbo", control, new Retry(3, Duration.ofMillis(1),
                Duration.ofMillis(2)), polls, new Price(PRICE, "test", false), Clock.systemUTC());
    }

    private void submit() throws InterruptedException {
        submitter(new BigDecimal("100")).submit(1, request());
    }

    private LedgerRow row() {
        return ledger.row(1).orElseThrow();
    }

    /** Whether the window has room for another request (nothing held, the row not in flight). */
    private boolean windowHasRoom() throws InterruptedException {
        boolean room = window.acquire(() -> true);
        if (room) window.release();
        return room;
    }

    @Test
    void anAcceptedRequestIsSubmittedAndItsPriceIsCommitted() throws InterruptedException {
        provider.submits.add(accepted(null));
        submit();

        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row().requestId()).isEqualTo("req-1");
        assertThat(budget.committed()).isEqualByComparingTo(PRICE);
        assertThat(windowHasRoom()).as("the row is in flight and fills the window of one").isFalse();
        assertThat(control.submittingStopped()).isFalse();
    }

    @Test
    void whatTheProviderSaysItChargedIsWhatIsCommitted() throws InterruptedException {
        provider.submits.add(accepted(new BigDecimal("0.004")));
        submit();

        assertThat(budget.committed()).isEqualByComparingTo("0.004");
        assertThat(row().costUsd()).isEqualByComparingTo("0.004");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}, ${3} committed")
    @CsvSource({
            // kind,           status, state,    committed (a request that may have been accepted keeps its price)
            "BAD_REQUEST,      400,    REJECTED, 0",
            "AMBIGUOUS_SUBMIT, 0,      UNKNOWN,  0.01",
            "PROTOCOL,         200,    UNKNOWN,  0.01",
            "PROTOCOL,         502,    UNKNOWN,  0.01",
    })
    void anAnswerThatEndsTheRowsAttemptIsRecordedOnceAndTheRunGoesOn(Kind kind, int status, RowState state,
                                                                   BigDecimal committed) throws InterruptedException {
        provider.submits.add(new ProviderException(kind, status, "the provider said no"));
        submit();

        assertThat(row().state()).isEqualTo(state);
        assertThat(row().error()).contains("the provider said no");
        assertThat(budget.committed()).isEqualByComparingTo(committed);
        assertThat(row().costUsd()).isEqualByComparingTo(committed);
        assertThat(windowHasRoom()).isTrue();
        assertThat(provider.submitted).isEqualTo(1);
        assertThat(control.submittingStopped()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}: PENDING, nothing committed, halted={2}")
    @CsvSource({
            "AUTH,     401, true,  'Segmind rejected the API key (HTTP 401) (the key comes from SEGMIND_API_KEY); fix it and run the same command again'",
            "PROTOCOL, 404, true,  'the provider refused the submission: Segmind rejected the API key (HTTP 404)'",
            "CREDITS,  402, false, 'Segmind rejected the API key (HTTP 402)'",
    })
    void aRefusalThatIsNotTheRowsFaultStopsTheRunWithTheRowStillToSend(Kind kind, int status, boolean halted,
                                                                      String reason) {
        provider.submits.add(new ProviderException(kind, status, "Segmind rejected the API key (HTTP " + status + ")"));

        assertThatThrownBy(this::submit).isInstanceOf(RunStoppedException.class).hasMessage(reason);

        assertThat(row().state()).isEqualTo(RowState.PENDING);
        assertThat(row().attempts()).as("an attempt that was not sent does not count").isZero();
        assertThat(budget.committed()).isEqualByComparingTo("0");
        assertThat(control.submittingStopped()).isTrue();
        assertThat(control.halted()).isEqualTo(halted);
        assertThat(control.stopReason().message()).isEqualTo(reason);
    }

    @Test
    void aTransientFailureIsTriedAgainAndThenAccepted() throws InterruptedException {
        provider.submits.add(new ProviderException(Kind.TRANSIENT, 503, "busy"));
        provider.submits.add(new ProviderException(Kind.RATE_LIMITED, 429, "slow down"));
        provider.submits.add(accepted(null));
        submit();

        assertThat(provider.submitted).isEqualTo(3);
        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row().attempts()).isEqualTo(1);
        assertThat(budget.committed()).isEqualByComparingTo(PRICE);
    }

    @Test
    void aProviderFailingEveryTryStopsSubmittingResumablyWithTheRowPending() throws InterruptedException {
        for (int i = 0; i < 3; i++) provider.submits.add(new ProviderException(Kind.TRANSIENT, 503, "busy"));

        assertThatThrownBy(this::submit).isInstanceOf(RunStoppedException.class)
                .hasMessageContaining("unreachable or failing after 3 tries (busy)");

        assertThat(provider.submitted).isEqualTo(3);
        assertThat(row().state()).isEqualTo(RowState.PENDING);
        assertThat(budget.committed()).isEqualByComparingTo("0");
        assertThat(control.halted()).as("collecting goes on").isFalse();
        assertThat(windowHasRoom()).isTrue();
    }

    /** The run's accounts: the test's provider as "first" (preferred), and {@code spare}, which accepts. */
    private ScriptedProvider withSpareAccount() {
        ScriptedProvider spare = new ScriptedProvider();
        spare.submits.add(accepted(null));
        Account first = provider.account("first", KEY_VARIABLE, 1);
        first.accepted();
        Account second = spare.account("spare", "SEGMIND_KEY_SPARE");
        second.accepted();
        accounts = new Accounts(List.of(first, second), PRICE);
        return spare;
    }

    @ParameterizedTest(name = "{0} {1}: the row goes to the other account")
    @CsvSource({"AUTH, 401", "CREDITS, 406"})
    void anAccountRefusedForItsKeyOrCreditsIsTakenOutAndTheRowGoesToAnother(Kind kind, int status)
            throws InterruptedException {
        ScriptedProvider spare = withSpareAccount();
        provider.submits.add(new ProviderException(kind, status, "Segmind said no (HTTP " + status + ")"));

        submit();

        assertThat(provider.submitted).isEqualTo(1);
        assertThat(spare.submitted).isEqualTo(1);
        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row().attempts()).as("the refused attempt was not sent").isEqualTo(1);
        assertThat(budget.committed()).isEqualByComparingTo(PRICE);
        assertThat(control.submittingStopped()).isFalse();
        assertThat(accounts.named("first").takenOutBecause()).contains("Segmind said no");
        assertThat(accounts.named("spare").inRotation()).isTrue();
        assertThat(ledger.accountTallies(null)).singleElement()
                .satisfies(t -> assertThat(t.account()).isEqualTo("spare"));
    }

    @Test
    void anAccountFailingEveryTryIsTakenOutAndTheRowGoesToAnother() throws InterruptedException {
        ScriptedProvider spare = withSpareAccount();
        for (int i = 0; i < 3; i++) provider.submits.add(new ProviderException(Kind.TRANSIENT, 503, "busy"));

        submit();

        assertThat(provider.submitted).isEqualTo(3);
        assertThat(spare.submitted).isEqualTo(1);
        assertThat(row().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(accounts.named("first").takenOutBecause()).contains("failing after 3 tries");
    }

    @Test
    void whenTheLastAccountIsTakenOutTheRunStopsNamingEachAndWhy() {
        ScriptedProvider spare = withSpareAccount();
        spare.submits.clear();
        provider.submits.add(new ProviderException(Kind.CREDITS, 406, "first is out of credits"));
        spare.submits.add(new ProviderException(Kind.CREDITS, 406, "spare is out of credits"));

        assertThatThrownBy(this::submit).isInstanceOf(RunStoppedException.class)
                .hasMessageContaining("no account can take work: ")
                .hasMessageContaining("first: first is out of credits")
                .hasMessageContaining("spare: spare is out of credits");

        assertThat(row().state()).isEqualTo(RowState.PENDING);
        assertThat(budget.committed()).isEqualByComparingTo("0");
        assertThat(control.halted()).as("what is in flight is still collected").isFalse();
    }

    @Test
    void anUnexpectedErrorWhileSendingLeavesTheRowUnknownNeverSentAgain() {
        provider.submits.add(new IllegalStateException("a bug"));

        assertThatThrownBy(this::submit).isInstanceOf(IllegalStateException.class);

        assertThat(row().state()).isEqualTo(RowState.UNKNOWN);
        assertThat(row().error()).contains("unexpected error while sending").contains("a bug");
        assertThat(budget.committed()).as("it may have been charged").isEqualByComparingTo(PRICE);
    }

    @Test
    void aRowTheBudgetCannotCoverIsSkippedUnsentAndTheBudgetStopsSubmitting() throws InterruptedException {
        submitter(new BigDecimal("0.005")).submit(1, request());

        assertThat(provider.submitted).isZero();
        assertThat(row().state()).isEqualTo(RowState.SKIPPED);
        assertThat(row().error()).contains("the budget cap of $0.005 is reached ($0 committed)");
        assertThat(control.budgetExhausted()).isTrue();
        assertThat(budget.committed()).isEqualByComparingTo("0");
    }

    @Test
    void aRowMovedMeanwhileIsNotSent() throws InterruptedException {
        ledger.markSkipped(1, "moved by someone else");
        submit();

        assertThat(provider.submitted).isZero();
        assertThat(row().state()).isEqualTo(RowState.SKIPPED);
        assertThat(budget.committed()).isEqualByComparingTo("0");
    }

    private static Submission accepted(BigDecimal cost) {
        return new Submission("req-1", URI.create("http://provider/req-1"), null, cost);
    }

    private static ImageRequest request() {
        return new ImageRequest("a fox", 512, 512, 8, 1.0, 42, "png", 0, 1, null, null, null, java.util.Map.of());
    }
}
