package dev.zbatch.provider.registry;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties.ProviderName;
import dev.zbatch.provider.pacing.RateLimits;
import dev.zbatch.testing.TestProperties;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The accounts a job spec gives, with what each leaves unset taken from its provider. */
class AccountSettingsTest {

    @Test
    void aSpecWithoutAccountsHasOneNamedAfterItsProviderWithTheProvidersSettings() {
        List<AccountSettings> accounts = AccountSettings.of(TestProperties.of("zbatch.provider", "segmind",
                "zbatch.providers.segmind.submits-per-minute", "5"));

        assertThat(accounts).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("segmind");
            assertThat(a.keyVariable()).isEqualTo("SEGMIND_API_KEY");
            assertThat(a.limits()).isEqualTo(new RateLimits(5, 0, 1));
            assertThat(a.baseUrl()).hasToString("https://api.segmind.com");
        });
    }

    @Test
    void anAccountTakesWhatItLeavesUnsetFromItsProvider() {
        List<AccountSettings> accounts = AccountSettings.of(TestProperties.of("zbatch.provider", "pixazo",
                "zbatch.providers.pixazo.submits-per-minute", "40",
                "zbatch.accounts.main.priority", "2",
                "zbatch.accounts.spare.key-variable", "PIXAZO_KEY_SPARE",
                "zbatch.accounts.spare.submits-per-minute", "90",
                "zbatch.accounts.spare.price-per-image", "0.007"));

        AccountSettings main = accounts.stream().filter(a -> a.name().equals("main")).findFirst().orElseThrow();
        AccountSettings spare = accounts.stream().filter(a -> a.name().equals("spare")).findFirst().orElseThrow();
        assertThat(main.keyVariable()).isEqualTo("PIXAZO_API_KEY");
        assertThat(main.limits().submitsPerMinute()).isEqualTo(40);
        assertThat(main.priority()).isEqualTo(2);
        assertThat(main.price()).isNull();
        assertThat(spare.keyVariable()).isEqualTo("PIXAZO_KEY_SPARE");
        assertThat(spare.limits().submitsPerMinute()).isEqualTo(90);
        assertThat(spare.price()).isEqualByComparingTo(new BigDecimal("0.007"));
        assertThat(spare.provider()).isEqualTo(ProviderName.PIXAZO);
    }

    @Test
    void anAccountAtAnotherProviderThanTheRunsIsRefusedByName() {
        assertThatThrownBy(() -> AccountSettings.of(TestProperties.of("zbatch.provider", "segmind",
                "zbatch.accounts.wallet.provider", "pixazo")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("zbatch.accounts.wallet.provider=pixazo")
                .hasMessageContaining("zbatch.provider=segmind");
    }

    @Test
    void aSandboxAccountNeedsNoKeyAndARealOneStagesNoSandboxFaults() {
        assertThatThrownBy(() -> AccountSettings.of(TestProperties.of(
                "zbatch.accounts.a.key-variable", "SOME_KEY")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("zbatch.accounts.a");
        assertThatThrownBy(() -> AccountSettings.of(TestProperties.of("zbatch.provider", "segmind",
                "zbatch.accounts.b.sandbox.refuse-key", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("zbatch.accounts.b.sandbox");
    }

    @Test
    void anAccountsNameAndLimitsAreChecked() {
        assertThatThrownBy(() -> AccountSettings.of(TestProperties.of("zbatch.accounts.[my account].priority", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("an account's name");
        assertThatThrownBy(() -> AccountSettings.of(TestProperties.of(
                "zbatch.accounts.a.submits-per-minute", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("zbatch.accounts.a.submits-per-minute");
    }
}
