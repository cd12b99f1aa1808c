/**
 * Filter middleware: {@link dev.herald.mqtt.filter.PacketFilter}s see every packet of a connected
 * client before the broker acts, and pass, change or reject it; two ship with Herald.
 */
package dev.herald.mqtt.filter;
