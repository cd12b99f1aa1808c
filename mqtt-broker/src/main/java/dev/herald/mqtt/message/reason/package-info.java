/** MQTT 5 reason codes, one enum per packet family, each looked up through an array by code. */
package dev.herald.mqtt.message.reason;
