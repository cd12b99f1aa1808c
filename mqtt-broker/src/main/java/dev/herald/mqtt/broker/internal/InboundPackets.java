package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.Ending;
import dev.herald.mqtt.codec.internal.Utf8;
import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PingResp;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SharedFilter;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Topics;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.Unsubscribe;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/** What a connected client's packets do (MQTT 5.0 chapters 3 and 4), one handler per packet type. */
final class InboundPackets {

    private final ConnectedClient c;
    private final BrokerSettings settings;
    private final boolean v5;

    InboundPackets(ConnectedClient client) {
        this.c = client;
        this.settings = client.ctx.settings();
        this.v5 = client.connect.version() == MqttVersion.V5;
    }

    Behavior<Command> handle(MqttPacket packet) {
        if (packet instanceof Publish p) {
            return onPublish(p);
        } else if (packet instanceof PubAck || packet instanceof PubRec || packet instanceof PubComp) {
            if (c.session != null) { // without a session nothing was sent that could be acknowledged
                c.session.tell(new SessionActor.Acked(packet));
            }
            return c;
        } else if (packet instanceof PubRel r) {
            return onPubRel(r);
        } else if (packet instanceof Subscribe s) {
            return onSubscribe(s);
        } else if (packet instanceof Unsubscribe u) {
            c.askBroker(
                    u.packetId(),
                    new BrokerActor.Unsubscribe(
                            c.decision.clientId(),
                            u.packetId(),
                            u.filters(),
                            c.getContext().getSelf()));
            return c;
        } else if (packet instanceof PingReq) {
            return c.write(PingResp.INSTANCE);
        } else if (packet instanceof Disconnect d) {
            return onDisconnect(d);
        } else if (packet instanceof Auth a && v5) {
            return c.onAuth(a);
        }
        // A second CONNECT, AUTH without an authentication method, or a packet only a server sends.
        return protocolError(packet.type() + " is not allowed from a connected client");
    }

    private Behavior<Command> onPublish(Publish received) {
        c.ctx.metrics().recordMessageReceived(received.qos());
        Properties props = received.properties();
        if (props.has(MqttProperty.SUBSCRIPTION_IDENTIFIER)) {
            return protocolError("PUBLISH from a client carries a subscription identifier"); // MQTT-3.3.4-6
        }
        Publish p = received;
        if (props.has(MqttProperty.TOPIC_ALIAS)) {
            int alias = props.intValue(MqttProperty.TOPIC_ALIAS, 0);
            if (alias == 0 || alias > settings.topicAliasMaximum()) {
                return refuse(
                        DisconnectReasonCode.TOPIC_ALIAS_INVALID,
                        "topic alias " + alias + " outside 1.." + settings.topicAliasMaximum());
            }
            p = c.topicAliases.resolve(received, alias);
            if (p == null) {
                return protocolError("topic alias " + alias + " used before it was set"); // MQTT 5.0 3.3.2.3.4
            }
        }
        if (p.qos().value() > settings.maximumQos().value()) {
            return refuse(
                    DisconnectReasonCode.QOS_NOT_SUPPORTED, "QoS " + p.qos().value() + " above Maximum QoS");
        }
        if (p.retain() && !settings.retainAvailable()) {
            return refuse(DisconnectReasonCode.RETAIN_NOT_SUPPORTED, "retain is not available");
        }
        if (!settings.topicWithinLimits(p.topic())) {
            return refusePublish(
                    p,
                    PubAckReasonCode.TOPIC_NAME_INVALID,
                    DisconnectReasonCode.TOPIC_NAME_INVALID,
                    "topic over the configured length or levels");
        }
        if (SysTopics.isSysTopic(p.topic())) {
            // The broker's own state: MQTT 5.0 section 4.7.2 says the server SHOULD keep clients from
            // exchanging messages on '$' topics; the name is well formed but not accepted (0x90).
            c.ctx.metrics().recordNotAuthorizedDrop();
            c.getContext()
                    .getLog()
                    .info("Refused PUBLISH of '{}' to '{}': $SYS is the broker's", c.decision.clientId(), p.topic());
            return dropPublish(p, PubAckReasonCode.TOPIC_NAME_INVALID, "$SYS topics are published by the broker only");
        }
        if (p.qos() == QoS.EXACTLY_ONCE && c.inboundQos2.contains(p.packetId())) {
            // A resend: already routed once (MQTT 5.0 4.3.3); its PUBREC keeps its place behind held ones.
            return acknowledge(p, PubAckReasonCode.SUCCESS, null);
        }
        if (!c.permissions.mayPublish(p.topic())) {
            c.ctx.metrics().recordNotAuthorizedDrop();
            c.getContext()
                    .getLog()
                    .info(
                            "Denied PUBLISH of '{}' (user '{}') to '{}'",
                            c.decision.clientId(),
                            c.identity.username(),
                            p.topic());
            return dropPublish(p, PubAckReasonCode.NOT_AUTHORIZED, "not authorized");
        }
        if (p.properties().intValue(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 0) == 1 && !Utf8.isWellFormed(p.payload())) {
            return refusePublish(
                    p,
                    PubAckReasonCode.PAYLOAD_FORMAT_INVALID,
                    DisconnectReasonCode.PAYLOAD_FORMAT_INVALID,
                    "payload is not UTF-8 though its Payload Format Indicator says so");
        }
        if (c.rateLimit != null) {
            long now = System.nanoTime();
            if (v5 && !c.rateLimit.tryAcquire(now)) {
                c.ctx.metrics().recordRateLimitedDrop();
                return refuse(
                        DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH,
                        "more than " + settings.maxPublishRate() + " PUBLISH a second");
            } else if (!v5) {
                c.readDelayNanos = c.rateLimit.acquireOrWait(now);
            }
        }
        long quota = settings.maxQueuedMessagesTotal();
        if (quota > 0 && c.ctx.metrics().queuedMessages() >= quota) {
            c.ctx.metrics().recordQuotaDrop();
            c.quotaLog().happened(c.decision.clientId());
            return dropPublish(p, PubAckReasonCode.QUOTA_EXCEEDED, "quota exceeded");
        }
        // With sync durability the PUBACK/PUBREC waits for every store the message makes (ack.expected).
        DurableAck ack = c.syncAcks && p.qos() != QoS.AT_MOST_ONCE
                ? c.pendingAcks.begin(c.getContext().getSelf())
                : null;
        if (p.qos() == QoS.EXACTLY_ONCE) {
            if (c.inboundQos2.size() >= settings.receiveMaximum()) {
                return refuse(
                        DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more QoS 2 in flight than Receive Maximum");
            }
            c.inboundQos2.add(p.packetId());
            if (c.session != null) { // a clean session without an actor: the connection's own set is enough
                c.session.tell(new SessionActor.InboundQos2(p.packetId(), false, ack == null ? null : ack.expect()));
            }
        }
        int routed = route(p, ack);
        PubAckReasonCode reason =
                routed == 0 && v5 ? PubAckReasonCode.NO_MATCHING_SUBSCRIBERS : PubAckReasonCode.SUCCESS;
        return p.qos() == QoS.AT_MOST_ONCE ? c : acknowledge(p, reason, null, ack);
    }

    /**
     * A PUBLISH that is not routed but does not end the connection: MQTT 5 QoS 1/2 get the reason
     * code; QoS 0 has no answer; 3.1.1 has no codes, so QoS 1/2 get a normal acknowledgement
     * (MQTT-3.3.5-2 allows it).
     */
    private Behavior<Command> dropPublish(Publish p, PubAckReasonCode code, String reason) {
        if (p.qos() == QoS.AT_MOST_ONCE) {
            return c;
        }
        return acknowledge(p, v5 ? code : PubAckReasonCode.SUCCESS, reason);
    }

    /** A PUBLISH in error: MQTT 5 QoS 1/2 get the reason code, anything else ends the connection. */
    private Behavior<Command> refusePublish(
            Publish p, PubAckReasonCode ackCode, DisconnectReasonCode disconnectCode, String reason) {
        if (v5 && p.qos() != QoS.AT_MOST_ONCE) {
            c.getContext()
                    .getLog()
                    .info("Refused PUBLISH of '{}' to '{}': {}", c.decision.clientId(), p.topic(), reason);
            return acknowledge(p, ackCode, reason);
        }
        return refuse(disconnectCode, reason);
    }

    private int route(Publish p, DurableAck ack) {
        Publish message = p.dup()
                ? new Publish(p.topic(), p.qos(), p.retain(), false, p.packetId(), p.properties(), p.payload())
                : p;
        if (p.retain()) {
            c.ctx.broker().tell(new BrokerActor.Retain(message, ack == null ? null : ack.expect()));
        }
        RoutingTable routing = c.ctx.routing();
        int routed = Router.route(routing.snapshot(), routing.nodes(), message, c.decision.clientId(), ack);
        c.ctx.extensions().listener().published(c.decision.clientId(), message);
        return routed;
    }

    private Behavior<Command> acknowledge(Publish p, PubAckReasonCode reason, String text) {
        return acknowledge(p, reason, text, null);
    }

    /**
     * PUBACK or PUBREC, held back while what it promises is not yet on disk or an earlier one waits
     * (sync durability); a Reason String goes with an error when the client asked for problem information.
     */
    private Behavior<Command> acknowledge(Publish p, PubAckReasonCode reason, String text, DurableAck ack) {
        if (c.pendingAcks.mustWait(ack)) {
            c.pendingAcks.hold(p, reason, text, ack);
            c.checkHeldAcks();
            return c;
        }
        return send(p, reason, text);
    }

    private Behavior<Command> send(Publish p, PubAckReasonCode reason, String text) {
        Properties props = text != null && reason.isError() ? c.problemProperties(text) : Properties.EMPTY;
        return c.write(
                p.qos() == QoS.AT_LEAST_ONCE
                        ? new PubAck(p.packetId(), reason, props)
                        : new PubRec(p.packetId(), reason, props));
    }

    /** A store an acknowledgement waited for is done: what may leave now leaves, in order. */
    Behavior<Command> onStored(ConnectionActor.Stored stored) {
        return release(c.pendingAcks.stored(stored.id(), stored.stored()));
    }

    /**
     * Acknowledgements held for {@code herald.mqtt.cluster.acknowledgement-timeout} wait for a node that
     * is gone (or unreachable): they leave, with a log line.
     */
    Behavior<Command> onAckCheck() {
        Duration timeout = settings.clusterAckTimeout();
        List<PendingAcks.Ready> overdue = c.pendingAcks.overdue(System.nanoTime(), timeout.toNanos());
        if (!overdue.isEmpty()) {
            c.getContext()
                    .getLog()
                    .info(
                            "{} acknowledgements of '{}' waited {} for another node: sent",
                            overdue.size(),
                            c.decision.clientId(),
                            timeout);
        }
        return release(overdue);
    }

    private Behavior<Command> release(List<PendingAcks.Ready> released) {
        Behavior<Command> next = c;
        for (PendingAcks.Ready ready : released) {
            if (next != c) {
                break; // the connection ended
            } else if (ready.stored()) {
                next = send(ready.publish(), ready.reason(), ready.text());
            } else if (v5) {
                next = send(ready.publish(), PubAckReasonCode.UNSPECIFIED_ERROR, "the broker could not store it");
            } else { // 3.1.1 cannot refuse: closing makes the client send it again (MQTT-4.4.0-1)
                next = refuse(DisconnectReasonCode.UNSPECIFIED_ERROR, "the broker could not store a message");
            }
        }
        return next;
    }

    private Behavior<Command> onPubRel(PubRel r) {
        boolean known = c.inboundQos2.remove(r.packetId());
        if (known && c.session != null) {
            c.session.tell(new SessionActor.InboundQos2(r.packetId(), true, null));
        }
        PubRelReasonCode reason =
                known || !v5 ? PubRelReasonCode.SUCCESS : PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        return c.write(new PubComp(r.packetId(), reason, Properties.EMPTY));
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        List<BrokerActor.Requested> requested =
                new ArrayList<>(s.subscriptions().size());
        int subscriptionId = s.properties().intValue(MqttProperty.SUBSCRIPTION_IDENTIFIER, 0);
        if (subscriptionId > 0 && !settings.subscriptionIdentifiers()) {
            return refuse(
                    DisconnectReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    "subscription identifiers are not available"); // MQTT 5.0 section 3.2.2.3.12
        }
        for (Subscription sub : s.subscriptions()) {
            String filter = sub.filter();
            SubAckReasonCode refusal = null;
            if (SharedFilter.isShared(filter)) {
                SharedFilter shared = SharedFilter.parse(filter);
                if (!settings.sharedSubscriptions()) {
                    if (v5) {
                        return refuse(
                                DisconnectReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                                "shared subscriptions are not available"); // MQTT 5.0 section 3.2.2.3.13
                    }
                    refusal = SubAckReasonCode.UNSPECIFIED_ERROR;
                } else if (shared == null) {
                    refusal = SubAckReasonCode.TOPIC_FILTER_INVALID;
                } else if (sub.noLocal()) {
                    return protocolError("No Local on a shared subscription"); // MQTT-3.8.3-4
                } else {
                    filter = shared.filter();
                }
            }
            if (refusal == null && !settings.topicWithinLimits(sub.filter())) {
                refusal = SubAckReasonCode.TOPIC_FILTER_INVALID;
            }
            if (refusal == null && !settings.wildcardSubscriptions() && Topics.hasWildcard(filter)) {
                if (v5) {
                    return refuse(
                            DisconnectReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                            "wildcard subscriptions are not available"); // MQTT 5.0 section 3.2.2.3.11
                }
                refusal = SubAckReasonCode.UNSPECIFIED_ERROR;
            }
            if (refusal == null && !c.permissions.maySubscribe(filter)) {
                c.getContext()
                        .getLog()
                        .info(
                                "Denied SUBSCRIBE of '{}' (user '{}') to '{}'",
                                c.decision.clientId(),
                                c.identity.username(),
                                sub.filter());
                refusal = SubAckReasonCode.NOT_AUTHORIZED;
            }
            QoS granted = QoS.min(sub.qos(), settings.maximumQos());
            Subscription options = new Subscription(
                    sub.filter(), granted, sub.noLocal(), sub.retainAsPublished(), sub.retainHandling());
            requested.add(new BrokerActor.Requested(options, refusal));
        }
        c.askBroker(
                s.packetId(),
                new BrokerActor.Subscribe(
                        c.decision.clientId(),
                        c.session,
                        c.session == null ? c.attachment() : null,
                        s.packetId(),
                        subscriptionId,
                        requested,
                        c.getContext().getSelf()));
        return c;
    }

    private Behavior<Command> onDisconnect(Disconnect d) {
        long requested = d.properties().longValue(MqttProperty.SESSION_EXPIRY_INTERVAL, -1);
        if (requested >= 0) {
            if (c.sessionExpiry == 0 && requested > 0) {
                return protocolError("session expiry set on DISCONNECT after 0 on CONNECT"); // MQTT-3.14.2-2
            }
            c.sessionExpiry = Math.min(requested, settings.maxSessionExpiry());
        }
        return c.end(Ending.byClient(d.reasonCode()));
    }

    /**
     * A packet a filter rejected (see PacketFilter for what each gets); a code the answer cannot
     * carry becomes 0x83 Implementation specific error.
     */
    Behavior<Command> rejected(MqttPacket packet, int code, String reason) {
        c.getContext().getLog().debug("Filter rejected {} of '{}': {}", packet.type(), c.decision.clientId(), reason);
        if (packet instanceof Publish p) {
            c.ctx.metrics().recordFilteredDrop();
            PubAckReasonCode ack = PubAckReasonCode.of(code);
            return dropPublish(
                    p, ack != null && ack.isError() ? ack : PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, reason);
        }
        if (packet instanceof Subscribe s) {
            SubAckReasonCode refusal = SubAckReasonCode.of(code);
            if (!v5 || refusal == null || !refusal.isError()) {
                refusal = v5 ? SubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR : SubAckReasonCode.UNSPECIFIED_ERROR;
            }
            List<SubAckReasonCode> codes =
                    java.util.Collections.nCopies(s.subscriptions().size(), refusal);
            return c.write(new SubAck(s.packetId(), v5 ? c.problemProperties(reason) : Properties.EMPTY, codes));
        }
        if (packet instanceof Unsubscribe u && v5) {
            UnsubAckReasonCode refusal = UnsubAckReasonCode.of(code);
            if (refusal == null || !refusal.isError()) {
                refusal = UnsubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            }
            return c.write(new UnsubAck(
                    u.packetId(),
                    c.problemProperties(reason),
                    java.util.Collections.nCopies(u.filters().size(), refusal)));
        }
        DisconnectReasonCode disconnect = DisconnectReasonCode.of(code);
        return refuse(
                disconnect != null && disconnect.code() >= 0x80
                        ? disconnect
                        : DisconnectReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                reason);
    }

    private Behavior<Command> refuse(DisconnectReasonCode code, String reason) {
        c.ctx.metrics().recordProtocolError();
        return c.end(Ending.byServer(code, reason));
    }

    private Behavior<Command> protocolError(String reason) {
        c.ctx.metrics().recordProtocolError();
        return c.end(Ending.protocolError(reason));
    }
}
