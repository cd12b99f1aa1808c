package dev.herald.mqtt.transport;

import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import org.apache.pekko.util.ByteString;

/**
 * The framing of a byte stream into decoded MQTT packets, without a stage around it: bytes are
 * appended as they come, packets taken out one at a time. A packet larger than the maximum is
 * refused from its fixed header, before its body is buffered; after a CONNECT the version it asked
 * for is decoded. Bad input throws a {@link MqttFramingException}.
 */
public final class PacketFramer {

    private final long maximumPacketSize;
    private final MqttDecoder decoder;
    private ByteString buffer = ByteString.emptyByteString();

    public PacketFramer(long maximumPacketSize, MqttVersion initialVersion) {
        this.maximumPacketSize = maximumPacketSize;
        this.decoder = new MqttDecoder(initialVersion);
    }

    public void append(ByteString chunk) {
        buffer = buffer.isEmpty() ? chunk : buffer.concat(chunk);
    }

    /** Bytes received and not yet taken out as packets. */
    public int buffered() {
        return buffer.length();
    }

    /** Drops what is buffered (a connection that reads no more packets). */
    public void discard() {
        buffer = ByteString.emptyByteString();
    }

    /** Whether a whole packet (or bad input that {@link #next} throws on) is buffered. */
    public boolean hasNext() {
        int length = MqttDecoder.frameLength(buffer);
        return length == MqttDecoder.BAD_LENGTH
                || length > maximumPacketSize
                || (length != MqttDecoder.NEED_MORE && buffer.length() >= length);
    }

    /** The next packet, or null when more bytes are needed. */
    public MqttPacket next() {
        int length = MqttDecoder.frameLength(buffer);
        if (length == MqttDecoder.BAD_LENGTH) {
            throw new MqttFramingException(DecodeError.malformed("remaining length is malformed"));
        }
        if (length > maximumPacketSize) {
            throw new MqttFramingException(DecodeError.tooLarge(length, maximumPacketSize));
        }
        if (length == MqttDecoder.NEED_MORE || buffer.length() < length) {
            return null;
        }
        ByteString packet = buffer.take(length);
        buffer = buffer.drop(length);
        // A packet spread over several chunks is copied once, so the decoder reads one array.
        DecodeResult result = decoder.decode(packet instanceof ByteString.ByteStrings ? packet.compact() : packet);
        if (result instanceof DecodeError error) {
            throw new MqttFramingException(error);
        }
        if (result instanceof Connect connect) {
            decoder.version(connect.version());
        }
        return (MqttPacket) result;
    }

    /** At the end of the stream: throws when it ended inside a packet. */
    public void checkEnd() {
        if (!buffer.isEmpty()) {
            throw new MqttFramingException(
                    DecodeError.malformed("stream ended inside a packet (" + buffer.length() + " bytes)"));
        }
    }
}
