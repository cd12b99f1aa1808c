/**
 * The MQTT 5.0 / 3.1.1 packet model: one immutable record per control packet type, the versions,
 * QoS levels and topic rules they share.
 */
package dev.herald.mqtt.message;
