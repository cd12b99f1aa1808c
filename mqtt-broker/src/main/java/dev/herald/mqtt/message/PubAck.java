package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import java.util.Objects;

/** PUBACK (MQTT 5.0 section 3.4). */
public record PubAck(int packetId, PubAckReasonCode reasonCode, Properties properties)
        implements MqttPacket, PublishResponse {

    public PubAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBACK without properties. */
    public PubAck(int packetId) {
        this(packetId, PubAckReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
