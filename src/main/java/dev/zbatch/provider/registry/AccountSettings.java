package dev.zbatch.provider.registry;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.config.ZbatchProperties.ProviderName;
import dev.zbatch.provider.pacing.RateLimits;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One account of a run as configured, with what it leaves unset filled in from its provider's settings. A job spec
 * without {@code zbatch.accounts} has one account, named after its provider, with that provider's settings.
 *
 * @param keyVariable null for the sandbox (it needs no key)
 * @param limits      what the run keeps to at this account
 * @param price       USD per image here, or null for the run's price
 * @param baseUrl     null for the sandbox (each sandbox account has a server of its own)
 */
public record AccountSettings(String name, ProviderName provider, String keyVariable, RateLimits limits,
                              BigDecimal price, int priority, URI baseUrl,
                              ZbatchProperties.AccountSandbox sandbox) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** The accounts a run's configuration gives, in the order it lists them. */
    public static List<AccountSettings> of(ZbatchProperties properties) {
        if (properties.accounts().isEmpty()) {
            return List.of(resolve(properties.provider().id(), new ZbatchProperties.Account(null, null, null, null,
                    null, null, 0, null, new ZbatchProperties.AccountSandbox(0, false)), properties));
        }
        List<AccountSettings> accounts = new ArrayList<>();
        for (Map.Entry<String, ZbatchProperties.Account> e : properties.accounts().entrySet()) {
            accounts.add(resolve(e.getKey(), e.getValue(), properties));
        }
        return accounts;
    }

    private static AccountSettings resolve(String name, ZbatchProperties.Account a, ZbatchProperties properties) {
        String at = "zbatch.accounts." + name;
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(at + ": an account's name is letters, digits, '-' and '_' (at most 64)");
        }
        ProviderName provider = a.provider() != null ? a.provider() : properties.provider();
        if (provider != properties.provider()) {
            throw new ConfigException(at + ".provider=" + provider.id() + ": the accounts of one run are at one "
                    + "provider, the run's (zbatch.provider=" + properties.provider().id() + "); accounts at "
                    + "several providers in one run are not supported yet");
        }
        RateLimits defaults = ProviderKind.runLimits(properties);
        int submits = positive(at + ".submits-per-minute", a.submitsPerMinute(), defaults.submitsPerMinute());
        int calls = positive(at + ".calls-per-minute", a.callsPerMinute(), defaults.callsPerMinute());
        int burst = a.burst() != null ? a.burst() : defaults.burst();
        if (burst < 1) throw new ConfigException(at + ".burst must be at least 1, not " + burst);
        if (a.pricePerImage() != null && a.pricePerImage().signum() < 0) {
            throw new ConfigException(at + ".price-per-image must not be negative");
        }
        boolean sandbox = provider == ProviderName.SANDBOX;
        if (sandbox && (a.keyVariable() != null || a.baseUrl() != null)) {
            throw new ConfigException(at + ": a sandbox account has no key-variable or base-url (its sandbox is "
                    + "started for it and needs no key)");
        }
        if (!sandbox && (a.sandbox().outOfCreditsAfter() != 0 || a.sandbox().refuseKey())) {
            throw new ConfigException(at + ".sandbox: only a sandbox account stages sandbox faults");
        }
        String keyVariable = sandbox ? null
                : a.keyVariable() != null && !a.keyVariable().isBlank() ? a.keyVariable().trim()
                : ProviderKind.of(properties).keyVariable();
        URI baseUrl = sandbox ? null : a.baseUrl() != null ? a.baseUrl() : switch (provider) {
            case SEGMIND -> properties.providers().segmind().baseUrl();
            case PIXAZO -> properties.providers().pixazo().baseUrl();
            case SANDBOX -> throw new IllegalStateException("unreachable");
        };
        return new AccountSettings(name, provider, keyVariable, new RateLimits(submits, calls, burst),
                a.pricePerImage(), a.priority(), baseUrl, a.sandbox());
    }

    private static int positive(String setting, Integer configured, int otherwise) {
        if (configured == null) return otherwise;
        if (configured < 0) throw new ConfigException(setting + " must be 0 (no limit) or more, not " + configured);
        return configured;
    }
}
