package dev.herald.mqtt.store;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the store's writer did: commits (each one atomic write and one fsync), the changes they wrote
 * after folding, failed commits and the time spent committing, and the store's estimated size. Zero
 * with persistence off. Written by the writer, read by admin tools.
 */
public final class StoreMetrics {

    private final LongAdder commits = new LongAdder();
    private final LongAdder changes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private volatile LongSupplier bytes = () -> 0;

    public void recordCommit(int changesWritten, long nanos) {
        commits.increment();
        changes.add(changesWritten);
        commitNanos.add(nanos);
    }

    public void recordFailure() {
        failures.increment();
    }

    /** Where the size comes from once a store is open. */
    public void size(LongSupplier estimatedBytes) {
        this.bytes = estimatedBytes;
    }

    public long commits() {
        return commits.sum();
    }

    public long changes() {
        return changes.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public double commitSeconds() {
        return commitNanos.sum() / 1e9;
    }

    /** RocksDB's estimate of the live data (table files and memtables), in bytes. */
    public long bytes() {
        return bytes.getAsLong();
    }
}
