package dev.herald.mqtt.broker.internal;

/**
 * The rate of a growing counter, per minute, averaged with exponential decay over 1, 5 and 15
 * minutes, like a Unix load average (and Mosquitto's {@code $SYS/broker/load/...} figures). Each
 * update takes the counter's rate since the previous one and moves every average towards it by
 * {@code 1 - e^(-elapsed/window)}, so the result does not depend on how often it is updated. The
 * averages start at 0. Not thread-safe: one owner updates and reads it.
 */
final class LoadAverages {

    /** The averaging windows, in seconds: 1, 5 and 15 minutes. */
    static final double[] WINDOWS = {60, 300, 900};

    private static final double SECONDS_PER_MINUTE = 60;
    private static final double NANOS_PER_SECOND = 1e9;

    private final double[] averages = new double[WINDOWS.length];
    private long lastCount;
    private long lastNanos;

    /** Starts from the counter's value now. */
    LoadAverages(long count, long nanos) {
        this.lastCount = count;
        this.lastNanos = nanos;
    }

    /** Takes the counter's value at {@code nanos} (System.nanoTime); a time not after the last is ignored. */
    void update(long count, long nanos) {
        double seconds = (nanos - lastNanos) / NANOS_PER_SECOND;
        if (seconds <= 0) {
            return;
        }
        double perMinute = (count - lastCount) * SECONDS_PER_MINUTE / seconds;
        for (int i = 0; i < averages.length; i++) {
            double keep = Math.exp(-seconds / WINDOWS[i]);
            averages[i] = averages[i] * keep + perMinute * (1 - keep);
        }
        lastCount = count;
        lastNanos = nanos;
    }

    /** The average over window {@code i} of {@link #WINDOWS}, per minute. */
    double average(int i) {
        return averages[i];
    }

    double oneMinute() {
        return averages[0];
    }

    double fiveMinutes() {
        return averages[1];
    }

    double fifteenMinutes() {
        return averages[2];
    }
}
