package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.Ending;
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
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Unsubscribe;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
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
            c.session.tell(new SessionActor.Acked(packet));
            return c;
        } else if (packet instanceof PubRel r) {
            return onPubRel(r);
        } else if (packet instanceof Subscribe s) {
            return onSubscribe(s);
        } else if (packet instanceof Unsubscribe u) {
            c.ctx.broker()
                    .tell(new BrokerActor.Unsubscribe(
                            c.decision.clientId(),
                            u.packetId(),
                            u.filters(),
                            c.getContext().getSelf()));
            return c;
        } else if (packet instanceof PingReq) {
            return c.write(PingResp.INSTANCE);
        } else if (packet instanceof Disconnect d) {
            return onDisconnect(d);
        }
        // A second CONNECT, AUTH without an authentication method, or a packet only a server sends.
        return protocolError(packet.type() + " is not allowed from a connected client");
    }

    private Behavior<Command> onPublish(Publish p) {
        c.ctx.metrics().recordMessageReceived();
        if (p.properties().has(MqttProperty.TOPIC_ALIAS)) {
            // Topic Alias Maximum is 0 (not offered in CONNACK), so any alias is invalid (3.3.2.3.4).
            return refuse(DisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic alias not allowed");
        }
        if (p.properties().has(MqttProperty.SUBSCRIPTION_IDENTIFIER)) {
            return protocolError("PUBLISH from a client carries a subscription identifier"); // MQTT-3.3.4-6
        }
        if (p.qos().value() > settings.maximumQos().value()) {
            return refuse(
                    DisconnectReasonCode.QOS_NOT_SUPPORTED, "QoS " + p.qos().value() + " above Maximum QoS");
        }
        if (p.retain() && !settings.retainAvailable()) {
            return refuse(DisconnectReasonCode.RETAIN_NOT_SUPPORTED, "retain is not available");
        }
        if (!withinLimits(p.topic())) {
            if (v5 && p.qos() != QoS.AT_MOST_ONCE) {
                c.getContext()
                        .getLog()
                        .info(
                                "Refused PUBLISH of '{}': topic over the configured length or levels",
                                c.decision.clientId());
                return acknowledge(p, PubAckReasonCode.TOPIC_NAME_INVALID);
            }
            return refuse(DisconnectReasonCode.TOPIC_NAME_INVALID, "topic name over the configured limits");
        }
        if (p.qos() == QoS.EXACTLY_ONCE) {
            if (c.inboundQos2.contains(p.packetId())) {
                return c.write(new PubRec(p.packetId())); // a resend: already routed once (MQTT 5.0 4.3.3)
            }
            if (c.inboundQos2.size() >= settings.receiveMaximum()) {
                return refuse(
                        DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more QoS 2 in flight than Receive Maximum");
            }
            c.inboundQos2.add(p.packetId());
            c.session.tell(new SessionActor.InboundQos2(p.packetId(), false));
        }
        int routed = route(p);
        PubAckReasonCode reason =
                routed == 0 && v5 ? PubAckReasonCode.NO_MATCHING_SUBSCRIBERS : PubAckReasonCode.SUCCESS;
        return p.qos() == QoS.AT_MOST_ONCE ? c : acknowledge(p, reason);
    }

    private int route(Publish p) {
        Publish message = p.dup()
                ? new Publish(p.topic(), p.qos(), p.retain(), false, p.packetId(), p.properties(), p.payload())
                : p;
        if (p.retain()) {
            c.ctx.broker().tell(new BrokerActor.Retain(message));
        }
        return Router.route(c.ctx.routing().snapshot(), message, c.decision.clientId());
    }

    private Behavior<Command> acknowledge(Publish p, PubAckReasonCode reason) {
        return c.write(
                p.qos() == QoS.AT_LEAST_ONCE
                        ? new PubAck(p.packetId(), reason, Properties.EMPTY)
                        : new PubRec(p.packetId(), reason, Properties.EMPTY));
    }

    private Behavior<Command> onPubRel(PubRel r) {
        boolean known = c.inboundQos2.remove(r.packetId());
        if (known) {
            c.session.tell(new SessionActor.InboundQos2(r.packetId(), true));
        }
        PubRelReasonCode reason =
                known || !v5 ? PubRelReasonCode.SUCCESS : PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        return c.write(new PubComp(r.packetId(), reason, Properties.EMPTY));
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        List<BrokerActor.Requested> requested =
                new ArrayList<>(s.subscriptions().size());
        int subscriptionId = s.properties().intValue(MqttProperty.SUBSCRIPTION_IDENTIFIER, 0);
        for (Subscription sub : s.subscriptions()) {
            SubAckReasonCode refusal = null;
            if (!withinLimits(sub.filter())) {
                refusal = SubAckReasonCode.TOPIC_FILTER_INVALID;
            } else if (sub.filter().startsWith("$share/")) {
                refusal = SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
            }
            QoS granted = QoS.min(sub.qos(), settings.maximumQos());
            Subscription options = new Subscription(
                    sub.filter(), granted, sub.noLocal(), sub.retainAsPublished(), sub.retainHandling());
            requested.add(new BrokerActor.Requested(options, refusal));
        }
        c.ctx.broker()
                .tell(new BrokerActor.Subscribe(
                        c.decision.clientId(),
                        c.session,
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

    private boolean withinLimits(String topic) {
        if (topic.length() > settings.maxTopicLength()) {
            return false;
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/' && ++levels > settings.maxTopicLevels()) {
                return false;
            }
        }
        return true;
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
