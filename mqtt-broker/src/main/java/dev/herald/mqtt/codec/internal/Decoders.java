package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PingResp;

/** The decoder of each packet type, indexed by the type's wire value; null for the reserved type 0. */
public final class Decoders {

    private static final PacketDecoder[] BY_TYPE = new PacketDecoder[16];

    static {
        BY_TYPE[PacketType.CONNECT.value()] = new ConnectDecoder();
        BY_TYPE[PacketType.CONNACK.value()] = new ConnAckDecoder();
        BY_TYPE[PacketType.PUBLISH.value()] = new PublishDecoder();
        BY_TYPE[PacketType.PUBACK.value()] = new AckDecoder(PacketType.PUBACK);
        BY_TYPE[PacketType.PUBREC.value()] = new AckDecoder(PacketType.PUBREC);
        BY_TYPE[PacketType.PUBREL.value()] = new AckDecoder(PacketType.PUBREL);
        BY_TYPE[PacketType.PUBCOMP.value()] = new AckDecoder(PacketType.PUBCOMP);
        BY_TYPE[PacketType.SUBSCRIBE.value()] = new SubscribeDecoder();
        BY_TYPE[PacketType.SUBACK.value()] = new SubAckDecoder();
        BY_TYPE[PacketType.UNSUBSCRIBE.value()] = new UnsubscribeDecoder();
        BY_TYPE[PacketType.UNSUBACK.value()] = new UnsubAckDecoder();
        BY_TYPE[PacketType.PINGREQ.value()] = new EmptyDecoder(PingReq.INSTANCE);
        BY_TYPE[PacketType.PINGRESP.value()] = new EmptyDecoder(PingResp.INSTANCE);
        BY_TYPE[PacketType.DISCONNECT.value()] = new DisconnectDecoder();
        BY_TYPE[PacketType.AUTH.value()] = new AuthDecoder();
    }

    private Decoders() {}

    public static PacketDecoder forType(int type) {
        return BY_TYPE[type];
    }
}
