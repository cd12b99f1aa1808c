package dev.herald.mqtt.broker.internal;

/**
 * What shared-subscription routing needs to know of a session, written only by its SessionActor and
 * read by any connection: whether a client is attached and whether its in-flight window and its queue have room.
 */
final class SessionLoad {

    /**
     * The load of a session on another node, which this node cannot see: taken as attached with room,
     * so shared-subscription routing treats it as available. Never changed.
     */
    static final SessionLoad ELSEWHERE = new SessionLoad(true);

    private volatile boolean attached;
    private volatile boolean full;
    private volatile boolean queueFull;
    private volatile boolean durable;

    SessionLoad() {}

    private SessionLoad(boolean attached) {
        this.attached = attached;
    }

    boolean attached() {
        return attached;
    }

    /** Attached, with room for another message. */
    boolean available() {
        return attached && !full;
    }

    /** Its queue has room for another message (attached or not). */
    boolean queueRoom() {
        return !queueFull;
    }

    /** Kept in the store: a sync acknowledgement waits for what it is handed. */
    boolean durable() {
        return durable;
    }

    void durable(boolean value) {
        if (durable != value) {
            durable = value;
        }
    }

    void queueFull(boolean value) {
        if (queueFull != value) {
            queueFull = value;
        }
    }

    void attached(boolean value) {
        if (attached != value) {
            attached = value;
        }
    }

    void full(boolean value) {
        if (full != value) {
            full = value;
        }
    }
}
