package dev.zbatch.provider.pixazo;

import java.util.Optional;

/**
 * Status bodies Pixazo delivered to a webhook ({@code X-Webhook-URL}), looked up by request id. When one holds a
 * terminal status, {@link PixazoProvider#poll} answers from it without calling Pixazo.
 */
@FunctionalInterface
public interface PixazoDeliveries {

    /** The latest status body delivered for this request id (JSON text), or empty. */
    Optional<String> delivered(String requestId);
}
