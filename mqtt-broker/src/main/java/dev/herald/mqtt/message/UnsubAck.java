package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.util.List;
import java.util.Objects;

/**
 * UNSUBACK (MQTT 5.0 section 3.11): one reason code per filter. A 3.1.1 UNSUBACK carries none, so it
 * decodes with an empty list and encodes without them.
 */
public record UnsubAck(int packetId, Properties properties, List<UnsubAckReasonCode> reasonCodes)
        implements MqttPacket {

    public UnsubAck {
        Objects.requireNonNull(properties, "properties");
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
