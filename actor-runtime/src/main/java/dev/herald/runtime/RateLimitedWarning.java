package dev.herald.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning that repeats under load (a dropped message, a full queue), logged at most once per
 * interval with the count since the last line, so a flood is never silent and never floods the log.
 * Safe to call from many threads at once (all connections offer to the same tap); the line is
 * logged on the calling thread.
 */
public final class RateLimitedWarning {

    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private final AtomicLong since = new AtomicLong();
    private final AtomicLong lastLog;

    public RateLimitedWarning(Logger log, String what, Duration interval) {
        this.log = log;
        this.what = what;
        this.intervalNanos = interval.toNanos();
        this.lastLog = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /**
     * Counts one occurrence and logs if the interval since the last line has passed; {@code detail}
     * is only turned into text when a line is logged, so the hot path builds no string.
     */
    public void happened(Object subject, Object detail) {
        since.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= intervalNanos && lastLog.compareAndSet(last, now)) {
            long count = since.getAndSet(0);
            if (detail == null) {
                log.warn("{} '{}': {} times since the last report", what, subject, count);
            } else {
                log.warn("{} '{}': {} times since the last report ({})", what, subject, count, detail);
            }
        }
    }

    /** {@link #happened(Object, Object)} with nothing more to say than the subject. */
    public void happened(Object subject) {
        happened(subject, null);
    }
}
