package dev.herald.mqtt.message;

import java.util.Objects;

/** One Topic Filter of a SUBSCRIBE with its Subscription Options (MQTT 5.0 section 3.8.3.1). */
public record Subscription(
        String filter, QoS qos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling) {

    public Subscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
    }

    /** A subscription with default options, as 3.1.1 clients make them. */
    public Subscription(String filter, QoS qos) {
        this(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }
}
