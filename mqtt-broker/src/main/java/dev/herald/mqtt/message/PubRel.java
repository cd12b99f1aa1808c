package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import java.util.Objects;

/** PUBREL (MQTT 5.0 section 3.6). */
public record PubRel(int packetId, PubRelReasonCode reasonCode, Properties properties)
        implements MqttPacket, PublishResponse {

    public PubRel {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREL without properties. */
    public PubRel(int packetId) {
        this(packetId, PubRelReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
