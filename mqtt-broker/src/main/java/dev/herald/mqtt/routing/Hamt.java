package dev.herald.mqtt.routing;

import scala.Function0;
import scala.Function2;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;

/**
 * Java-side access to Scala's persistent {@link HashMap} (a hash array mapped trie): an update copies one path of
 * at most 7 nodes of up to 32 slots and shares the rest, so it costs O(log32 n) whatever the map's size.
 */
final class Hamt {

    // getOrElse with this default answers null for an absent key without allocating the Option that get(k) returns
    private static final Function0<Object> NULL = () -> null;

    private Hamt() {}

    static <K, V> HashMap<K, V> empty() {
        return HashMap$.MODULE$.empty();
    }

    /** The value of the key, or null when absent. */
    @SuppressWarnings("unchecked")
    static <K, V> V get(HashMap<K, V> map, K key) {
        return map.getOrElse(key, (Function0<V>) NULL);
    }

    static <K, V> HashMap<K, V> put(HashMap<K, V> map, K key, V value) {
        return map.updated(key, value);
    }

    /** The map without the key; the same instance when the key is absent. */
    static <K, V> HashMap<K, V> remove(HashMap<K, V> map, K key) {
        return map.removed(key);
    }

    /** Calls the function once per entry, without the iterator that {@code iterator()} would allocate. */
    static <K, V> void forEach(HashMap<K, V> map, Function2<K, V, ?> action) {
        map.foreachEntry(action);
    }
}
