/** MQTT over WebSocket on Netty: the binding, and the bridge from a WebSocket channel to the broker's byte flow. */
package dev.herald.mqtt.broker.websocket;
