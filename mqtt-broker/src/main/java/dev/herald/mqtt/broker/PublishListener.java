package dev.herald.mqtt.broker;

import dev.herald.mqtt.message.Publish;

/**
 * Sees every message the broker accepts from a client (after authorization and validation, as it
 * is routed), on the publishing connection's own path. It must return at once and never block: an
 * observer that does real work hands the message to an actor of its own (the tap plane does).
 * Wills and retained messages sent on subscribe are not client publishes and do not pass here.
 */
@FunctionalInterface
public interface PublishListener {

    PublishListener NONE = (clientId, message) -> {};

    /** {@code message} was published by {@code clientId}; its DUP flag is clear. */
    void published(String clientId, Publish message);
}
