package dev.herald.mqtt.filter;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.message.MqttPacket;

/**
 * Sees each packet a connected client sends, before the broker acts on it, and decides: pass it,
 * replace it with a packet of the same type, or reject it with an MQTT reason code. It runs on the
 * client's ConnectionActor (one packet at a time, in order), so it must be quick and never block.
 * Filters run in the order they were added; a filter that throws rejects the packet with 0x83.
 *
 * <pre>{@code
 * PacketFilter noRetain = (client, packet) -> packet instanceof Publish p && p.retain()
 *         ? FilterResult.reject(0x83, "retained messages are not accepted here")
 *         : FilterResult.pass();
 * EmbeddedBroker.builder().filter(noRetain).start();
 * }</pre>
 *
 * What a rejection does depends on the packet: a QoS 1/2 PUBLISH gets PUBACK/PUBREC with the code
 * (MQTT 5; 3.1.1 has no codes, so it is acknowledged and dropped), a QoS 0 PUBLISH is dropped; a
 * SUBSCRIBE gets the code for each filter in its SUBACK (3.1.1: 0x80); anything else ends the
 * connection with DISCONNECT carrying the code (3.1.1: the connection closes). A code not valid for
 * the answer becomes 0x83 Implementation specific error. Every rejected PUBLISH is counted.
 */
@FunctionalInterface
public interface PacketFilter {

    FilterResult filter(ClientInfo client, MqttPacket packet);
}
