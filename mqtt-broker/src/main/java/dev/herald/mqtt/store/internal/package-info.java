/**
 * The RocksDB store behind persistence: keys and value formats, the one writer actor that commits
 * every owner's changes in groups, and the reads recovery makes at start-up.
 */
package dev.herald.mqtt.store.internal;
