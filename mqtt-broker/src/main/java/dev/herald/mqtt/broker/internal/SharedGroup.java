package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings.SharedStrategy;
import dev.herald.mqtt.broker.SharedGroupStats;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One shared subscription group on one filter, as the routing snapshot holds it: an immutable list of
 * members (the BrokerActor makes a new version on every change) and, shared by all versions, the
 * round-robin position and the group's counters. {@link #choose} runs on any connection's thread.
 */
final class SharedGroup implements RouteEntry {

    /** A member: its client, its subscription (and its identifier as a list), and its session's load. */
    record Member(String clientId, Subscriber subscriber, SessionLoad load, List<Integer> subscriptionIds) {
        Member(String clientId, Subscriber subscriber, SessionLoad load) {
            this(
                    clientId,
                    subscriber,
                    load,
                    subscriber.subscriptionId() > 0 ? List.of(subscriber.subscriptionId()) : List.of());
        }
    }

    private static final Member[] NONE = new Member[0];

    private final String name;
    private final String filter;
    private final SharedStrategy strategy;
    private final Member[] members;
    private final AtomicInteger next;
    private final SharedGroupStats stats;

    private SharedGroup(
            String name,
            String filter,
            SharedStrategy strategy,
            Member[] members,
            AtomicInteger next,
            SharedGroupStats stats) {
        this.name = name;
        this.filter = filter;
        this.strategy = strategy;
        this.members = members;
        this.next = next;
        this.stats = stats;
    }

    static SharedGroup empty(String name, String filter, SharedStrategy strategy, SharedGroupStats stats) {
        return new SharedGroup(name, filter, strategy, NONE, new AtomicInteger(), stats);
    }

    /**
     * A group of that name and filter with no members, as a message from another node names it: the
     * receiving session resolves the live group from its own routing snapshot. Its counters are its own
     * and go to no node's metrics.
     */
    static SharedGroup reference(String name, String filter) {
        return empty(name, filter, SharedStrategy.ROUND_ROBIN, new BrokerMetrics().sharedGroup(name, filter));
    }

    /** The key of a group in the routing snapshot: no client id holds U+0000 (MQTT-1.5.4-2). */
    static String key(String name) {
        return "\u0000" + name;
    }

    String key() {
        return key(name);
    }

    String name() {
        return name;
    }

    String filter() {
        return filter;
    }

    SharedGroupStats stats() {
        return stats;
    }

    int size() {
        return members.length;
    }

    /** This group with the client's member added, or replaced when it was one already. */
    SharedGroup with(Member member) {
        int at = indexOf(member.clientId());
        Member[] grown = at >= 0 ? members.clone() : Arrays.copyOf(members, members.length + 1);
        grown[at >= 0 ? at : members.length] = member;
        stats.members(grown.length);
        return new SharedGroup(name, filter, strategy, grown, next, stats);
    }

    /** This group without the client's member. */
    SharedGroup without(String clientId) {
        int at = indexOf(clientId);
        if (at < 0) {
            return this;
        }
        Member[] shrunk = new Member[members.length - 1];
        System.arraycopy(members, 0, shrunk, 0, at);
        System.arraycopy(members, at + 1, shrunk, at, members.length - at - 1);
        stats.members(shrunk.length);
        return new SharedGroup(name, filter, strategy, shrunk, next, stats);
    }

    /**
     * The member a message goes to: by the strategy among those attached with room in their window;
     * when none has room, one attached (whose queue has room, if any has); when none is attached, one
     * whose persistent session queues it.
     * Null when the group has no member but {@code excluded} (the session a message is taken from).
     * Each pick the strategy makes and finds busy counts as a turn, so round robin stays even over the
     * members that are available.
     */
    Member choose(String publisherClientId, ActorRef<SessionActor.Command> excluded) {
        int n = members.length;
        for (int attempt = 0; attempt < n; attempt++) {
            int at =
                    switch (strategy) {
                        case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), n);
                        case RANDOM -> ThreadLocalRandom.current().nextInt(n);
                        case STICKY -> Math.floorMod(publisherClientId.hashCode() + attempt, n);
                    };
            Member m = members[at];
            if (m.load().available() && !m.subscriber().session().equals(excluded)) {
                return m;
            }
        }
        // None available: spread from a moving start over the attached ones with queue room, then
        // the attached ones, then the offline ones with queue room, then any.
        int start = strategy == SharedStrategy.STICKY ? publisherClientId.hashCode() : next.getAndIncrement();
        Member[] tiers = new Member[4];
        for (int i = 0; i < n; i++) {
            Member m = members[Math.floorMod(start + i, n)];
            if (m.subscriber().session().equals(excluded)) {
                continue;
            }
            SessionLoad load = m.load();
            if (load.available()) {
                return m;
            }
            int tier = load.attached() ? (load.queueRoom() ? 0 : 1) : (load.queueRoom() ? 2 : 3);
            if (tiers[tier] == null) {
                tiers[tier] = m;
            }
        }
        for (Member m : tiers) {
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /** A member other than {@code excluded} whose queue has room, or null: where an overflowing member hands a message. */
    Member chooseWithQueueRoom(ActorRef<SessionActor.Command> excluded) {
        Member m = choose("", excluded);
        return m != null && m.load().queueRoom() ? m : null;
    }

    private int indexOf(String clientId) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].clientId().equals(clientId)) {
                return i;
            }
        }
        return -1;
    }
}
