package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Corpus.MQTT311;
import static dev.herald.mqtt.codec.Corpus.MQTT5;
import static dev.herald.mqtt.codec.Corpus.packet;
import static dev.herald.mqtt.codec.Corpus.publishTopic;
import static dev.herald.mqtt.codec.Corpus.subscribe;
import static dev.herald.mqtt.codec.Corpus.unsubscribe;

import dev.herald.mqtt.message.MqttVersion;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** Malformed strings (UTF-8, topic filters) and properties. */
final class MalformedContentCorpus {

    /** Ill-formed UTF-8 (MQTT 5.0 section 1.5.4 [MQTT-1.5.4-1], [MQTT-1.5.4-2]; 3.1.1 section 1.5.3). */
    private static final String[][] BAD_UTF8 = {
        {"overlong U+0000 (C0 80)", "C0 80"},
        {"overlong two-byte (C1 BF)", "C1 BF"},
        {"overlong three-byte (E0 80 AF)", "E0 80 AF"},
        {"overlong four-byte (F0 80 80 AF)", "F0 80 80 AF"},
        {"truncated three-byte sequence at the end", "61 E2 82"},
        {"three-byte sequence missing a continuation", "E2 28 A1"},
        {"lone continuation byte", "80"},
        {"encoded surrogate U+D800", "ED A0 80"},
        {"encoded surrogate U+DFFF", "ED BF BF"},
        {"code point above U+10FFFF (F4 90 80 80)", "F4 90 80 80"},
        {"five-byte form (F8 88 80 80 80)", "F8 88 80 80 80"},
        {"byte FF", "FF"},
        {"U+0000", "61 00 62"}
    };

    /** Topic filters that break section 4.7.1 (or 4.7.3 [MQTT-4.7.3-1] for the empty one). */
    static final String[] BAD_FILTERS = {"a/#/b", "a#", "a+/b", "+a", "", "#/a", "a/b#", "++"};

    private MalformedContentCorpus() {}

    static List<Corpus.Case> cases() {
        Corpus c = new Corpus();
        for (String[] bad : BAD_UTF8) {
            for (MqttVersion version : MqttVersion.values()) {
                add(c, version, "1.5.4 topic name: " + bad[0], 0x81, publishTopic(version, bad[1]));
            }
        }
        c.v5("1.5.4 user property name: overlong U+0000", 0x81, packet(0x40, "00 0A 00 07 26 00 02 C0 80 00 00"))
                .v311(
                        "1.5.3 client identifier: encoded surrogate",
                        0x81,
                        packet(0x10, MQTT311 + " 02 00 3C 00 03 ED A0 80"));
        for (String filter : BAD_FILTERS) {
            for (MqttVersion version : MqttVersion.values()) {
                add(c, version, "4.7 SUBSCRIBE filter '" + filter + "'", 0x81, subscribe(version, filter));
                add(c, version, "4.7 UNSUBSCRIBE filter '" + filter + "'", 0x81, unsubscribe(version, filter));
            }
        }
        // Property identifiers (MQTT 5.0 section 2.2.2.2: not valid for the packet type is malformed)
        c.v5("2.2.2.2 Topic Alias in CONNECT", 0x81, packet(0x10, MQTT5 + " 02 00 3C 03 23 00 01 00 00"))
                .v5(
                        "2.2.2.2 Will Delay Interval in CONNECT properties",
                        0x81,
                        packet(0x10, MQTT5 + " 02 00 3C 05 18 00 00 00 01 00 00"))
                .v5(
                        "2.2.2.2 Session Expiry Interval in Will Properties",
                        0x81,
                        packet(0x10, MQTT5 + " 06 00 3C 00 00 00 05 11 00 00 00 01 00 01 74 00 00"))
                .v5("2.2.2.2 Session Expiry Interval in PUBLISH", 0x81, packet(0x30, "00 01 61 05 11 00 00 00 01"))
                .v5("2.2.2.2 Reason String in SUBSCRIBE", 0x81, packet(0x82, "00 0A 04 1F 00 01 78 00 01 61 00"))
                .v5("2.2.2.2 Subscription Identifier in CONNACK", 0x81, packet(0x20, "00 00 02 0B 01"))
                .v5("2.2.2.2 Authentication Method in PUBACK", 0x81, packet(0x40, "00 0A 00 04 15 00 01 6D"))
                .v5("2.2.2.2 Assigned Client Identifier in DISCONNECT", 0x81, packet(0xE0, "00 04 12 00 01 78"))
                .v5("2.2.2.2 Subscription Identifier in UNSUBSCRIBE", 0x81, packet(0xA2, "00 0A 02 0B 01 00 01 61"))
                .v5("2.2.2.2 unknown property 0x00", 0x81, packet(0x30, "00 01 61 01 00"))
                .v5("2.2.2.2 unknown property 0x04", 0x81, packet(0x30, "00 01 61 01 04"))
                .v5("2.2.2.2 unknown property 0x2B", 0x81, packet(0x30, "00 01 61 01 2B"))
                .v5("2.2.2.2 unknown property 128 (80 01)", 0x81, packet(0x30, "00 01 61 02 80 01"))
                .v5(
                        "2.2.2.2 property value cut off by the property length",
                        0x81,
                        packet(0x30, "00 01 61 03 02 00 00 00 00"))
                .v5("1.5.5 subscription identifier not minimally encoded", 0x81, packet(0x30, "00 01 61 03 0B 80 00"));
        // Properties given twice (a Protocol Error in each property's section); User Property may repeat
        c.v5(
                        "3.1.2.11.2 Session Expiry Interval twice",
                        0x82,
                        packet(0x10, MQTT5 + " 02 00 3C 0A 11 00 00 00 01 11 00 00 00 02 00 00"))
                .v5(
                        "3.1.3.2.5 Will Content Type twice",
                        0x82,
                        packet(0x10, MQTT5 + " 06 00 3C 00 00 00 08 03 00 01 61 03 00 01 62 00 01 74 00 00"))
                .v5("3.2.2.3.4 Maximum QoS twice", 0x82, packet(0x20, "00 00 04 24 00 24 01"))
                .v5("3.3.2.3.4 Topic Alias twice", 0x82, packet(0x30, "00 01 61 06 23 00 01 23 00 02"))
                .v5("3.4.2.2.2 Reason String twice", 0x82, packet(0x40, "00 0A 80 08 1F 00 01 61 1F 00 01 62"))
                .v5("3.15.2.2.2 Authentication Method twice", 0x82, packet(0xF0, "18 0A 15 00 02 6D 31 15 00 02 6D 32"))
                .v5(
                        "3.8.2.1.2 two Subscription Identifiers in SUBSCRIBE",
                        0x82,
                        packet(0x82, "00 0A 04 0B 01 0B 02 00 01 61 00"));
        // Property values (MQTT 5.0 sections 3.1.2.11, 3.2.2.3, 3.3.2.3, 3.8.2.1)
        c.v5("3.8.2.1.2 subscription identifier 0 in SUBSCRIBE", 0x82, packet(0x82, "00 0A 02 0B 00 00 01 61 00"))
                .v5("3.3.2.3.8 subscription identifier 0 in PUBLISH", 0x82, packet(0x30, "00 01 61 02 0B 00"))
                .v5("3.3.2.3.4 topic alias 0", 0x94, packet(0x30, "00 01 61 03 23 00 00"))
                .v5("3.3.2.3.4 topic alias 0 with empty topic name", 0x94, packet(0x30, "00 00 03 23 00 00"))
                .v5(
                        "3.1.2.11.3 receive maximum 0 in CONNECT",
                        0x82,
                        packet(0x10, MQTT5 + " 02 00 3C 03 21 00 00 00 00"))
                .v5("3.2.2.3.3 receive maximum 0 in CONNACK", 0x82, packet(0x20, "00 00 03 21 00 00"))
                .v5(
                        "3.1.2.11.4 maximum packet size 0 in CONNECT",
                        0x82,
                        packet(0x10, MQTT5 + " 02 00 3C 05 27 00 00 00 00 00 00"))
                .v5("3.2.2.3.6 maximum packet size 0 in CONNACK", 0x82, packet(0x20, "00 00 05 27 00 00 00 00"))
                .v5("3.3.2.3.2 payload format indicator 2", 0x82, packet(0x30, "00 01 61 02 01 02"))
                .v5("3.2.2.3.4 maximum QoS 2", 0x82, packet(0x20, "00 00 02 24 02"))
                .v5("3.1.2.11.7 request problem information 2", 0x82, packet(0x10, MQTT5 + " 02 00 3C 02 17 02 00 00"))
                .v5(
                        "3.3.2.3.5 [MQTT-3.3.2-14] wildcard in response topic",
                        0x82,
                        packet(0x30, "00 01 61 04 08 00 01 23"))
                .v5("3.3.2.3.5 empty response topic", 0x82, packet(0x30, "00 01 61 03 08 00 00"));
        return c.cases();
    }

    private static void add(Corpus c, MqttVersion version, String rule, int code, ByteString bytes) {
        if (version == MqttVersion.V5) {
            c.v5(rule, code, bytes);
        } else {
            c.v311(rule, code, bytes);
        }
    }
}
