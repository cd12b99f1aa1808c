package dev.herald.runtime;

/**
 * Marks a message that may cross nodes. The cluster module binds it to Pekko's {@code jackson-cbor}
 * serializer, so no message needs Java serialization. An implementation is immutable: a record (or an
 * enum) of primitives, strings, immutable collections, other such records and {@code ActorRef}s.
 * Tests check the binding with {@code pekko.actor.serialize-messages = on}.
 */
public interface CborSerializable {}
