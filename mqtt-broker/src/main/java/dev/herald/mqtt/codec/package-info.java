/**
 * The MQTT 5.0 / 3.1.1 codec: plain Java over Pekko's immutable {@code ByteString}, with no actor or
 * stream types, shared by the TCP stages, WebSocket, the load generator and the tests.
 */
package dev.herald.mqtt.codec;
