package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Subscription;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One client's subscription in the routing snapshot: the session a matching message goes to, the
 * subscription's options, its Subscription Identifier (0 when none was given), and the session's load
 * (whether it is kept in the store).
 */
record Subscriber(ActorRef<SessionActor.Command> session, Subscription options, int subscriptionId, SessionLoad load)
        implements RouteEntry {}
