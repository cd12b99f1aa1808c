package dev.herald.bench.load;

import java.util.Arrays;

/** Latency samples in nanoseconds, bounded in number; percentiles computed once at the end. */
final class Latencies {

    private final long[] samples;
    private int count;
    private volatile boolean recording;

    Latencies(int capacity) {
        this.samples = new long[capacity];
    }

    void recording(boolean on) {
        recording = on;
    }

    /** Called from one subscriber's event loop only. */
    void record(long nanos) {
        if (recording && count < samples.length) {
            samples[count++] = nanos;
        }
    }

    int count() {
        return count;
    }

    /** The percentile (0..100) in microseconds. */
    double percentileMicros(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
