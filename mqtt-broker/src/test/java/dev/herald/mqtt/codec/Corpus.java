package dev.herald.mqtt.codec;

import dev.herald.mqtt.message.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** Collects malformed-packet cases: the rule broken, the bytes, the reason code expected. */
final class Corpus {

    /**
     * One rule broken. {@code protocolLevel} is the level a CONNECT asked for: every error found after
     * a CONNECT's protocol level carries it, so the CONNACK can answer in the client's version.
     */
    record Case(String rule, MqttVersion version, ByteString bytes, int code, int protocolLevel) {
        @Override
        public String toString() {
            return String.format("%s [%s] -> 0x%02X", rule, version, code);
        }
    }

    static final String MQTT5 = "00 04 4D 51 54 54 05";
    static final String MQTT311 = "00 04 4D 51 54 54 04";

    private final List<Case> cases = new ArrayList<>();

    List<Case> cases() {
        return cases;
    }

    Corpus v5(String rule, int code, ByteString bytes) {
        cases.add(new Case(rule, MqttVersion.V5, bytes, code, connectLevel(bytes, MqttVersion.V5)));
        return this;
    }

    Corpus v311(String rule, int code, ByteString bytes) {
        cases.add(new Case(rule, MqttVersion.V3_1_1, bytes, code, connectLevel(bytes, MqttVersion.V3_1_1)));
        return this;
    }

    /** The corpus writes each CONNECT (first byte 0x10) in the layout of the version it is decoded in. */
    private static int connectLevel(ByteString bytes, MqttVersion version) {
        return !bytes.isEmpty() && (bytes.apply(0) & 0xFF) == 0x10 ? version.level() : 0;
    }

    /** The same bytes are wrong in both versions. */
    Corpus both(String rule, int code, ByteString bytes) {
        return v5(rule, code, bytes).v311(rule, code, bytes);
    }

    /** A CONNECT refused for its protocol name or level, decoded by a decoder of either version. */
    Corpus unsupported(String rule, int level, ByteString bytes) {
        for (MqttVersion version : MqttVersion.values()) {
            cases.add(new Case(rule, version, bytes, 0x84, level));
        }
        return this;
    }

    static ByteString packet(int firstByte, String bodyHex) {
        return Bytes.packet(firstByte, bodyHex);
    }

    static ByteString raw(String hex) {
        return Bytes.hex(hex);
    }

    /** A UTF-8 Encoded String field (section 1.5.4) as hex: the length, then the bytes. */
    static String str(String s) {
        return field(Bytes.toHex(Bytes.utf8(s)));
    }

    /** A length-prefixed field holding exactly the given bytes, valid UTF-8 or not. */
    static String field(String bytesHex) {
        int n = Bytes.hex(bytesHex).length();
        return String.format("%02X %02X %s", n >> 8, n & 0xFF, bytesHex);
    }

    /** A QoS 0 PUBLISH of a topic given as raw bytes, in the version's layout. */
    static ByteString publishTopic(MqttVersion version, String topicBytesHex) {
        return packet(0x30, field(topicBytesHex) + (version == MqttVersion.V5 ? " 00" : ""));
    }

    /** A SUBSCRIBE (packet id 10, QoS 0) of one filter in the version's layout. */
    static ByteString subscribe(MqttVersion version, String filter) {
        return packet(0x82, "00 0A " + (version == MqttVersion.V5 ? "00 " : "") + str(filter) + " 00");
    }

    /** An UNSUBSCRIBE (packet id 10) of one filter in the version's layout. */
    static ByteString unsubscribe(MqttVersion version, String filter) {
        return packet(0xA2, "00 0A " + (version == MqttVersion.V5 ? "00 " : "") + str(filter));
    }
}
