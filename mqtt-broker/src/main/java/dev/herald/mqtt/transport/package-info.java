/** Pekko Streams stages that carry MQTT over a byte stream: framing into packets and its failures. */
package dev.herald.mqtt.transport;
