/**
 * The broker's actors (BrokerActor, ConnectionActor, SessionActor), the TCP listener and the routing
 * snapshot that connects them.
 */
package dev.herald.mqtt.broker.internal;
