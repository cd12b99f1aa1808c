package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import java.util.Objects;
import org.apache.pekko.util.ByteString;

/**
 * PUBLISH (MQTT 5.0 section 3.3). {@code packetId} is 0 at QoS 0. The topic may be empty in MQTT 5
 * when a Topic Alias stands for it. The payload is a slice of the received bytes, never copied.
 */
public record Publish(
        String topic, QoS qos, boolean retain, boolean dup, int packetId, Properties properties, ByteString payload)
        implements MqttPacket {

    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(payload, "payload");
    }

    /** A QoS 0 message without properties. */
    public static Publish atMostOnce(String topic, ByteString payload) {
        return new Publish(topic, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, payload);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }
}
