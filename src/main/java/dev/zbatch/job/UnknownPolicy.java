package dev.zbatch.job;

import dev.zbatch.config.ConfigException;

/** What to do with rows whose request may have been accepted before a crash ({@code zbatch.submit.on-unknown}). */
public enum UnknownPolicy {
    /** Leave them UNKNOWN: never risk paying twice; {@code retry --unknown} sends them when the user says so. */
    HOLD,
    /** Send them again at the next run: no row is left without an image, at the risk of paying twice. */
    RESUBMIT;

    static UnknownPolicy of(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "hold" -> HOLD;
            case "resubmit" -> RESUBMIT;
            default -> throw new ConfigException("zbatch.submit.on-unknown: '" + value
                    + "' is not one of hold, resubmit");
        };
    }
}
