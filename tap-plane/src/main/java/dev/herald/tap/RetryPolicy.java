package dev.herald.tap;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a failed message is tried, and how long a tap waits between tries: {@code backoff} after
 * the first failure, doubling each time up to {@code maxBackoff}. After {@code attempts} tries the
 * message goes to the dead letters.
 *
 * @param attempts tries in all, at least 1 (1 means no retry)
 * @param backoff the wait after the first failure
 * @param maxBackoff the longest wait
 */
public record RetryPolicy(int attempts, Duration backoff, Duration maxBackoff) {

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("a message is tried at least once, not " + attempts + " times");
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("backoff " + backoff + " must be >= 0 and <= maxBackoff " + maxBackoff);
        }
    }

    /** {@code attempts} tries, waiting {@code backoff}, then twice as long each time (at most a minute). */
    public static RetryPolicy of(int attempts, Duration backoff) {
        Duration max = Duration.ofMinutes(1);
        return new RetryPolicy(attempts, backoff, backoff.compareTo(max) > 0 ? backoff : max);
    }

    /** One try, no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before try {@code next} (2 for the first retry). */
    public Duration backoffBefore(int next) {
        Duration wait = backoff;
        for (int i = 2; i < next && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
