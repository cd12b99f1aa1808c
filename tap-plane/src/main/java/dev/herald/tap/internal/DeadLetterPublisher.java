package dev.herald.tap.internal;

import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Topics;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.UserProperty;
import dev.herald.tap.DeadLetter;
import dev.herald.tap.TapMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each dead letter (QoS 0) to the dead-letter topic through an MQTT 5 connection of its own
 * into the broker ({@link BrokerContext#accept}), so it is authorized, routed and retained like any
 * client's message. The original payload is kept; user properties say which tap gave up, on what
 * topic, why and after how many tries. Used by the DeadLetterStore actor only; it connects again when
 * the broker closed the connection.
 */
public final class DeadLetterPublisher implements Consumer<DeadLetter> {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    /** Packets waiting to be written into the internal connection; beyond that they are dropped and logged. */
    private static final int QUEUE = 256;

    private final BrokerContext broker;
    private final String topic;
    private final String clientId;
    private BoundedSourceQueue<ByteString> queue;
    private AtomicBoolean open = new AtomicBoolean(false);

    public DeadLetterPublisher(BrokerContext broker, String topic, String clientId) {
        String problem = topic.isEmpty() ? "empty topic" : Topics.topicNameProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException("herald.taps.dead-letters.topic '" + topic + "': " + problem);
        }
        this.broker = broker;
        this.topic = topic;
        this.clientId = clientId;
    }

    @Override
    public void accept(DeadLetter letter) {
        if (!open.get()) {
            connect();
        }
        QueueOfferResult result = queue.offer(MqttEncoder.encode(publish(letter), MqttVersion.V5));
        if (result != QueueOfferResult.enqueued()) {
            LOG.warn("Dead letter {} not published to '{}': {}", letter.id(), topic, result);
        }
    }

    private void connect() {
        Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> source =
                Source.<ByteString>queue(QUEUE).preMaterialize(broker.system());
        AtomicBoolean connected = new AtomicBoolean(true);
        Sink<ByteString, NotUsed> fromBroker = Sink.<ByteString>onComplete(done -> connected.set(false))
                .mapMaterializedValue(done -> NotUsed.getInstance());
        queue = source.first();
        open = connected;
        broker.accept(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Flow.fromSinkAndSourceCoupled(fromBroker, source.second()));
        queue.offer(MqttEncoder.encode(
                new Connect(MqttVersion.V5, true, 0, clientId, Properties.EMPTY, null, null, null), MqttVersion.V5));
    }

    private Publish publish(DeadLetter letter) {
        TapMessage message = letter.message();
        Properties.Builder properties = Properties.builder();
        if (message.contentType() != null) {
            properties.add(MqttProperty.CONTENT_TYPE, message.contentType());
        }
        for (UserProperty p : message.userProperties()) {
            properties.add(MqttProperty.USER_PROPERTY, p);
        }
        properties
                .userProperty("herald-tap-route", letter.route())
                .userProperty("herald-tap-topic", message.topic())
                .userProperty("herald-tap-publisher", message.publisherId())
                .userProperty("herald-tap-reason", letter.reason())
                .userProperty("herald-tap-attempts", Integer.toString(letter.attempts()));
        return new Publish(topic, QoS.AT_MOST_ONCE, false, false, 0, properties.build(), message.payload());
    }
}
