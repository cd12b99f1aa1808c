/** Per-packet decoders and encoders behind {@code MqttDecoder} and {@code MqttEncoder}. */
package dev.herald.mqtt.codec.internal;
