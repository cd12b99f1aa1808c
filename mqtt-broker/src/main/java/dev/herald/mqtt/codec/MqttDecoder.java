package dev.herald.mqtt.codec;

import dev.herald.mqtt.codec.internal.DecodeException;
import dev.herald.mqtt.codec.internal.Decoders;
import dev.herald.mqtt.codec.internal.PacketDecoder;
import dev.herald.mqtt.codec.internal.PacketReader;
import dev.herald.mqtt.message.MqttVersion;
import org.apache.pekko.util.ByteString;

/**
 * Decodes whole MQTT packets for one protocol version (CONNECT carries its own). Returns an
 * {@code MqttPacket} or a {@link DecodeError}; no exception escapes on any input. One instance per
 * connection: it reuses a scratch buffer and is not thread-safe.
 */
public final class MqttDecoder {

    /** {@link #frameLength}: the fixed header is not complete yet. */
    public static final int NEED_MORE = -1;
    /** {@link #frameLength}: the Remaining Length is longer than 4 bytes or not minimally encoded. */
    public static final int BAD_LENGTH = -2;

    private final PacketReader reader = new PacketReader();
    private MqttVersion version;

    public MqttDecoder(MqttVersion version) {
        this.version = version;
    }

    public MqttVersion version() {
        return version;
    }

    /** Switches to the version a CONNECT negotiated. */
    public void version(MqttVersion version) {
        this.version = version;
    }

    /**
     * The size of the first packet in {@code buf} (fixed header plus Remaining Length) from its fixed
     * header alone, or {@link #NEED_MORE} or {@link #BAD_LENGTH}. No packet body is looked at.
     */
    public static int frameLength(ByteString buf) {
        int n = buf.length();
        int remaining = 0;
        for (int i = 1; i <= 4; i++) {
            if (i >= n) {
                return NEED_MORE;
            }
            int b = buf.apply(i) & 0xFF;
            remaining |= (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                return b == 0 && i > 1 ? BAD_LENGTH : 1 + i + remaining;
            }
        }
        return BAD_LENGTH;
    }

    /** Decodes {@code packet}, which must hold exactly one packet, fixed header included. */
    public DecodeResult decode(ByteString packet) {
        try {
            int total = frameLength(packet);
            if (total == BAD_LENGTH) {
                return DecodeError.malformed("remaining length is malformed");
            }
            if (total == NEED_MORE || total != packet.length()) {
                return DecodeError.malformed(
                        "remaining length does not match the " + packet.length() + " bytes of the packet");
            }
            int firstByte = packet.apply(0) & 0xFF;
            PacketDecoder decoder = Decoders.forType(firstByte >>> 4);
            if (decoder == null) {
                return DecodeError.malformed("reserved packet type 0");
            }
            int headerLength = headerLength(packet);
            reader.reset(packet, headerLength, total);
            return decoder.decode(reader, firstByte & 0x0F, version);
        } catch (DecodeException e) {
            return e.error();
        } catch (RuntimeException e) {
            // A decoder bug must not take the connection's actor down with it: report, do not throw.
            return DecodeError.malformed("undecodable packet: " + e);
        }
    }

    /** The fixed header's size: the type byte and the Remaining Length's 1 to 4 bytes. */
    private static int headerLength(ByteString packet) {
        int length = 2;
        while ((packet.apply(length - 1) & 0x80) != 0) {
            length++;
        }
        return length;
    }
}
