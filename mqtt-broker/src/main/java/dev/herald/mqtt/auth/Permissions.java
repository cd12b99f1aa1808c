package dev.herald.mqtt.auth;

/**
 * What one authenticated client may do, asked on every PUBLISH and for every filter of a SUBSCRIBE:
 * keep both checks cheap (the broker calls them on the connection's own path, synchronously).
 */
public interface Permissions {

    /** Every topic allowed. */
    Permissions ALL = new Permissions() {
        @Override
        public boolean mayPublish(String topic) {
            return true;
        }

        @Override
        public boolean maySubscribe(String filter) {
            return true;
        }
    };

    /** Whether the client may publish to this Topic Name. */
    boolean mayPublish(String topic);

    /**
     * Whether the client may subscribe to this Topic Filter (for a shared subscription, the filter
     * after {@code $share/{group}/}).
     */
    boolean maySubscribe(String filter);
}
