/**
 * Durable broker state: what persistence is configured to do ({@link dev.herald.mqtt.store.PersistenceSettings})
 * and the clear error a data directory that cannot be used gives ({@link dev.herald.mqtt.store.StoreException}).
 */
package dev.herald.mqtt.store;
