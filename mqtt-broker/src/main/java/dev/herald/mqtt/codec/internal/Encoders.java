package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;

/** The encoder of each packet type, indexed by the type's wire value. */
public final class Encoders {

    private static final PacketEncoder<?>[] BY_TYPE = new PacketEncoder<?>[16];

    /** PINGREQ and PINGRESP have no body. */
    private static final PacketEncoder<MqttPacket> EMPTY = new PacketEncoder<>() {
        @Override
        public int bodyLength(MqttPacket p, MqttVersion version, int trim) {
            return 0;
        }

        @Override
        public void writeBody(MqttPacket p, MqttVersion version, int trim, PacketWriter w) {}
    };

    static {
        AckEncoder acks = new AckEncoder();
        ReasonEncoder reasons = new ReasonEncoder();
        BY_TYPE[PacketType.CONNECT.value()] = new ConnectEncoder();
        BY_TYPE[PacketType.CONNACK.value()] = new ConnAckEncoder();
        BY_TYPE[PacketType.PUBLISH.value()] = new PublishEncoder();
        BY_TYPE[PacketType.PUBACK.value()] = acks;
        BY_TYPE[PacketType.PUBREC.value()] = acks;
        BY_TYPE[PacketType.PUBREL.value()] = acks;
        BY_TYPE[PacketType.PUBCOMP.value()] = acks;
        BY_TYPE[PacketType.SUBSCRIBE.value()] = new SubscribeEncoder();
        BY_TYPE[PacketType.SUBACK.value()] = new SubAckEncoder();
        BY_TYPE[PacketType.UNSUBSCRIBE.value()] = new UnsubscribeEncoder();
        BY_TYPE[PacketType.UNSUBACK.value()] = new UnsubAckEncoder();
        BY_TYPE[PacketType.PINGREQ.value()] = EMPTY;
        BY_TYPE[PacketType.PINGRESP.value()] = EMPTY;
        BY_TYPE[PacketType.DISCONNECT.value()] = reasons;
        BY_TYPE[PacketType.AUTH.value()] = reasons;
    }

    private Encoders() {}

    @SuppressWarnings("unchecked")
    public static PacketEncoder<MqttPacket> forType(PacketType type) {
        return (PacketEncoder<MqttPacket>) BY_TYPE[type.value()];
    }
}
