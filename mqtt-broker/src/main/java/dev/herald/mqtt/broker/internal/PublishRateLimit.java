package dev.herald.mqtt.broker.internal;

/**
 * A token bucket of PUBLISH packets for one connection: {@code ratePerSecond} tokens a second, at
 * most one second's worth saved up. Used by one actor only.
 */
final class PublishRateLimit {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    PublishRateLimit(int ratePerSecond, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastNanos = nowNanos;
    }

    /** Takes a token if there is one; returns whether it did. */
    boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Takes a token, going into debt when there is none; returns how long (nanoseconds) the caller
     * should wait before the next PUBLISH is read so that the rate holds.
     */
    long acquireOrWait(long nowNanos) {
        refill(nowNanos);
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
    }

    private void refill(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
    }
}
