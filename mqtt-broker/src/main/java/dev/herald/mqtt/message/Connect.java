package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import java.util.Objects;
import org.apache.pekko.util.ByteString;

/**
 * CONNECT (MQTT 5.0 section 3.1). {@code cleanStart} is Clean Session in 3.1.1. {@code will},
 * {@code username} and {@code password} are null when absent.
 */
public record Connect(
        MqttVersion version,
        boolean cleanStart,
        int keepAlive,
        String clientId,
        Properties properties,
        Will will,
        String username,
        ByteString password)
        implements MqttPacket {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }
}
