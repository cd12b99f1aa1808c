/** MQTT 5 properties: the identifiers with their types and the packets that may carry them. */
package dev.herald.mqtt.message.property;
