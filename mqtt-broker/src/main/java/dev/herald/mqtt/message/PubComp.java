package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import java.util.Objects;

/** PUBCOMP (MQTT 5.0 section 3.7). */
public record PubComp(int packetId, PubRelReasonCode reasonCode, Properties properties)
        implements MqttPacket, PublishResponse {

    public PubComp {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBCOMP without properties. */
    public PubComp(int packetId) {
        this(packetId, PubRelReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
