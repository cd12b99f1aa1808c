package dev.herald.tap.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** One tap's counters: written by its actors (and by the publish path in inline mode), read by stats. */
final class TapCounters {
    final LongAdder delivered = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder workerRestarts = new LongAdder();
    final AtomicInteger workers = new AtomicInteger();
}
