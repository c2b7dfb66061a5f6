package dev.zbatch.cli;

import dev.zbatch.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void accountsGiveOneRateEachAndTheirSumIsTheRunsRate() {
        BenchOptions o = BenchOptions.from(Map.of("bench.accounts", "60/min,30/min,1/s"));

        assertThat(o.accountRates()).containsExactly(60, 30, 60);
        assertThat(o.ratePerMinute()).isEqualTo(150);
    }

    @Test
    void withoutAccountsTheRateIsOneAccounts() {
        assertThat(BenchOptions.from(Map.of("bench.rate", "1200/min")).accountRates()).isEqualTo(List.of(1200));
    }

    @Test
    void aRateAndAccountsTogetherAreRefused() {
        assertThatThrownBy(() -> BenchOptions.from(Map.of("bench.rate", "60", "bench.accounts", "60,30")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--rate or --accounts");
    }
}
