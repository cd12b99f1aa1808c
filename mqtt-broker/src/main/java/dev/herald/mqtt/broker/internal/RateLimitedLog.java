package dev.herald.mqtt.broker.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * A warning that repeats under load, logged at most once per interval with the count of the times it
 * happened since the last line, so a flood is never silent and never floods the log. One actor only.
 */
final class RateLimitedLog {

    private final long intervalNanos;
    private long sinceLog;
    private long lastLogNanos;
    private boolean logged;

    RateLimitedLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    void warn(Logger log, String what, Object subject) {
        sinceLog++;
        long now = System.nanoTime();
        if (!logged || now - lastLogNanos >= intervalNanos) {
            log.warn("{} '{}': {} times since the last report", what, subject, sinceLog);
            lastLogNanos = now;
            logged = true;
            sinceLog = 0;
        }
    }
}
