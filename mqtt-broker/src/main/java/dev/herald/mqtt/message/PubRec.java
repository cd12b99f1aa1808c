package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import java.util.Objects;

/** PUBREC (MQTT 5.0 section 3.5). */
public record PubRec(int packetId, PubAckReasonCode reasonCode, Properties properties)
        implements MqttPacket, PublishResponse {

    public PubRec {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREC without properties. */
    public PubRec(int packetId) {
        this(packetId, PubAckReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
