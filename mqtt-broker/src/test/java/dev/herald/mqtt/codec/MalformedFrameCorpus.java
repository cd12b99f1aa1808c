package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Corpus.MQTT311;
import static dev.herald.mqtt.codec.Corpus.MQTT5;
import static dev.herald.mqtt.codec.Corpus.packet;
import static dev.herald.mqtt.codec.Corpus.raw;

import java.util.List;

/**
 * Malformed framing, fixed headers, packet identifiers and CONNECT: one case per rule, with the MQTT 5
 * reason code the decoder answers (0x81 Malformed Packet, 0x82 Protocol Error, 0x84 Unsupported
 * Protocol Version).
 */
final class MalformedFrameCorpus {

    private MalformedFrameCorpus() {}

    static List<Corpus.Case> cases() {
        Corpus c = new Corpus();
        // Remaining Length (MQTT 5.0 section 1.5.5 / 2.1.4, 3.1.1 section 2.2.3)
        c.both("1.5.5 remaining length over 4 bytes", 0x81, raw("30 FF FF FF FF 7F 00"))
                .both("1.5.5 remaining length not minimal (80 00)", 0x81, raw("C0 80 00"))
                .both("1.5.5 remaining length not minimal (FF 80 00)", 0x81, raw("30 FF 80 00"))
                .both("2.1.4 remaining length beyond the packet", 0x81, raw("30 05 00 01 61"))
                .both("2.1.4 remaining length short of the packet", 0x81, raw("C0 00 00"))
                .both("2.1.4 remaining length missing", 0x81, raw("C0"))
                .both("2.1.4 no bytes at all", 0x81, raw(""))
                .both("2.1.2 packet type 0 is reserved", 0x81, raw("00 00"));
        // Reserved fixed header flags (MQTT 5.0 section 2.1.3, 3.1.1 section 2.2.2)
        c.v5("2.1.3 CONNECT flags 0001", 0x81, packet(0x11, MQTT5 + " 02 00 3C 00 00 00"))
                .v311("2.1.3 CONNECT flags 0001", 0x81, packet(0x11, MQTT311 + " 02 00 3C 00 00"))
                .both("2.1.3 CONNACK flags 0001", 0x81, packet(0x21, "00 00"))
                .both("2.1.3 PUBACK flags 0001", 0x81, packet(0x41, "00 0A"))
                .both("2.1.3 PUBREC flags 1000", 0x81, packet(0x58, "00 0A"))
                .both("2.1.3 PUBREL flags 0000, not 0010", 0x81, packet(0x60, "00 0A"))
                .both("2.1.3 PUBREL flags 0011", 0x81, packet(0x63, "00 0A"))
                .both("2.1.3 PUBCOMP flags 0100", 0x81, packet(0x74, "00 0A"))
                .v311("2.1.3 SUBSCRIBE flags 0000, not 0010", 0x81, packet(0x80, "00 0A 00 01 61 00"))
                .v5("2.1.3 SUBSCRIBE flags 0011", 0x81, packet(0x83, "00 0A 00 00 01 61 00"))
                .both("2.1.3 SUBACK flags 0010", 0x81, packet(0x92, "00 0A 00"))
                .v311("2.1.3 UNSUBSCRIBE flags 0000, not 0010", 0x81, packet(0xA0, "00 0A 00 01 61"))
                .v5("2.1.3 UNSUBSCRIBE flags 1010", 0x81, packet(0xAA, "00 0A 00 00 01 61"))
                .v311("2.1.3 UNSUBACK flags 0001", 0x81, packet(0xB1, "00 0A"))
                .both("2.1.3 PINGREQ flags 0001", 0x81, packet(0xC1, ""))
                .both("2.1.3 PINGRESP flags 1000", 0x81, packet(0xD8, ""))
                .both("2.1.3 DISCONNECT flags 0010", 0x81, packet(0xE2, ""))
                .v5("2.1.3 AUTH flags 0001", 0x81, packet(0xF1, ""));
        // Packet Identifier 0 (MQTT 5.0 section 2.2.1, 3.1.1 section 2.3.1)
        c.v5("2.2.1 PUBLISH QoS 1 packet id 0", 0x82, packet(0x32, "00 01 61 00 00 00"))
                .v311("2.2.1 PUBLISH QoS 1 packet id 0", 0x82, packet(0x32, "00 01 61 00 00"))
                .v311("2.2.1 PUBLISH QoS 2 packet id 0", 0x82, packet(0x34, "00 01 61 00 00"))
                .v5("2.2.1 SUBSCRIBE packet id 0", 0x82, packet(0x82, "00 00 00 00 01 61 00"))
                .v311("2.2.1 SUBSCRIBE packet id 0", 0x82, packet(0x82, "00 00 00 01 61 00"))
                .v5("2.2.1 UNSUBSCRIBE packet id 0", 0x82, packet(0xA2, "00 00 00 00 01 61"))
                .v311("2.2.1 UNSUBSCRIBE packet id 0", 0x82, packet(0xA2, "00 00 00 01 61"))
                .both("2.2.1 PUBACK packet id 0", 0x82, packet(0x40, "00 00"))
                .both("2.2.1 PUBREC packet id 0", 0x82, packet(0x50, "00 00"))
                .both("2.2.1 PUBREL packet id 0", 0x82, packet(0x62, "00 00"))
                .both("2.2.1 PUBCOMP packet id 0", 0x82, packet(0x70, "00 00"))
                .v5("2.2.1 SUBACK packet id 0", 0x82, packet(0x90, "00 00 00 00"))
                .v311("2.2.1 SUBACK packet id 0", 0x82, packet(0x90, "00 00 00"))
                .v5("2.2.1 UNSUBACK packet id 0", 0x82, packet(0xB0, "00 00 00 00"))
                .v311("2.2.1 UNSUBACK packet id 0", 0x82, packet(0xB0, "00 00"))
                .both("2.2.1 PUBACK packet id cut short", 0x81, packet(0x40, "00"));
        // CONNECT (MQTT 5.0 section 3.1, 3.1.1 section 3.1)
        c.v5("3.1.2.3 CONNECT reserved flag", 0x81, packet(0x10, MQTT5 + " 03 00 3C 00 00 00"))
                .v311("3.1.2.3 CONNECT reserved flag", 0x81, packet(0x10, MQTT311 + " 03 00 3C 00 00"))
                .v5("3.1.2.6 will QoS 3", 0x81, packet(0x10, MQTT5 + " 1E 00 3C 00 00 00 00 00 01 74 00 00"))
                .v311("3.1.2.6 will QoS 3", 0x81, packet(0x10, MQTT311 + " 1E 00 3C 00 00 00 01 74 00 00"))
                .v5("3.1.2.6 will QoS without will flag", 0x81, packet(0x10, MQTT5 + " 0A 00 3C 00 00 00"))
                .v311("3.1.2.6 will QoS without will flag", 0x81, packet(0x10, MQTT311 + " 0A 00 3C 00 00"))
                .v5("3.1.2.7 will retain without will flag", 0x81, packet(0x10, MQTT5 + " 22 00 3C 00 00 00"))
                .v311("3.1.2.7 will retain without will flag", 0x81, packet(0x10, MQTT311 + " 22 00 3C 00 00"))
                .v311(
                        "3.1.2.9 [MQTT-3.1.2-22] password without user name",
                        0x81,
                        packet(0x10, MQTT311 + " 42 00 3C 00 00 00 02 70 77"))
                .v5(
                        "3.1.2.11.10 authentication data without method",
                        0x82,
                        packet(0x10, MQTT5 + " 02 00 3C 04 16 00 01 01 00 00"))
                .v5("3.1.3 trailing bytes after CONNECT", 0x81, packet(0x10, MQTT5 + " 02 00 3C 00 00 00 FF"))
                .v311("3.1.3 trailing bytes after CONNECT", 0x81, packet(0x10, MQTT311 + " 02 00 3C 00 00 FF"))
                .v311("3.1.3.1 client identifier missing", 0x81, packet(0x10, MQTT311 + " 02 00 3C"))
                .v311(
                        "3.1.3.3 / 3.3.2.1 wildcard in will topic",
                        0x81,
                        packet(0x10, MQTT311 + " 06 00 3C 00 00 00 03 61 2F 23 00 00"))
                .v311("4.7.3 empty will topic", 0x81, packet(0x10, MQTT311 + " 06 00 3C 00 00 00 00 00 00"))
                .unsupported(
                        "3.1.2.2 protocol 'MQIsdp' level 3",
                        3,
                        packet(0x10, "00 06 4D 51 49 73 64 70 03 02 00 3C 00 00"))
                .unsupported("3.1.2.2 protocol level 6", 6, packet(0x10, "00 04 4D 51 54 54 06 02 00 3C 00 00 00"))
                .unsupported("3.1.2.1 protocol name 'MQTX'", 4, packet(0x10, "00 04 4D 51 54 58 04 02 00 3C 00 00"))
                .unsupported("3.1.2.1 protocol name 'mqtt'", 5, packet(0x10, "00 04 6D 71 74 74 05 02 00 3C 00 00 00"));
        return c.cases();
    }
}
