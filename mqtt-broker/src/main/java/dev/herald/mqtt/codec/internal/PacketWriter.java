package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.UserProperty;
import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;

/**
 * Writes a packet into an array sized exactly beforehand, and computes those sizes: every
 * {@code xxxLength} method matches what the {@code write} method of the same thing writes.
 */
public final class PacketWriter {

    /** Trim levels for a peer's Maximum Packet Size (MQTT 5.0 section 3.1.2.11.4). */
    public static final int KEEP_ALL = 0;

    public static final int DROP_REASON_STRING = 1;
    public static final int DROP_USER_PROPERTIES = 2;

    private final byte[] out;
    private int pos;

    public PacketWriter(byte[] out) {
        this.out = out;
    }

    public int position() {
        return pos;
    }

    public void writeByte(int b) {
        out[pos++] = (byte) b;
    }

    public void writeShort(int v) {
        out[pos++] = (byte) (v >>> 8);
        out[pos++] = (byte) v;
    }

    public void writeInt(long v) {
        out[pos++] = (byte) (v >>> 24);
        out[pos++] = (byte) (v >>> 16);
        out[pos++] = (byte) (v >>> 8);
        out[pos++] = (byte) v;
    }

    public void writeVarInt(int v) {
        do {
            int b = v & 0x7F;
            v >>>= 7;
            out[pos++] = (byte) (v > 0 ? b | 0x80 : b);
        } while (v > 0);
    }

    public void writeUtf8(String s) {
        int start = pos;
        pos = Utf8.encode(s, out, pos + 2);
        int length = pos - start - 2;
        out[start] = (byte) (length >>> 8);
        out[start + 1] = (byte) length;
    }

    public void writeBinary(ByteString b) {
        writeShort(b.length());
        writeBytes(b);
    }

    public void writeBytes(ByteString b) {
        int n = b.length();
        b.copyToBuffer(ByteBuffer.wrap(out, pos, n));
        pos += n;
    }

    public static int varIntLength(int v) {
        return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : 4;
    }

    public static int utf8Length(String s) {
        int n = Utf8.encodedLength(s);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("a UTF-8 string holds at most 65535 bytes, not " + n);
        }
        return 2 + n;
    }

    /** The length field plus the bytes of Binary Data (MQTT 5.0 section 1.5.6): at most 65,535 bytes. */
    public static int binaryLength(ByteString b) {
        if (b.length() > 0xFFFF) {
            throw new IllegalArgumentException("Binary Data holds at most 65535 bytes, not " + b.length());
        }
        return 2 + b.length();
    }

    /** The Property Length field plus the properties, as {@link #writeProperties} writes them. */
    public static int propertiesLength(Properties props, int trim) {
        int n = propertyBytes(props, trim);
        return varIntLength(n) + n;
    }

    public void writeProperties(Properties props, int trim) {
        writeVarInt(propertyBytes(props, trim));
        for (int i = 0; i < props.size(); i++) {
            MqttProperty key = props.key(i);
            if (dropped(key, trim)) {
                continue;
            }
            Object v = props.value(i);
            writeByte(key.id());
            switch (key.type()) {
                case BYTE -> writeByte((Integer) v);
                case TWO_BYTE_INTEGER -> writeShort((Integer) v);
                case FOUR_BYTE_INTEGER -> writeInt((Long) v);
                case VARIABLE_BYTE_INTEGER -> writeVarInt((Integer) v);
                case UTF8_STRING -> writeUtf8((String) v);
                case BINARY -> writeBinary((ByteString) v);
                case UTF8_STRING_PAIR -> {
                    writeUtf8(((UserProperty) v).name());
                    writeUtf8(((UserProperty) v).value());
                }
            }
        }
    }

    private static int propertyBytes(Properties props, int trim) {
        int n = 0;
        for (int i = 0; i < props.size(); i++) {
            MqttProperty key = props.key(i);
            if (dropped(key, trim)) {
                continue;
            }
            Object v = props.value(i);
            n += 1
                    + switch (key.type()) {
                        case BYTE -> 1;
                        case TWO_BYTE_INTEGER -> 2;
                        case FOUR_BYTE_INTEGER -> 4;
                        case VARIABLE_BYTE_INTEGER -> varIntLength((Integer) v);
                        case UTF8_STRING -> utf8Length((String) v);
                        case BINARY -> 2 + ((ByteString) v).length();
                        case UTF8_STRING_PAIR ->
                            utf8Length(((UserProperty) v).name()) + utf8Length(((UserProperty) v).value());
                    };
        }
        return n;
    }

    private static boolean dropped(MqttProperty key, int trim) {
        return (trim >= DROP_REASON_STRING && key == MqttProperty.REASON_STRING)
                || (trim >= DROP_USER_PROPERTIES && key == MqttProperty.USER_PROPERTY);
    }
}
