package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import dev.herald.mqtt.message.reason.ReasonCode;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (MQTT 5.0 sections 3.4 to 3.7): a packet id, then in MQTT 5 an
 * optional reason code (absent means Success) and optional properties.
 */
final class AckDecoder implements PacketDecoder {

    private final PacketType type;
    private final PropertyScope scope;

    AckDecoder(PacketType type) {
        this.type = type;
        this.scope = PropertyScope.valueOf(type.name());
    }

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, type == PacketType.PUBREL ? 0x02 : 0, type.name());
        int packetId = r.readPacketId();
        int code = 0;
        Properties properties = Properties.EMPTY;
        if (version == MqttVersion.V5 && r.remaining() > 0) {
            code = r.readByte("reason code");
            if (r.remaining() > 0) {
                properties = r.readProperties(scope);
            }
        }
        r.expectEnd(type.name());
        ReasonCode reason = type == PacketType.PUBACK || type == PacketType.PUBREC
                ? PubAckReasonCode.of(code)
                : PubRelReasonCode.of(code);
        if (reason == null) {
            throw malformed(String.format("invalid %s reason code 0x%02X", type, code));
        }
        return switch (type) {
            case PUBACK -> new PubAck(packetId, (PubAckReasonCode) reason, properties);
            case PUBREC -> new PubRec(packetId, (PubAckReasonCode) reason, properties);
            case PUBREL -> new PubRel(packetId, (PubRelReasonCode) reason, properties);
            default -> new PubComp(packetId, (PubRelReasonCode) reason, properties);
        };
    }
}
