package dev.zbatch.provider.account;

import dev.zbatch.provider.pacing.CallPacer;
import dev.zbatch.provider.pacing.PacedProvider;
import dev.zbatch.provider.pacing.RateLimits;
import dev.zbatch.testing.ScriptedProvider;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Which account takes the next submission, and what taking one out of rotation changes. */
class AccountsTest {

    private static final BigDecimal RUN_PRICE = new BigDecimal("0.03");

    private static Account account(String name, int perMinute, BigDecimal price, int priority) {
        PacedProvider paced = new PacedProvider(new ScriptedProvider(),
                new CallPacer(new RateLimits(perMinute, 0, 1)));
        Account account = new Account(name, paced, null, price, priority);
        account.accepted(); // its key works: no probing in these tests unless one says so
        return account;
    }

    /** The accounts of {@code n} turns in a row, each closed at once. */
    private static List<String> turns(Accounts accounts, int n) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (AccountTurn turn = accounts.awaitTurn(() -> false)) {
                names.add(turn.account().name());
            }
        }
        return names;
    }

    private static BooleanSupplier afterLooks(int looks) {
        AtomicInteger seen = new AtomicInteger();
        return () -> seen.incrementAndGet() > looks;
    }

    @Test
    void theHigherPriorityGoesFirstWhileItHasTurnsFree() throws InterruptedException {
        Accounts accounts = new Accounts(List.of(account("low", 0, null, 0), account("high", 0, null, 1)),
                RUN_PRICE);

        assertThat(turns(accounts, 4)).containsOnly("high");
    }

    @Test
    void atTheSamePriorityTheCheaperGoesFirst() throws InterruptedException {
        Accounts accounts = new Accounts(List.of(account("dear", 0, new BigDecimal("0.05"), 0),
                account("run-priced", 0, null, 0), account("cheap", 0, new BigDecimal("0.01"), 0)), RUN_PRICE);

        assertThat(turns(accounts, 3)).containsOnly("cheap");
    }

    @Test
    void equalAccountsTakeTurnsTheOneThatWaitedLongestFirst() throws InterruptedException {
        Accounts accounts = new Accounts(List.of(account("a", 0, null, 0), account("b", 0, null, 0)), RUN_PRICE);

        List<String> names = turns(accounts, 6);

        assertThat(names.stream().filter("a"::equals)).hasSize(3);
        for (int i = 1; i < names.size(); i++) assertThat(names.get(i)).isNotEqualTo(names.get(i - 1));
    }

    @Test
    void anAccountWithoutATurnFreeLeavesTheNextToAnother() throws InterruptedException {
        // 1 a minute: the preferred account has one turn, then none for a minute
        Accounts accounts = new Accounts(List.of(account("slow", 1, null, 5), account("other", 0, null, 0)),
                RUN_PRICE);

        assertThat(turns(accounts, 3)).containsExactly("slow", "other", "other");
    }

    @Test
    void aRateLimitedAccountIsPassedOverWhileItsPauseLasts() throws InterruptedException {
        Account paused = account("paused", 0, null, 5);
        paused.provider().pacer().rateLimited(Duration.ofMinutes(1));
        Accounts accounts = new Accounts(List.of(paused, account("other", 0, null, 0)), RUN_PRICE);

        assertThat(turns(accounts, 2)).containsOnly("other");
    }

    @Test
    void anAccountTakenOutGetsNoMoreTurnsAndTheLastOneOutLeavesNone() throws InterruptedException {
        Account first = account("first", 0, null, 5);
        Account second = account("second", 0, null, 0);
        Accounts accounts = new Accounts(List.of(first, second), RUN_PRICE);

        assertThat(accounts.takeOut(first, "out of credits")).isTrue();
        assertThat(turns(accounts, 2)).containsOnly("second");
        assertThat(accounts.takeOut(second, "key refused")).isFalse();

        assertThat(accounts.awaitTurn(afterLooks(3))).isNull(); // it waits until the run stops
        assertThat(accounts.whyNoneIsLeft("key refused"))
                .isEqualTo("no account can take work: first: out of credits; second: key refused");
        assertThat(first.takenOutBecause()).isEqualTo("out of credits");
    }

    @Test
    void untilAnAccountAcceptedOneSubmissionItsTurnsGoOneAtATime() throws InterruptedException {
        PacedProvider paced = new PacedProvider(new ScriptedProvider(), new CallPacer(RateLimits.unlimited()));
        Account probing = new Account("new", paced, null, null, 5);
        Accounts accounts = new Accounts(List.of(probing, account("known", 0, null, 0)), RUN_PRICE);

        AccountTurn probe = accounts.awaitTurn(() -> false);
        assertThat(probe.account().name()).isEqualTo("new");
        // while its first submission is out, the other account takes the turns
        assertThat(turns(accounts, 2)).containsOnly("known");

        probing.accepted();
        probe.close();
        assertThat(turns(accounts, 1)).containsOnly("new");
    }

    @Test
    void aRunOfOneAccountIsNotSeveralAndRowsSentBeforeAccountsHadNamesBelongToTheFirst() {
        Account only = account("segmind", 0, null, 0);
        Accounts accounts = new Accounts(List.of(only), RUN_PRICE);

        assertThat(accounts.several()).isFalse();
        assertThat(accounts.named(null)).isSameAs(only);
        assertThat(accounts.named("segmind")).isSameAs(only);
    }
}
