/**
 * MQTT over TLS and mutual TLS: the {@code mqtt-tls} listener on Pekko Streams TLS, the key material
 * (PEM or PKCS#12) reloaded when its files change, and client-certificate usernames.
 */
package dev.herald.mqtt.broker.tls;
