package dev.herald.mqtt.broker;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one shared subscription group on one filter ({@code $share/{group}/{filter}}):
 * members now, messages delivered to a member, redelivered to another member after the first one's
 * connection ended, and dropped because the group had no member to take them.
 */
public final class SharedGroupStats {

    private final String group;
    private final String filter;
    private volatile int members;
    final LongAdder delivered = new LongAdder();
    final LongAdder redelivered = new LongAdder();
    final LongAdder dropped = new LongAdder();

    SharedGroupStats(String group, String filter) {
        this.group = group;
        this.filter = filter;
    }

    public String group() {
        return group;
    }

    public String filter() {
        return filter;
    }

    public int members() {
        return members;
    }

    public long delivered() {
        return delivered.sum();
    }

    public long redelivered() {
        return redelivered.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public void members(int count) {
        members = count;
    }

    public void recordDelivered() {
        delivered.increment();
    }

    public void recordRedelivered() {
        redelivered.increment();
    }

    public void recordDropped() {
        dropped.increment();
    }
}
