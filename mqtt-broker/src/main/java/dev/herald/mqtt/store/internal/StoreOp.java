package dev.herald.mqtt.store.internal;

/** One change to the store, made by the actor that owns the record and committed by the writer. */
public sealed interface StoreOp {

    record Put(byte[] key, byte[] value) implements StoreOp {}

    record Delete(byte[] key) implements StoreOp {}

    /** Every key from {@code from} (inclusive) to {@code to} (exclusive). */
    record DeleteRange(byte[] from, byte[] to) implements StoreOp {}
}
