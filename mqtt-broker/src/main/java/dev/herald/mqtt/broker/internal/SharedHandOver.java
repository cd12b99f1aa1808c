package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How one session gives messages that came through shared subscriptions to other members of their
 * group: when its queue is full, when its client goes, and when it ends (MQTT 5.0 section 4.8.2).
 * Used by its SessionActor only; an acknowledgement a message carries goes with it.
 */
final class SharedHandOver {

    private final SessionMessages messages;
    private final RoutingTable routing;
    private final BrokerMetrics metrics;
    private final SessionLoad load;
    private final ActorRef<SessionActor.Command> self;

    SharedHandOver(
            SessionMessages messages,
            RoutingTable routing,
            BrokerMetrics metrics,
            SessionLoad load,
            ActorRef<SessionActor.Command> self) {
        this.messages = messages;
        this.routing = routing;
        this.metrics = metrics;
        this.load = load;
        this.self = self;
    }

    /**
     * A shared message that finds this queue full goes to a member whose queue has room, once; the
     * group drops it (and counts it) only when every member's queue is full.
     */
    boolean handOnOverflow(SessionActor.Deliver d) {
        if (d.overflowed()) {
            d.shared().stats().recordDropped();
            return false;
        }
        SharedGroup group = currentGroup(d.shared());
        SharedGroup.Member member = group.chooseWithQueueRoom(self);
        if (member == null) {
            group.stats().recordDropped();
            return false;
        }
        member.subscriber()
                .session()
                .tell(new SessionActor.Deliver(
                        d.message(),
                        member.subscriber().options().qos(),
                        member.subscriber().options().retainAsPublished(),
                        false,
                        member.subscriptionIds(),
                        group,
                        true,
                        d.stored())); // the member that takes it answers the acknowledgement
        return true;
    }

    /**
     * The client is gone: messages that came through a shared subscription and are queued, or QoS 1
     * and in flight, go to another member of their group instead of waiting for this one (MQTT 5.0
     * section 4.8.2). A QoS 2 message in flight stays: it must complete with this client. When the
     * session ends ({@code ending}), what no other member takes is dropped and counted.
     */
    void handOver(boolean ending) {
        long now = System.nanoTime();
        messages.removeInFlightIf(f -> f.shared() != null
                && f.publish().qos() == QoS.AT_LEAST_ONCE
                && redeliver(f.shared(), f.receivedNanos(), now, ending));
        messages.removeQueuedIf(q -> q.shared() != null && redeliver(q.shared(), q.receivedNanos(), now, ending));
        load.queueFull(messages.queueFull());
    }

    /** Returns whether the message left this session (taken by another member, expired or dropped). */
    boolean redeliver(SessionActor.Deliver d, long receivedNanos, long now, boolean ending) {
        Publish message = MessageExpiry.remaining(d.message(), receivedNanos, now);
        if (message == null) {
            metrics.recordExpiredDrop();
            SessionRecords.release(d.stored());
            return true;
        }
        SharedGroup group = currentGroup(d.shared());
        if (Router.deliverShared(group, message, "", self, d.stored())) {
            group.stats().recordRedelivered();
            return true;
        }
        return ending; // deliverShared released the acknowledgement (answered once)
    }

    /** The group as the routing snapshot has it now (members come and go), or as it was. */
    private SharedGroup currentGroup(SharedGroup was) {
        RouteEntry entry = routing.snapshot().get(was.filter(), was.key());
        return entry instanceof SharedGroup g ? g : was;
    }
}
