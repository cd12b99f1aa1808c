package dev.herald.mqtt.codec;

/** What {@link MqttDecoder} returns: an {@code MqttPacket}, or a {@link DecodeError}. */
public interface DecodeResult {}
