package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import java.util.List;
import java.util.Objects;

/** SUBSCRIBE (MQTT 5.0 section 3.8). */
public record Subscribe(int packetId, Properties properties, List<Subscription> subscriptions) implements MqttPacket {

    public Subscribe {
        Objects.requireNonNull(properties, "properties");
        subscriptions = List.copyOf(subscriptions);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
