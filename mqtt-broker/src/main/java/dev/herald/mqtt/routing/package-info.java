/**
 * Topic routing: the persistent subscription index that the BrokerActor publishes as an immutable routing
 * snapshot, and the retained-message store the BrokerActor owns. Both match per MQTT 5.0 section 4.7.
 */
package dev.herald.mqtt.routing;
