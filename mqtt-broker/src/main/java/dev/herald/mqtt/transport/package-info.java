/**
 * Pekko Streams stages and listeners that carry MQTT over a byte stream: framing into packets and its
 * failures, and a TCP listener for bindings.
 */
package dev.herald.mqtt.transport;
