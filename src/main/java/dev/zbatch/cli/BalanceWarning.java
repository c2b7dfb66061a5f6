package dev.zbatch.cli;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.cost.Estimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Before a run, where the provider tells the account's balance (Segmind's credits): warns when what the run
 * still has to spend is more than the balance. It reads the whole input to estimate, so it runs beside the run
 * rather than delaying its start; it never stops the run (the provider's own 402/406 does that, resumably).
 */
final class BalanceWarning {

    private static final Logger log = LoggerFactory.getLogger(BalanceWarning.class);

    private BalanceWarning() {
    }

    /** @param balance what the provider said the account holds (read before the run started) */
    static Thread start(ZbatchProperties properties, Optional<BigDecimal> balance, Supplier<BigDecimal> spentSoFar,
                        PrintStream err) {
        Thread thread = new Thread(() -> {
            try {
                if (balance.isEmpty()) return;
                BigDecimal toSpend = Estimator.estimate(properties).costUsd().subtract(spentSoFar.get());
                if (toSpend.compareTo(balance.get()) > 0) {
                    err.println("zbatch: warning: this run should still cost about $" + toSpend.stripTrailingZeros()
                            .toPlainString() + ", more than the account's balance of $" + balance.get()
                            .stripTrailingZeros().toPlainString() + "; it will stop, resumably, when the credits run "
                            + "out: top up to let it finish unattended");
                }
            } catch (RuntimeException e) {
                log.info("no balance check: {}", e.toString());
            }
        }, "zbatch-balance-check");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
