package dev.herald.mqtt.routing;

import dev.herald.mqtt.message.Topics;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import scala.Function2;

/**
 * The subscription index: a persistent trie of topic filters, one node per level, each node holding the
 * subscription of every client subscribed to exactly its filter. Every version is immutable (all fields final, so
 * safe to publish to other threads as a routing snapshot; the matches it keeps of topic names are in a
 * concurrent map); {@link #subscribe} and {@link #unsubscribe} return a new
 * version that copies only the nodes on one filter's path, each in O(log32 n) through Scala's persistent hash map,
 * and shares everything else with this one.
 *
 * <p>Levels are split on '/' and empty levels are real levels: "a//b" has three, "/a" has two. Matching follows
 * MQTT 5.0 section 4.7, including 4.7.2: a topic name starting with '$' is not matched by a filter whose first
 * level is '+' or '#'. Filters must be valid (see {@link Topics#topicFilterProblem}); topic names are not checked.
 *
 * @param <S> what each client's entry carries, typically its subscription options
 */
public final class TopicTree<S> {

    private static final TopicTree<?> EMPTY = new TopicTree<>(TopicNode.empty(), 0);

    /**
     * Topic names whose matches a version keeps at most; further ones are walked every time. Emptying a full set
     * instead made a stream of distinct topic names (a device fleet's) about 4x slower to match than the walk.
     */
    static final int KEPT_TOPICS = 1024;

    /** A topic name matching more entries than this is walked every time (its matches would take room). */
    static final int KEPT_MATCHES = 64;

    /** A longer topic name is walked every time, so what a version keeps stays small (about 1.3 MB at most). */
    static final int KEPT_TOPIC_LENGTH = 256;

    private static final Object[] NO_MATCHES = {};

    private final TopicNode<S> root;
    private final int size;
    // The matches of the first topic names this version matched: (filter, client, entry) triples, as
    // the walk found them. A version never changes, so they stay right for as long as it lives.
    private final ConcurrentHashMap<String, Object[]> kept = new ConcurrentHashMap<>();

    private TopicTree(TopicNode<S> root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <S> TopicTree<S> empty() {
        return (TopicTree<S>) EMPTY;
    }

    /** The number of (filter, client) entries. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * A new version in which the client is subscribed to the filter with the given subscription, replacing the
     * client's earlier entry on that exact filter. This version is unchanged.
     *
     * @throws IllegalArgumentException when the filter is not a valid topic filter
     */
    public TopicTree<S> subscribe(String filter, String clientId, S subscription) {
        String problem = Topics.topicFilterProblem(filter);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topic filter '" + filter + "': " + problem);
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        String[] levels = levels(filter);
        TopicNode<S>[] path = path(levels);
        TopicNode<S> node = orEmpty(path[levels.length]);
        boolean added = Hamt.get(node.subscribers, clientId) == null;
        node = node.withSubscriber(filter, clientId, subscription);
        for (int i = levels.length - 1; i >= 0; i--) {
            node = orEmpty(path[i]).withChild(levels[i], node);
        }
        return new TopicTree<>(node, added ? size + 1 : size);
    }

    /** A new version without the client's entry on the filter, or this same instance when there is none. */
    public TopicTree<S> unsubscribe(String filter, String clientId) {
        String[] levels = levels(filter);
        TopicNode<S>[] path = path(levels);
        TopicNode<S> node = path[levels.length];
        if (node == null || Hamt.get(node.subscribers, clientId) == null) {
            return this;
        }
        node = node.withoutSubscriber(clientId);
        for (int i = levels.length - 1; i >= 0; i--) {
            // prune: a node left with no entry and no child goes away
            node = path[i].withChild(levels[i], node.isEmpty() ? null : node);
        }
        return new TopicTree<>(node, size - 1);
    }

    /** The client's entry on exactly this filter, or null. */
    public S get(String filter, String clientId) {
        TopicNode<S> node = root;
        int pos = 0;
        while (node != null && pos <= filter.length()) {
            int end = levelEnd(filter, pos);
            node = node.child(filter.substring(pos, end));
            pos = end + 1;
        }
        return node == null ? null : Hamt.get(node.subscribers, clientId);
    }

    /**
     * Calls the visitor once per (filter, client) entry whose filter matches the topic name, in no particular order.
     * A version keeps the matches of up to {@link #KEPT_TOPICS} topic names (of at most {@link #KEPT_TOPIC_LENGTH}
     * chars and {@link #KEPT_MATCHES} entries), so a topic published again is not walked again; subscribing or
     * unsubscribing makes a new version, which starts with none. A walk goes through the topic by index; it
     * allocates one small walker, a string per literal level looked up and, only past 32 nested '+' levels, a small
     * stack of deferred branches.
     */
    @SuppressWarnings("unchecked")
    public void match(String topic, MatchVisitor<S> visitor) {
        if (size == 0) {
            return;
        }
        Object[] matches = kept.get(topic);
        if (matches != null) {
            for (int i = 0; i < matches.length; i += 3) {
                visitor.matched((String) matches[i], (String) matches[i + 1], (S) matches[i + 2]);
            }
        } else if (topic.length() > KEPT_TOPIC_LENGTH || kept.size() >= KEPT_TOPICS) {
            new Walk<>(topic, visitor).run(root);
        } else {
            Keeping<S> keeping = new Keeping<>(visitor);
            new Walk<>(topic, keeping).run(root);
            if (keeping.count <= KEPT_MATCHES) {
                kept.putIfAbsent(
                        topic, keeping.count == 0 ? NO_MATCHES : Arrays.copyOf(keeping.matches, keeping.count * 3));
            }
        }
    }

    /** The number of trie nodes, the root included; lets tests see that unsubscribe prunes. */
    int nodeCount() {
        return count(root);
    }

    private static int count(TopicNode<?> node) {
        int[] count = {1};
        Hamt.forEach(node.children, (level, child) -> count[0] += count(child));
        if (node.plus != null) {
            count[0] += count(node.plus);
        }
        if (node.hash != null) {
            count[0] += count(node.hash);
        }
        return count[0];
    }

    private TopicNode<S>[] path(String[] levels) {
        @SuppressWarnings("unchecked")
        TopicNode<S>[] path = (TopicNode<S>[]) new TopicNode<?>[levels.length + 1];
        path[0] = root;
        for (int i = 0; i < levels.length && path[i] != null; i++) {
            path[i + 1] = path[i].child(levels[i]);
        }
        return path;
    }

    private static <S> TopicNode<S> orEmpty(TopicNode<S> node) {
        return node == null ? TopicNode.empty() : node;
    }

    private static String[] levels(String filter) {
        int count = 1;
        for (int i = 0; i < filter.length(); i++) {
            if (filter.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            int end = levelEnd(filter, pos);
            levels[i] = filter.substring(pos, end);
            pos = end + 1;
        }
        return levels;
    }

    private static int levelEnd(String s, int pos) {
        int end = s.indexOf('/', pos);
        return end < 0 ? s.length() : end;
    }

    /** Passes each match on, and notes the first {@link #KEPT_MATCHES} of them (count goes on past that). */
    private static final class Keeping<S> implements MatchVisitor<S> {
        private final MatchVisitor<S> visitor;
        private Object[] matches = new Object[6];
        private int count;

        Keeping(MatchVisitor<S> visitor) {
            this.visitor = visitor;
        }

        @Override
        public void matched(String filter, String clientId, S subscription) {
            visitor.matched(filter, clientId, subscription);
            if (count < KEPT_MATCHES) {
                if (count * 3 == matches.length) {
                    matches = Arrays.copyOf(matches, matches.length * 2);
                }
                matches[count * 3] = filter;
                matches[count * 3 + 1] = clientId;
                matches[count * 3 + 2] = subscription;
            }
            count++;
        }
    }

    /**
     * One match: a depth-first walk that follows the literal child in a loop and recurses only into '+' children. So
     * that a filter of thousands of '+' levels cannot overflow the thread stack, '+' branches nested deeper than
     * {@link #MAX_NESTING} wait on a heap stack instead. Being a {@link Function2} lets one walker visit every
     * subscriber map without allocating an iterator or closure per node.
     */
    private static final class Walk<S> implements Function2<String, S, Object> {

        /** Recursion depth past which '+' branches are deferred; a few KB of thread stack. */
        private static final int MAX_NESTING = 32;

        private final String topic;
        private final MatchVisitor<S> visitor;
        private final boolean dollar;
        private String filter;
        private TopicNode<S>[] deferredNodes;
        private int[] deferredPositions;
        private int deferred;

        Walk(String topic, MatchVisitor<S> visitor) {
            this.topic = topic;
            this.visitor = visitor;
            this.dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        }

        void run(TopicNode<S> root) {
            from(root, 0, 0);
            while (deferred > 0) {
                deferred--;
                from(deferredNodes[deferred], deferredPositions[deferred], 0);
            }
        }

        /** Matches the levels from {@code pos} on below {@code node}; pos is past the end once all are matched. */
        private void from(TopicNode<S> node, int pos, int nesting) {
            int length = topic.length();
            while (node != null) {
                if (pos > length) {
                    visit(node);
                    visit(node.hash); // "sport/#" also matches "sport"
                    return;
                }
                boolean wildcardsAllowed = pos > 0 || !dollar; // MQTT 5.0 section 4.7.2
                int end = levelEnd(topic, pos);
                if (wildcardsAllowed) {
                    visit(node.hash);
                    if (node.plus != null && nesting < MAX_NESTING) {
                        from(node.plus, end + 1, nesting + 1);
                    } else if (node.plus != null) {
                        defer(node.plus, end + 1);
                    }
                }
                node = node.children.isEmpty() ? null : Hamt.get(node.children, topic.substring(pos, end));
                pos = end + 1;
            }
        }

        private void defer(TopicNode<S> node, int pos) {
            if (deferredNodes == null) {
                @SuppressWarnings("unchecked")
                TopicNode<S>[] nodes = (TopicNode<S>[]) new TopicNode<?>[MAX_NESTING];
                deferredNodes = nodes;
                deferredPositions = new int[MAX_NESTING];
            } else if (deferred == deferredNodes.length) {
                deferredNodes = Arrays.copyOf(deferredNodes, deferred * 2);
                deferredPositions = Arrays.copyOf(deferredPositions, deferred * 2);
            }
            deferredNodes[deferred] = node;
            deferredPositions[deferred] = pos;
            deferred++;
        }

        private void visit(TopicNode<S> node) {
            if (node != null && !node.subscribers.isEmpty()) {
                filter = node.filter;
                Hamt.forEach(node.subscribers, this);
            }
        }

        @Override
        public Object apply(String clientId, S subscription) {
            visitor.matched(filter, clientId, subscription);
            return null;
        }
    }
}
