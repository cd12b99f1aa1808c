package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Subscription;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One client's subscription in the routing snapshot: the session a matching message goes to, the
 * subscription's options, and its Subscription Identifier (0 when none was given).
 */
record Subscriber(ActorRef<SessionActor.Command> session, Subscription options, int subscriptionId)
        implements RouteEntry {}
