package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE (MQTT 5.0 section 3.10). */
public record Unsubscribe(int packetId, Properties properties, List<String> filters) implements MqttPacket {

    public Unsubscribe {
        Objects.requireNonNull(properties, "properties");
        filters = List.copyOf(filters);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
