package dev.herald.mqtt.codec;

import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PingResp;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.Unsubscribe;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.AuthReasonCode;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.pekko.util.ByteString;

/**
 * Random valid packets of every type for one protocol version: 3.1.1 packets carry no properties, no
 * AUTH, no MQTT 5 reason codes and no MQTT 5 subscription options, so that each decodes back equal.
 */
final class RandomPackets {

    private static final ConnectReasonCode[] V3_CONNACK = {
        ConnectReasonCode.SUCCESS,
        ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
        ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
        ConnectReasonCode.SERVER_UNAVAILABLE,
        ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD,
        ConnectReasonCode.NOT_AUTHORIZED
    };
    private static final SubAckReasonCode[] V3_SUBACK = {
        SubAckReasonCode.GRANTED_QOS_0,
        SubAckReasonCode.GRANTED_QOS_1,
        SubAckReasonCode.GRANTED_QOS_2,
        SubAckReasonCode.UNSPECIFIED_ERROR
    };

    private final Random random;
    private final RandomText text;
    private final RandomProperties properties;
    private final MqttVersion version;
    private final boolean v5;

    RandomPackets(long seed, MqttVersion version) {
        this.random = new Random(seed);
        this.text = new RandomText(random);
        this.properties = new RandomProperties(random, text);
        this.version = version;
        this.v5 = version == MqttVersion.V5;
    }

    /** The packet types this version has. */
    static List<PacketType> types(MqttVersion version) {
        List<PacketType> types = new ArrayList<>();
        for (PacketType type : PacketType.values()) {
            if (type != PacketType.RESERVED && (type != PacketType.AUTH || version == MqttVersion.V5)) {
                types.add(type);
            }
        }
        return types;
    }

    MqttPacket any() {
        List<PacketType> types = types(version);
        return next(types.get(random.nextInt(types.size())));
    }

    MqttPacket next(PacketType type) {
        return switch (type) {
            case CONNECT -> connect();
            case CONNACK ->
                v5
                        ? new ConnAck(
                                random.nextBoolean(), pick(ConnectReasonCode.values()), props(PropertyScope.CONNACK))
                        : new ConnAck(random.nextBoolean(), pick(V3_CONNACK), Properties.EMPTY);
            case PUBLISH -> publish();
            case PUBACK -> new PubAck(packetId(), pubAckCode(), props(PropertyScope.PUBACK));
            case PUBREC -> new PubRec(packetId(), pubAckCode(), props(PropertyScope.PUBREC));
            case PUBREL -> new PubRel(packetId(), pubRelCode(), props(PropertyScope.PUBREL));
            case PUBCOMP -> new PubComp(packetId(), pubRelCode(), props(PropertyScope.PUBCOMP));
            case SUBSCRIBE -> subscribe();
            case SUBACK ->
                new SubAck(
                        packetId(),
                        props(PropertyScope.SUBACK),
                        list(() -> v5 ? pick(SubAckReasonCode.values()) : pick(V3_SUBACK)));
            case UNSUBSCRIBE -> new Unsubscribe(packetId(), props(PropertyScope.UNSUBSCRIBE), list(text::topicFilter));
            case UNSUBACK ->
                v5
                        ? new UnsubAck(
                                packetId(),
                                props(PropertyScope.UNSUBACK),
                                list(() -> pick(UnsubAckReasonCode.values())))
                        : new UnsubAck(packetId(), Properties.EMPTY, List.of());
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT ->
                v5
                        ? new Disconnect(pick(DisconnectReasonCode.values()), props(PropertyScope.DISCONNECT))
                        : Disconnect.NORMAL;
            case AUTH -> auth();
            case RESERVED -> throw new IllegalArgumentException("no packet has type 0");
        };
    }

    private Connect connect() {
        Will will = random.nextBoolean()
                ? null
                : new Will(
                        text.topicName(),
                        text.bytes(random.nextInt(8) == 0 ? 2048 : 32),
                        pick(QoS.values()),
                        random.nextBoolean(),
                        props(PropertyScope.WILL));
        String userName = random.nextBoolean() ? text.text(10) : null;
        // 3.1.1 [MQTT-3.1.2-22]: no password without a user name
        ByteString password = random.nextBoolean() && (v5 || userName != null) ? text.bytes(16) : null;
        return new Connect(
                version,
                random.nextBoolean(),
                random.nextInt(0x10000),
                text.text(23),
                props(PropertyScope.CONNECT),
                will,
                userName,
                password);
    }

    private Publish publish() {
        QoS qos = pick(QoS.values());
        Properties props = props(PropertyScope.PUBLISH);
        boolean alias = props.has(MqttProperty.TOPIC_ALIAS) && random.nextBoolean();
        int size = random.nextInt(10);
        ByteString payload = size == 0 ? ByteString.emptyByteString() : text.bytes(size < 8 ? 64 : 4096);
        return new Publish(
                alias ? "" : text.topicName(),
                qos,
                random.nextBoolean(),
                qos != QoS.AT_MOST_ONCE && random.nextBoolean(),
                qos == QoS.AT_MOST_ONCE ? 0 : packetId(),
                props,
                payload);
    }

    private Subscribe subscribe() {
        Properties props = props(PropertyScope.SUBSCRIBE); // at most one Subscription Identifier
        List<Subscription> subscriptions = list(() -> v5
                ? new Subscription(
                        text.topicFilter(),
                        pick(QoS.values()),
                        random.nextBoolean(),
                        random.nextBoolean(),
                        pick(RetainHandling.values()))
                : new Subscription(text.topicFilter(), pick(QoS.values())));
        return new Subscribe(packetId(), props, subscriptions);
    }

    private Auth auth() {
        AuthReasonCode reason = pick(AuthReasonCode.values());
        if (reason == AuthReasonCode.SUCCESS && random.nextInt(3) == 0) {
            return new Auth(reason, Properties.EMPTY);
        }
        // Every other AUTH names its method (MQTT 5.0 section 3.15.2.2.2)
        Properties props = props(PropertyScope.AUTH);
        if (!props.has(MqttProperty.AUTHENTICATION_METHOD)) {
            props = props.toBuilder()
                    .add(MqttProperty.AUTHENTICATION_METHOD, text.text(10))
                    .build();
        }
        return new Auth(reason, props);
    }

    private Properties props(PropertyScope scope) {
        return v5 ? properties.of(scope) : Properties.EMPTY;
    }

    private PubAckReasonCode pubAckCode() {
        return v5 ? pick(PubAckReasonCode.values()) : PubAckReasonCode.SUCCESS;
    }

    private PubRelReasonCode pubRelCode() {
        return v5 ? pick(PubRelReasonCode.values()) : PubRelReasonCode.SUCCESS;
    }

    private int packetId() {
        return 1 + random.nextInt(0xFFFF);
    }

    private <T> List<T> list(Supplier<T> element) {
        int n = 1 + random.nextInt(5);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.get());
        }
        return out;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
