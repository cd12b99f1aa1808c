package dev.herald.mqtt.routing;

/** Receives each (filter, client) entry of a {@link TopicTree} whose filter matches a topic name. */
@FunctionalInterface
public interface MatchVisitor<S> {

    void matched(String filter, String clientId, S subscription);
}
