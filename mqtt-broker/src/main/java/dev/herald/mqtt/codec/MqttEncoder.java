package dev.herald.mqtt.codec;

import dev.herald.mqtt.codec.internal.Encoders;
import dev.herald.mqtt.codec.internal.PacketEncoder;
import dev.herald.mqtt.codec.internal.PacketWriter;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;
import org.apache.pekko.util.ByteString;

/**
 * Encodes packets for a protocol version: the exact size in one pass, the bytes in a second, into one
 * array. Stateless and thread-safe. Passing a packet that cannot exist in the version (AUTH in 3.1.1)
 * or a string or Binary Data (a will payload, a password) longer than 65,535 bytes is a programming
 * error and throws IllegalArgumentException.
 */
public final class MqttEncoder {

    /** The largest packet MQTT can frame: a 4-byte Remaining Length of 268,435,455. */
    public static final long MAX_PACKET_SIZE = 1 + 4 + 268_435_455L;

    private static final int MAX_REMAINING_LENGTH = 268_435_455;

    private MqttEncoder() {}

    public static ByteString encode(MqttPacket packet, MqttVersion version) {
        ByteString bytes = encode(packet, version, MAX_PACKET_SIZE);
        if (bytes == null) {
            throw new IllegalArgumentException(packet.type() + " is larger than MQTT can frame");
        }
        return bytes;
    }

    /**
     * Encodes within a peer's Maximum Packet Size. Where the spec allows (any packet but CONNECT and
     * PUBLISH) the Reason String and then the User Properties are left out to fit (MQTT 5.0 sections
     * 3.1.2.11.4 and 3.4.2.2.2). Returns null when the packet still does not fit: the caller must not
     * send it (and counts the drop).
     */
    public static ByteString encode(MqttPacket packet, MqttVersion version, long maximumPacketSize) {
        PacketEncoder<MqttPacket> encoder = Encoders.forType(packet.type());
        boolean trimmable = packet.type() != PacketType.PUBLISH && packet.type() != PacketType.CONNECT;
        int trim = PacketWriter.KEEP_ALL;
        int body = encoder.bodyLength(packet, version, trim);
        while (size(body) > maximumPacketSize && trimmable && trim < PacketWriter.DROP_USER_PROPERTIES) {
            body = encoder.bodyLength(packet, version, ++trim);
        }
        long total = size(body);
        if (total > maximumPacketSize || body > MAX_REMAINING_LENGTH) {
            return null;
        }
        byte[] out = new byte[(int) total];
        PacketWriter w = new PacketWriter(out);
        w.writeByte(packet.type().value() << 4 | encoder.flags(packet));
        w.writeVarInt(body);
        encoder.writeBody(packet, version, trim, w);
        if (w.position() != out.length) {
            throw new IllegalStateException(packet.type() + " wrote " + w.position() + " of " + out.length + " bytes");
        }
        return ByteString.fromArrayUnsafe(out);
    }

    /** The encoded size of a packet, without trimming. */
    public static long encodedSize(MqttPacket packet, MqttVersion version) {
        return size(Encoders.forType(packet.type()).bodyLength(packet, version, PacketWriter.KEEP_ALL));
    }

    private static long size(int body) {
        return 1L + PacketWriter.varIntLength(body) + body;
    }
}
