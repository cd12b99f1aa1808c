package dev.herald.mqtt.routing;

import scala.collection.immutable.HashMap;

/**
 * One level of a {@link TopicTree}. Immutable: a change returns a new node that shares its maps and children with
 * this one, so a new tree version copies only the nodes on the changed filter's path.
 */
final class TopicNode<S> {

    private static final TopicNode<?> EMPTY = new TopicNode<>(null, Hamt.empty(), null, null, Hamt.empty());

    /** The filter that ends at this node; null until a client subscribes to it. */
    final String filter;

    /** Children by literal level. The '+' and '#' children have fields of their own so match needs no lookup. */
    final HashMap<String, TopicNode<S>> children;

    final TopicNode<S> plus;

    /** Always a leaf, as '#' can only be the last level of a filter. */
    final TopicNode<S> hash;

    /** Subscription by client id, for the clients subscribed to exactly {@link #filter}. */
    final HashMap<String, S> subscribers;

    private TopicNode(
            String filter,
            HashMap<String, TopicNode<S>> children,
            TopicNode<S> plus,
            TopicNode<S> hash,
            HashMap<String, S> subscribers) {
        this.filter = filter;
        this.children = children;
        this.plus = plus;
        this.hash = hash;
        this.subscribers = subscribers;
    }

    @SuppressWarnings("unchecked")
    static <S> TopicNode<S> empty() {
        return (TopicNode<S>) EMPTY;
    }

    boolean isEmpty() {
        return plus == null && hash == null && children.isEmpty() && subscribers.isEmpty();
    }

    /** The child for a filter level, or null. */
    TopicNode<S> child(String level) {
        if (isWildcard(level, '+')) {
            return plus;
        }
        if (isWildcard(level, '#')) {
            return hash;
        }
        return Hamt.get(children, level);
    }

    /** This node with the child for a filter level set, or removed when {@code child} is null. */
    TopicNode<S> withChild(String level, TopicNode<S> child) {
        if (isWildcard(level, '+')) {
            return new TopicNode<>(filter, children, child, hash, subscribers);
        }
        if (isWildcard(level, '#')) {
            return new TopicNode<>(filter, children, plus, child, subscribers);
        }
        HashMap<String, TopicNode<S>> newChildren =
                child == null ? Hamt.remove(children, level) : Hamt.put(children, level, child);
        return new TopicNode<>(filter, newChildren, plus, hash, subscribers);
    }

    TopicNode<S> withSubscriber(String nodeFilter, String clientId, S subscription) {
        return new TopicNode<>(nodeFilter, children, plus, hash, Hamt.put(subscribers, clientId, subscription));
    }

    TopicNode<S> withoutSubscriber(String clientId) {
        return new TopicNode<>(filter, children, plus, hash, Hamt.remove(subscribers, clientId));
    }

    private static boolean isWildcard(String level, char wildcard) {
        return level.length() == 1 && level.charAt(0) == wildcard;
    }
}
