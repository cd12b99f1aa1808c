/**
 * The broker's public API: settings, the embedded broker handle and its metrics. The actors behind
 * it live in {@code .internal}.
 */
package dev.herald.mqtt.broker;
