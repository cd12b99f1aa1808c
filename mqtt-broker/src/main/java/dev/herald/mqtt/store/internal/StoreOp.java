package dev.herald.mqtt.store.internal;

/** One change to the store, made by the actor that owns the record and committed by the writer. */
public sealed interface StoreOp {

    /**
     * {@code fresh}: no record had this key before (a new message's first write), so a Delete of it in
     * the same group means nothing reaches the disk.
     */
    record Put(byte[] key, byte[] value, boolean fresh) implements StoreOp {

        public Put(byte[] key, byte[] value) {
            this(key, value, false);
        }
    }

    record Delete(byte[] key) implements StoreOp {}

    /** Every key from {@code from} (inclusive) to {@code to} (exclusive). */
    record DeleteRange(byte[] from, byte[] to) implements StoreOp {}
}
