package dev.herald.mqtt.routing;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The retained messages, one per topic name, in a trie of topic levels so that matching a new subscription's filter
 * visits only the branches the filter can match. Mutable and not thread-safe: the BrokerActor owns it and is its
 * only user. Matching follows MQTT 5.0 section 4.7, including 4.7.2 ('+' or '#' first does not match '$' topics).
 *
 * @param <M> the retained message, typically a {@code Publish}
 */
public final class RetainedStore<M> {

    /** Marks a walk frame that visits a node and everything below it (for a '#' level). */
    private static final int SUBTREE = -1;

    private final Node<M> root = new Node<>();
    private int size;

    /** Stores the message as the topic's retained message, replacing any earlier one. */
    public void put(String topic, M message) {
        if (message == null) {
            throw new IllegalArgumentException("null message for topic '" + topic + "'; use remove");
        }
        Node<M> node = root;
        int pos = 0;
        while (pos <= topic.length()) {
            int end = levelEnd(topic, pos);
            node = node.childOrCreate(topic.substring(pos, end));
            pos = end + 1;
        }
        if (node.message == null) {
            size++;
        }
        node.topic = topic;
        node.message = message;
    }

    /** Removes the topic's retained message, if any, and the trie nodes left without a message or child. */
    public void remove(String topic) {
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                levels++;
            }
        }
        @SuppressWarnings("unchecked")
        Node<M>[] path = (Node<M>[]) new Node<?>[levels + 1];
        String[] keys = new String[levels];
        path[0] = root;
        int pos = 0;
        for (int i = 0; i < levels; i++) {
            int end = levelEnd(topic, pos);
            keys[i] = topic.substring(pos, end);
            path[i + 1] = path[i].child(keys[i]);
            if (path[i + 1] == null) {
                return;
            }
            pos = end + 1;
        }
        Node<M> node = path[levels];
        if (node.message == null) {
            return;
        }
        node.message = null;
        node.topic = null;
        size--;
        for (int i = levels; i > 0 && path[i].isEmpty(); i--) {
            path[i - 1].removeChild(keys[i - 1]);
        }
    }

    /** The topic's retained message, or null. */
    public M get(String topic) {
        Node<M> node = root;
        int pos = 0;
        while (node != null && pos <= topic.length()) {
            int end = levelEnd(topic, pos);
            node = node.child(topic.substring(pos, end));
            pos = end + 1;
        }
        return node == null ? null : node.message;
    }

    /** The number of retained messages. */
    public int size() {
        return size;
    }

    /** The number of trie nodes, the root included; lets tests see that remove prunes. */
    int nodeCount() {
        int count = 0;
        ArrayDeque<Frame<M>> stack = new ArrayDeque<>();
        stack.push(new Frame<>(root, SUBTREE));
        while (!stack.isEmpty()) {
            count++;
            stack.pop().node().pushChildren(stack, SUBTREE, false);
        }
        return count;
    }

    /**
     * Calls the visitor with the topic and message of every retained message whose topic the filter matches, in no
     * particular order. The filter must be valid. The visitor must not change this store.
     */
    public void match(String filter, BiConsumer<String, M> visitor) {
        // an explicit stack rather than recursion, so a topic with thousands of levels cannot overflow the thread stack
        ArrayDeque<Frame<M>> stack = new ArrayDeque<>();
        stack.push(new Frame<>(root, 0));
        while (!stack.isEmpty()) {
            Frame<M> frame = stack.pop();
            Node<M> node = frame.node();
            int pos = frame.pos();
            if (pos == SUBTREE || pos > filter.length()) {
                node.visit(visitor);
                if (pos == SUBTREE) {
                    node.pushChildren(stack, SUBTREE, false);
                }
                continue;
            }
            int end = levelEnd(filter, pos);
            boolean rootLevel = pos == 0; // MQTT 5.0 section 4.7.2: wildcards first skip '$' topics
            if (end - pos == 1 && filter.charAt(pos) == '#') {
                node.visit(visitor); // "sport/#" also matches "sport"
                node.pushChildren(stack, SUBTREE, rootLevel);
            } else if (end - pos == 1 && filter.charAt(pos) == '+') {
                node.pushChildren(stack, end + 1, rootLevel);
            } else {
                Node<M> child = node.child(filter.substring(pos, end));
                if (child != null) {
                    stack.push(new Frame<>(child, end + 1));
                }
            }
        }
    }

    private static int levelEnd(String s, int pos) {
        int end = s.indexOf('/', pos);
        return end < 0 ? s.length() : end;
    }

    /** A node still to walk and the position of its level in the filter, or {@link #SUBTREE}. */
    private record Frame<M>(Node<M> node, int pos) {}

    private static final class Node<M> {

        /** Null while this node has no child, as most nodes are leaves. */
        private Map<String, Node<M>> children;

        private String topic;
        private M message;

        Node<M> child(String level) {
            return children == null ? null : children.get(level);
        }

        Node<M> childOrCreate(String level) {
            if (children == null) {
                children = new HashMap<>(4);
            }
            return children.computeIfAbsent(level, l -> new Node<>());
        }

        void removeChild(String level) {
            children.remove(level);
            if (children.isEmpty()) {
                children = null;
            }
        }

        boolean isEmpty() {
            return message == null && children == null;
        }

        void visit(BiConsumer<String, M> visitor) {
            if (message != null) {
                visitor.accept(topic, message);
            }
        }

        void pushChildren(ArrayDeque<Frame<M>> stack, int pos, boolean skipDollar) {
            if (children == null) {
                return;
            }
            for (Map.Entry<String, Node<M>> child : children.entrySet()) {
                if (!(skipDollar && child.getKey().startsWith("$"))) {
                    stack.push(new Frame<>(child.getValue(), pos));
                }
            }
        }
    }
}
