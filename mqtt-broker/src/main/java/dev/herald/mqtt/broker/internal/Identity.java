package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.message.property.Properties;

/**
 * Who a connection's client is once authenticated: the username authorization sees (null for an
 * anonymous client), what it may do, the enhanced authentication method it used (null when none),
 * and the authentication properties its CONNACK carries.
 */
record Identity(String username, Permissions permissions, String authMethod, Properties connAckAuth) {}
