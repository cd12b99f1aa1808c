package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Corpus.packet;

import java.util.List;

/** Malformed PUBLISH, SUBSCRIBE, UNSUBSCRIBE and acknowledgements, and reason codes not valid where sent. */
final class MalformedPacketCorpus {

    private MalformedPacketCorpus() {}

    static List<Corpus.Case> cases() {
        Corpus c = new Corpus();
        // PUBLISH (section 3.3)
        c.v5("3.3.1.2 PUBLISH QoS 3", 0x81, packet(0x36, "00 01 61 00 0A 00"))
                .v311("3.3.1.2 PUBLISH QoS 3", 0x81, packet(0x36, "00 01 61 00 0A"))
                .v5("3.3.1.1 [MQTT-3.3.1-2] DUP on QoS 0", 0x81, packet(0x38, "00 01 61 00"))
                .v311("3.3.1.1 [MQTT-3.3.1-2] DUP on QoS 0", 0x81, packet(0x38, "00 01 61"))
                .v5("3.3.2.1 [MQTT-3.3.2-2] '+' in topic name", 0x81, packet(0x30, "00 03 61 2F 2B 00"))
                .v311("3.3.2.1 [MQTT-3.3.2-2] '+' in topic name", 0x81, packet(0x30, "00 03 61 2F 2B"))
                .v5("3.3.2.1 [MQTT-3.3.2-2] '#' in topic name", 0x81, packet(0x30, "00 03 61 2F 23 00"))
                .v311("3.3.2.1 [MQTT-3.3.2-2] '#' in topic name", 0x81, packet(0x30, "00 01 23"))
                .v311("3.3.2.1 '+' inside a topic level", 0x81, packet(0x30, "00 02 61 2B"))
                .v5("3.3.2.1 empty topic name without topic alias", 0x82, packet(0x30, "00 00 00"))
                .v5("3.3.2.1 empty topic name, properties but no alias", 0x82, packet(0x30, "00 00 02 01 01"))
                .v311("4.7.3 [MQTT-4.7.3-1] empty topic name", 0x82, packet(0x30, "00 00"))
                .both("1.5.4 topic name longer than the packet", 0x81, packet(0x30, "00 05 61"))
                .v311("3.3.2.2 packet identifier cut short", 0x81, packet(0x32, "00 01 61 00"))
                .v5("2.2.2.1 property length beyond the packet", 0x81, packet(0x30, "00 01 61 05 01 01"));
        // SUBSCRIBE and UNSUBSCRIBE (sections 3.8 and 3.10)
        c.v5("3.8.3 [MQTT-3.8.3-2] SUBSCRIBE with no filters", 0x82, packet(0x82, "00 0A 00"))
                .v311("3.8.3 [MQTT-3.8.3-3] SUBSCRIBE with no filters", 0x82, packet(0x82, "00 0A"))
                .v5("3.10.3 [MQTT-3.10.3-2] UNSUBSCRIBE with no filters", 0x82, packet(0xA2, "00 0A 00"))
                .v311("3.10.3 [MQTT-3.10.3-2] UNSUBSCRIBE with no filters", 0x82, packet(0xA2, "00 0A"))
                .v5("3.8.3.1 [MQTT-3.8.3-5] subscription options bit 6", 0x81, packet(0x82, "00 0A 00 00 01 61 40"))
                .v5("3.8.3.1 [MQTT-3.8.3-5] subscription options bit 7", 0x81, packet(0x82, "00 0A 00 00 01 61 80"))
                .v5("3.8.3.1 retain handling 3", 0x82, packet(0x82, "00 0A 00 00 01 61 30"))
                .v5("3.8.3.1 maximum QoS 3", 0x82, packet(0x82, "00 0A 00 00 01 61 03"))
                .v311("3.8.3.1 [MQTT-3.8.3-4] requested QoS 3", 0x81, packet(0x82, "00 0A 00 01 61 03"))
                .v311("3.8.3 topic filter without its options byte", 0x81, packet(0x82, "00 0A 00 01 61"));
        for (int bit = 2; bit < 8; bit++) {
            c.v311(
                    "3.8.3.1 [MQTT-3.8.3-4] requested QoS byte bit " + bit,
                    0x81,
                    packet(0x82, String.format("00 0A 00 01 61 %02X", 1 << bit)));
        }
        // Acknowledgements and their reason codes
        c.v5("3.2.2.1 CONNACK acknowledge flag bit 1", 0x81, packet(0x20, "02 00 00"))
                .v311("3.2.2.1 CONNACK acknowledge flag bit 7", 0x81, packet(0x20, "80 00"))
                .v5("3.2.2.2 CONNACK reason code 0x01", 0x81, packet(0x20, "00 01 00"))
                .v5("3.2.2.2 CONNACK reason code 0x8E (DISCONNECT only)", 0x81, packet(0x20, "00 8E 00"))
                .v311("3.2.2.3 CONNACK return code 6", 0x81, packet(0x20, "00 06"))
                .v311("3.2.2.3 CONNACK return code 0x80", 0x81, packet(0x20, "00 80"))
                .v311("3.2 CONNACK with trailing bytes", 0x81, packet(0x20, "00 00 00"))
                .v5("3.4.2.1 PUBACK reason code 0x01", 0x81, packet(0x40, "00 0A 01"))
                .v5("3.4.2.1 PUBACK reason code 0x92 (PUBREL only)", 0x81, packet(0x40, "00 0A 92"))
                .v5("3.5.2.1 PUBREC reason code 0x92", 0x81, packet(0x50, "00 0A 92"))
                .v5("3.6.2.1 PUBREL reason code 0x10 (PUBACK only)", 0x81, packet(0x62, "00 0A 10"))
                .v5("3.7.2.1 PUBCOMP reason code 0x80", 0x81, packet(0x70, "00 0A 80"))
                .v311("3.4 3.1.1 PUBACK with a reason code", 0x81, packet(0x40, "00 0A 00"))
                .v5("3.9.3 SUBACK reason code 0x03", 0x81, packet(0x90, "00 0A 00 03"))
                .v5("3.9.3 SUBACK reason code 0x11 (UNSUBACK only)", 0x81, packet(0x90, "00 0A 00 11"))
                .v311("3.9.3 3.1.1 SUBACK return code 0x87", 0x81, packet(0x90, "00 0A 87"))
                .v311("3.9.3 3.1.1 SUBACK return code 0x03", 0x81, packet(0x90, "00 0A 03"))
                .v5("3.9.3 SUBACK without reason codes", 0x82, packet(0x90, "00 0A 00"))
                .v311("3.9.3 SUBACK without return codes", 0x82, packet(0x90, "00 0A"))
                .v5("3.11.3 UNSUBACK reason code 0x01", 0x81, packet(0xB0, "00 0A 00 01"))
                .v5("3.11.3 UNSUBACK without reason codes", 0x82, packet(0xB0, "00 0A 00"))
                .v311("3.11 3.1.1 UNSUBACK with a payload", 0x81, packet(0xB0, "00 0A 00"))
                .v5("3.14.2.1 DISCONNECT reason code 0x01", 0x81, packet(0xE0, "01"))
                .v5("3.14.2.1 DISCONNECT reason code 0x05", 0x81, packet(0xE0, "05 00"))
                .v311("3.14 3.1.1 DISCONNECT with a body", 0x81, packet(0xE0, "00"))
                .v5("3.15.2.1 AUTH reason code 0x01", 0x81, packet(0xF0, "01 00"))
                .v5("3.15.2.1 AUTH reason code 0x10", 0x81, packet(0xF0, "10 00"))
                .v311("2.1.2 AUTH (type 15) in 3.1.1", 0x81, packet(0xF0, ""))
                .v5("3.15.2.2.2 AUTH reason code without authentication method", 0x82, packet(0xF0, "18"))
                .v5("3.15.2.2.2 AUTH with empty properties", 0x82, packet(0xF0, "18 00"))
                .v5("3.15.2.2.3 AUTH authentication data without method", 0x82, packet(0xF0, "18 04 16 00 01 01"))
                .both("3.12 PINGREQ with a body", 0x81, packet(0xC0, "00"))
                .both("3.13 PINGRESP with a body", 0x81, packet(0xD0, "00"));
        return c.cases();
    }
}
