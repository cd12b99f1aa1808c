package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.message.Publish;

/** A retained message with when it was stored (for its Message Expiry Interval across restarts). */
public record StoredRetained(Publish message, long storedAtMillis) {}
