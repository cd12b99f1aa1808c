package dev.herald.mqtt.store.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one commit, folded by key: a later Put or Delete replaces an earlier change of the
 * same key, and a record put fresh and deleted within the group never reaches the disk (with batched
 * durability, most QoS 1/2 messages are queued, sent and acknowledged within one batch interval).
 * Range deletions go first and drop the changes of the group in their range that came before them.
 */
final class WriteGroup {

    private record Change(StoreOp op, boolean fresh) {}

    private final Map<ByteBuffer, Change> byKey = new LinkedHashMap<>();
    private final List<StoreOp.DeleteRange> ranges = new ArrayList<>();
    private int received;

    void add(StoreOp op) {
        received++;
        if (op instanceof StoreOp.Put put) {
            ByteBuffer key = ByteBuffer.wrap(put.key());
            Change before = byKey.get(key);
            byKey.put(key, new Change(put, before == null ? put.fresh() : before.fresh()));
        } else if (op instanceof StoreOp.Delete delete) {
            ByteBuffer key = ByteBuffer.wrap(delete.key());
            Change before = byKey.get(key);
            if (before != null && before.fresh()) {
                byKey.remove(key);
            } else {
                byKey.put(key, new Change(delete, false));
            }
        } else if (op instanceof StoreOp.DeleteRange range) {
            byKey.keySet().removeIf(key -> inRange(key, range));
            ranges.add(range);
        }
    }

    boolean isEmpty() {
        return byKey.isEmpty() && ranges.isEmpty();
    }

    /** How many changes were added (before folding). */
    int received() {
        return received;
    }

    /** What reaches the disk, in an order that gives the same result as the changes as added. */
    List<StoreOp> ops() {
        List<StoreOp> ops = new ArrayList<>(ranges.size() + byKey.size());
        ops.addAll(ranges);
        byKey.values().forEach(change -> ops.add(change.op()));
        return ops;
    }

    private static boolean inRange(ByteBuffer key, StoreOp.DeleteRange range) {
        byte[] k = key.array();
        return Arrays.compareUnsigned(k, range.from()) >= 0 && Arrays.compareUnsigned(k, range.to()) < 0;
    }
}
