package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Corpus.MQTT5;
import static dev.herald.mqtt.codec.Corpus.packet;
import static dev.herald.mqtt.codec.Corpus.publishTopic;
import static dev.herald.mqtt.codec.Corpus.subscribe;
import static dev.herald.mqtt.codec.Corpus.unsubscribe;

import dev.herald.mqtt.message.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/** Packets close to the malformed ones that are valid: the decoder must accept them. */
final class ValidCorpus {

    /** One valid packet: what makes it look suspicious, and its bytes. */
    record Case(String rule, MqttVersion version, ByteString bytes) {
        @Override
        public String toString() {
            return rule + " [" + version + "]";
        }
    }

    /** Valid topic filters (MQTT 5.0 section 4.7.1, empty levels in 4.7.1.1 / 4.7.3). */
    static final String[] GOOD_FILTERS = {"a//b", "/", "+", "#", "+/+/#", "a/+", "/#", "+/", "$SYS/#", "a/b/c"};

    /** Valid UTF-8 at the edges of each encoding length and of the surrogate range. */
    private static final String[][] GOOD_UTF8 = {
        {"U+007F", "7F"},
        {"U+0080", "C2 80"},
        {"U+07FF", "DF BF"},
        {"U+0800", "E0 A0 80"},
        {"U+D7FF", "ED 9F BF"},
        {"U+E000", "EE 80 80"},
        {"U+FFFF", "EF BF BF"},
        {"U+10000", "F0 90 80 80"},
        {"U+10FFFF", "F4 8F BF BF"}
    };

    private ValidCorpus() {}

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (MqttVersion v : MqttVersion.values()) {
            for (String filter : GOOD_FILTERS) {
                out.add(new Case("4.7 SUBSCRIBE filter '" + filter + "'", v, subscribe(v, filter)));
                out.add(new Case("4.7 UNSUBSCRIBE filter '" + filter + "'", v, unsubscribe(v, filter)));
            }
            for (String[] good : GOOD_UTF8) {
                out.add(new Case("1.5.4 topic name " + good[0], v, publishTopic(v, good[1])));
            }
            out.add(new Case("4.7.1.1 topic name '/'", v, publishTopic(v, "2F")));
            out.add(new Case("4.7.1.1 topic name 'a//b'", v, publishTopic(v, "61 2F 2F 62")));
            out.add(new Case("2.1.4 two-byte Remaining Length", v, packet(0x30, "00 01 61 " + "00 ".repeat(200))));
        }
        MqttVersion v5 = MqttVersion.V5;
        out.add(new Case(
                "3.4.2.2.3 User Property repeated",
                v5,
                packet(0x40, "00 0A 00 0E 26 00 01 61 00 01 62 26 00 01 61 00 01 62")));
        out.add(new Case(
                "3.3.2.3.8 two Subscription Identifiers in PUBLISH", v5, packet(0x30, "00 01 61 04 0B 01 0B 02")));
        out.add(new Case("3.3.2.3.4 topic alias with empty topic name", v5, packet(0x30, "00 00 03 23 00 01")));
        out.add(new Case(
                "3.1.2.9 password without user name", v5, packet(0x10, MQTT5 + " 42 00 3C 00 00 00 00 02 70 77")));
        out.add(new Case(
                "3.1.2.11.9 authentication method without data",
                v5,
                packet(0x10, MQTT5 + " 02 00 3C 04 15 00 01 6D 00 00")));
        out.add(new Case("3.15.2.1 AUTH with Remaining Length 0", v5, packet(0xF0, "")));
        out.add(new Case("3.2.2.3.8 topic alias maximum 0", v5, packet(0x20, "00 00 03 22 00 00")));
        out.add(new Case("3.4.2.1 PUBACK reason code, no Property Length", v5, packet(0x40, "00 0A 10")));
        out.add(new Case("3.14.2.1 DISCONNECT reason code, no Property Length", v5, packet(0xE0, "04")));
        return out;
    }
}
