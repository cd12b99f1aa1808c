package dev.herald.mqtt.store.internal;

/**
 * What waits for a change to be on disk: an acknowledgement the durability policy holds back. Called
 * on the writer's thread, so it only tells an actor.
 */
@FunctionalInterface
public interface OnCommit {

    /** {@code stored} is false when the write failed (the failure is logged by the writer). */
    void committed(boolean stored);
}
