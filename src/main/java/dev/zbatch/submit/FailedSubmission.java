package dev.zbatch.submit;

import dev.zbatch.provider.ProviderException;

/**
 * What a submission that ended in a {@link ProviderException} means for its row and its money, decided once for
 * every kind: could the provider have accepted (and charged) it?
 */
enum FailedSubmission {
    /** Refused as invalid: the row is REJECTED; not charged. */
    REFUSED,
    /** Certainly not accepted: the row goes back to PENDING; not charged. */
    NOT_SENT,
    /** Perhaps accepted and charged: the row is UNKNOWN, never resent blindly. */
    MAYBE_ACCEPTED;

    static FailedSubmission of(ProviderException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> REFUSED;
            case AUTH, CREDITS, RATE_LIMITED, TRANSIENT -> NOT_SENT;
            case AMBIGUOUS_SUBMIT -> MAYBE_ACCEPTED;
            // a 4xx is a refusal; any other answer not understood may be an acceptance in a form we do not know
            case PROTOCOL -> refusal(e) ? NOT_SENT : MAYBE_ACCEPTED;
        };
    }

    static boolean refusal(ProviderException e) {
        return e.httpStatus() >= 400 && e.httpStatus() < 500;
    }
}
