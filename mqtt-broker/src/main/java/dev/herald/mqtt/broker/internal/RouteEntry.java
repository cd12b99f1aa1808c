package dev.herald.mqtt.broker.internal;

/** What the routing snapshot holds for one (filter, key): a client's subscription or a shared group. */
sealed interface RouteEntry permits Subscriber, SharedGroup {}
