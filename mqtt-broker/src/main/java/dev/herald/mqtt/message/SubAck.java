package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import java.util.List;
import java.util.Objects;

/** SUBACK (MQTT 5.0 section 3.9): one reason code per filter of the SUBSCRIBE, in order. */
public record SubAck(int packetId, Properties properties, List<SubAckReasonCode> reasonCodes) implements MqttPacket {

    public SubAck {
        Objects.requireNonNull(properties, "properties");
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
