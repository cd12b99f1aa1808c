package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;
import static dev.herald.mqtt.codec.internal.DecodeException.protocolError;

import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.message.Topics;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.property.UserProperty;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import org.apache.pekko.util.ByteString;

/**
 * A cursor over the bytes of one packet. Every read checks the bytes left before it, so no read
 * allocates more than the packet declares; bad input throws {@link DecodeException}. One reader per
 * decoder, reused for every packet: it is not thread-safe.
 */
public final class PacketReader {

    private ByteString buf = ByteString.emptyByteString();
    private int pos;
    private int limit;
    private char[] chars = new char[64];

    /** Points the reader at {@code packet} from {@code from} up to (not including) {@code end}. */
    public void reset(ByteString packet, int from, int end) {
        this.buf = packet;
        this.pos = from;
        this.limit = end;
    }

    public int remaining() {
        return limit - pos;
    }

    public void expectEnd(String packetName) {
        if (pos != limit) {
            throw malformed(packetName + " has " + (limit - pos) + " unexpected trailing bytes");
        }
    }

    private void need(int n, String what) {
        if (n > limit - pos) {
            throw malformed(what + " runs past the end of the packet");
        }
    }

    public int readByte(String what) {
        need(1, what);
        return buf.apply(pos++) & 0xFF;
    }

    public int readUnsignedShort(String what) {
        need(2, what);
        int v = ((buf.apply(pos) & 0xFF) << 8) | (buf.apply(pos + 1) & 0xFF);
        pos += 2;
        return v;
    }

    public long readUnsignedInt(String what) {
        need(4, what);
        long v = ((long) (buf.apply(pos) & 0xFF) << 24)
                | ((buf.apply(pos + 1) & 0xFF) << 16)
                | ((buf.apply(pos + 2) & 0xFF) << 8)
                | (buf.apply(pos + 3) & 0xFF);
        pos += 4;
        return v;
    }

    /** A non-zero Packet Identifier (MQTT 5.0 section 2.2.1). */
    public int readPacketId() {
        int id = readUnsignedShort("packet identifier");
        if (id == 0) {
            throw protocolError("packet identifier 0 is not allowed");
        }
        return id;
    }

    /** A Variable Byte Integer (MQTT 5.0 section 1.5.5): at most 4 bytes, minimally encoded. */
    public int readVarInt(String what) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte(what);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw malformed(what + " is not minimally encoded");
                }
                return value;
            }
        }
        throw malformed(what + " is longer than 4 bytes");
    }

    public String readUtf8(String what) {
        int length = readUnsignedShort(what + " length");
        need(length, what);
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        int n = Utf8.decode(buf, pos, length, chars);
        if (n < 0) {
            throw malformed(what + " is not valid UTF-8 (or holds U+0000)");
        }
        pos += length;
        return new String(chars, 0, n);
    }

    /** Binary Data (MQTT 5.0 section 1.5.6) as a slice of the packet, not a copy. */
    public ByteString readBinary(String what) {
        int length = readUnsignedShort(what + " length");
        need(length, what);
        ByteString slice = buf.slice(pos, pos + length);
        pos += length;
        return slice;
    }

    /** The rest of the packet as a slice (the PUBLISH payload). */
    public ByteString readRest() {
        ByteString slice = pos == limit ? ByteString.emptyByteString() : buf.slice(pos, limit);
        pos = limit;
        return slice;
    }

    public String readTopicFilter() {
        String filter = readUtf8("topic filter");
        String problem = Topics.topicFilterProblem(filter);
        if (problem != null) {
            throw malformed("invalid topic filter '" + filter + "': " + problem);
        }
        return filter;
    }

    /** A property list (MQTT 5.0 section 2.2.2): known identifiers, allowed in scope, no duplicates. */
    public Properties readProperties(PropertyScope scope) {
        int length = readVarInt("property length");
        need(length, scope + " properties");
        if (length == 0) {
            return Properties.EMPTY;
        }
        int outerLimit = limit;
        limit = pos + length;
        Properties.Builder props = Properties.builder();
        long seen = 0;
        while (pos < limit) {
            int id = readVarInt("property identifier");
            MqttProperty p = MqttProperty.of(id);
            if (p == null) {
                throw malformed(String.format("unknown property identifier 0x%02X", id));
            }
            if (!p.allowedIn(scope)) {
                throw malformed(p + " is not allowed in " + scope);
            }
            long bit = 1L << id;
            if ((seen & bit) != 0 && !p.repeatable()) {
                throw protocolError(p + " is given more than once");
            }
            seen |= bit;
            props.add(p, readValue(p));
        }
        limit = outerLimit;
        return props.build();
    }

    private Object readValue(MqttProperty p) {
        String what = p.name();
        switch (p.type()) {
            case BYTE -> {
                int v = readByte(what);
                if (v > 1) {
                    throw protocolError(p + " must be 0 or 1, not " + v);
                }
                return v;
            }
            case TWO_BYTE_INTEGER -> {
                int v = readUnsignedShort(what);
                if (v == 0 && p == MqttProperty.TOPIC_ALIAS) {
                    throw new DecodeException(
                            new DecodeError(DisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic alias 0", 0));
                }
                if (v == 0 && p == MqttProperty.RECEIVE_MAXIMUM) {
                    throw protocolError("receive maximum 0");
                }
                return v;
            }
            case FOUR_BYTE_INTEGER -> {
                long v = readUnsignedInt(what);
                if (v == 0 && p == MqttProperty.MAXIMUM_PACKET_SIZE) {
                    throw protocolError("maximum packet size 0");
                }
                return v;
            }
            case VARIABLE_BYTE_INTEGER -> {
                int v = readVarInt(what);
                if (v == 0) { // only Subscription Identifier has this type
                    throw protocolError("subscription identifier 0");
                }
                return v;
            }
            case UTF8_STRING -> {
                String v = readUtf8(what);
                if (p == MqttProperty.RESPONSE_TOPIC && (v.isEmpty() || Topics.topicNameProblem(v) != null)) {
                    throw protocolError("invalid response topic '" + v + "'");
                }
                return v;
            }
            case BINARY -> {
                return readBinary(what);
            }
            default -> {
                return new UserProperty(readUtf8("user property name"), readUtf8("user property value"));
            }
        }
    }
}
