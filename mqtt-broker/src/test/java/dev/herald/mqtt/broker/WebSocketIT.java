package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.awaitServerDisconnect;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.broker.websocket.MqttWebSocketBinding;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6): real clients on ws://127.0.0.1:port/mqtt talk with
 * clients on the TCP listener through the same broker; packets may span frames and frames may hold
 * several packets; a text frame closes only that connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class WebSocketIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt.websocket { enabled = true, port = 0 }");

    private int wsPort() {
        return broker.broker().boundAddresses(MqttWebSocketBinding.NAME).get(0).getPort();
    }

    private Mqtt5BlockingClient wsV5(String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(wsPort())
                .webSocketConfig()
                .serverPath("mqtt")
                .subprotocol("mqtt")
                .applyWebSocketConfig()
                .buildBlocking();
        client.connect();
        return client;
    }

    @Test
    void webSocketAndTcpClientsShareOneBroker() {
        Mqtt5BlockingClient wsSubscriber = wsV5("ws-sub");
        Mqtt5BlockingClient tcpSubscriber = connectV5(broker.port(), "tcp-sub");
        Mqtt5BlockingClient wsPublisher = wsV5("ws-pub");
        try {
            Queue<Mqtt5Publish> overWs = collect(wsSubscriber);
            Queue<Mqtt5Publish> overTcp = collect(tcpSubscriber);
            subscribe(wsSubscriber, "ws/#", MqttQos.EXACTLY_ONCE);
            subscribe(tcpSubscriber, "ws/#", MqttQos.AT_LEAST_ONCE);

            for (int i = 0; i < 200; i++) {
                wsPublisher
                        .publishWith()
                        .topic("ws/" + (i % 3))
                        .qos(MqttQos.values()[i % 3])
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .send();
            }
            awaitCount(overWs, 200);
            awaitCount(overTcp, 200);
            List<String> inOrder = new ArrayList<>();
            overWs.forEach(p -> inOrder.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            assertThat(inOrder).first().isEqualTo("m0");
            assertThat(inOrder).last().isEqualTo("m199");
            assertThat(broker.broker().metrics().sessions()).isGreaterThanOrEqualTo(3);
        } finally {
            disconnectQuietly(wsSubscriber);
            disconnectQuietly(tcpSubscriber);
            disconnectQuietly(wsPublisher);
        }
    }

    @Test
    void aLargeMessageCrossesTheWebSocketBothWays() {
        Mqtt5BlockingClient ws = wsV5("ws-large");
        try {
            Queue<Mqtt5Publish> received = collect(ws);
            subscribe(ws, "large", MqttQos.AT_LEAST_ONCE);
            byte[] payload = new byte[300_000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
            ws.publishWith()
                    .topic("large")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .send();
            awaitCount(received, 1);
            assertThat(received.peek().getPayloadAsBytes()).isEqualTo(payload);
        } finally {
            disconnectQuietly(ws);
        }
    }

    @Test
    void mqtt311ClientsConnectOverWebSocketToo() {
        Mqtt3BlockingClient ws = Mqtt3Client.builder()
                .identifier("ws-v3")
                .serverHost("127.0.0.1")
                .serverPort(wsPort())
                .webSocketConfig()
                .serverPath("mqtt")
                .applyWebSocketConfig()
                .buildBlocking();
        ws.connect();
        try {
            Queue<String> received = new ConcurrentLinkedQueue<>();
            ws.toAsync()
                    .subscribeWith()
                    .topicFilter("v3/ws")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send()
                    .join();
            ws.publishWith()
                    .topic("v3/ws")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("hello".getBytes(StandardCharsets.UTF_8))
                    .send();
            await().atMost(WAIT).until(() -> received.contains("hello"));
        } finally {
            ws.disconnect();
        }
    }

    /** A raw java.net.http WebSocket that collects what the broker sends and how it closes. */
    private static class RawWs implements WebSocket.Listener {
        final ByteStringBuffer received = new ByteStringBuffer();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            received.add(data);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }

    private static final class ByteStringBuffer {
        private volatile ByteString bytes = ByteString.emptyByteString();

        synchronized void add(ByteBuffer data) {
            bytes = bytes.concat(ByteString.fromByteBuffer(data));
        }

        ByteString get() {
            return bytes;
        }
    }

    private WebSocket open(RawWs listener) throws Exception {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + wsPort() + "/mqtt"), listener)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static byte[] connectPacket(String clientId) {
        return MqttEncoder.encode(
                        new Connect(MqttVersion.V5, true, 30, clientId, Properties.EMPTY, null, null, null),
                        MqttVersion.V5)
                .toArray();
    }

    @Test
    void thePacketMaySpanFramesAndTheServerSelectsTheMqttSubprotocol() throws Exception {
        RawWs listener = new RawWs();
        WebSocket ws = open(listener);
        assertThat(ws.getSubprotocol()).isEqualTo("mqtt"); // MQTT-6.0.0-4
        byte[] connect = connectPacket("ws-split");
        // One CONNECT in three binary frames (MQTT-6.0.0-2).
        ws.sendBinary(ByteBuffer.wrap(connect, 0, 2), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(connect, 2, 5), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(connect, 7, connect.length - 7), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.received.get().size() >= 2);
        assertThat(listener.received.get().head() & 0xff).as("CONNACK").isEqualTo(0x20);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aTextFrameClosesOnlyThatConnection() throws Exception {
        Mqtt5BlockingClient bystander = wsV5("ws-bystander");
        try {
            RawWs listener = new RawWs();
            WebSocket ws = open(listener);
            ws.sendText("CONNECT", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(listener.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("1003: MQTT travels in binary frames only (MQTT-6.0.0-1)")
                    .isEqualTo(1003);

            Queue<Mqtt5Publish> received = collect(bystander);
            subscribe(bystander, "still/here", MqttQos.AT_LEAST_ONCE);
            bystander
                    .publishWith()
                    .topic("still/here")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1})
                    .send();
            awaitCount(received, 1);
        } finally {
            disconnectQuietly(bystander);
        }
    }

    @Test
    void aWebSocketClientIsToldTheServerIsShuttingDown() {
        EmbeddedBroker own = EmbeddedBroker.start(com.typesafe.config.ConfigFactory.parseString(
                        "herald.mqtt { bind = \"127.0.0.1\", port = 0, websocket { enabled = true, port = 0 } }")
                .withFallback(com.typesafe.config.ConfigFactory.load()));
        boolean stopped = false;
        try {
            Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient client = Mqtt5Client.builder()
                    .identifier("ws-shutdown")
                    .serverHost("127.0.0.1")
                    .serverPort(
                            own.boundAddresses(MqttWebSocketBinding.NAME).get(0).getPort())
                    .webSocketConfig()
                    .serverPath("mqtt")
                    .applyWebSocketConfig()
                    .addDisconnectedListener(disconnects::add)
                    .buildBlocking();
            client.connect();
            own.close();
            stopped = true;
            awaitServerDisconnect(disconnects, Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
            assertThat(own.boundAddresses(MqttWebSocketBinding.NAME)).isEmpty();
        } finally {
            if (!stopped) {
                own.close();
            }
        }
    }

    @Test
    void aWebSocketSubscriberThatStopsReadingLosesItsQos0MessagesAloneAndTheyAreCounted() throws Exception {
        Mqtt5BlockingClient healthy = connectV5(broker.port(), "ws-healthy");
        Mqtt5BlockingClient publisher = connectV5(broker.port(), "ws-flood");
        RawWs stalled = new RawWs() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.request(1); // the CONNACK and SUBACK arrive; after that, nothing more is read
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                received.add(data);
                if (received.get().size() < 7) { // CONNACK (5 bytes here) and the start of SUBACK
                    ws.request(1);
                }
                return null;
            }
        };
        WebSocket ws = open(stalled);
        try {
            ws.sendBinary(ByteBuffer.wrap(connectPacket("ws-stalled")), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ws.sendBinary(
                            ByteBuffer.wrap(MqttEncoder.encode(
                                            new dev.herald.mqtt.message.Subscribe(
                                                    1,
                                                    Properties.EMPTY,
                                                    List.of(new dev.herald.mqtt.message.Subscription(
                                                            "flood", dev.herald.mqtt.message.QoS.AT_MOST_ONCE))),
                                            MqttVersion.V5)
                                    .toArray()),
                            true)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Queue<Mqtt5Publish> received = collect(healthy);
            // The healthy one subscribes at QoS 1, so what it gets is never a drop of its own; the stalled
            // one at QoS 0 (the subscription's QoS caps the delivery's).
            subscribe(healthy, "flood", MqttQos.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> broker.broker().metrics().subscriptions() >= 2);

            long droppedBefore = broker.broker().metrics().droppedQos0SlowClient();
            byte[] payload = new byte[2048];
            int total = 10_000; // 20 MB: more than the socket buffers of the stalled client hold
            for (int i = 0; i < total; i++) {
                publisher
                        .publishWith()
                        .topic("flood")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload)
                        .send();
            }
            await().atMost(WAIT.multipliedBy(3)).until(() -> received.size() >= total);
            assertThat(broker.broker().metrics().droppedQos0SlowClient() - droppedBefore)
                    .as("the stalled client's QoS 0 messages are dropped and counted, not buffered without end")
                    .isPositive();
        } finally {
            ws.abort();
            disconnectQuietly(healthy);
            disconnectQuietly(publisher);
        }
    }

    @Test
    void manySmallFramesInOneReadAllReachTheBroker() throws Exception {
        Mqtt5BlockingClient subscriber = connectV5(broker.port(), "ws-burst-sub");
        RawWs listener = new RawWs();
        WebSocket ws = open(listener);
        try {
            Queue<Mqtt5Publish> received = collect(subscriber);
            subscribe(subscriber, "burst", MqttQos.AT_MOST_ONCE);
            ws.sendBinary(ByteBuffer.wrap(connectPacket("ws-burst-pub")), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            byte[] publish = MqttEncoder.encode(
                            dev.herald.mqtt.message.Publish.atMostOnce("burst", ByteString.fromArray(new byte[] {7})),
                            MqttVersion.V5)
                    .toArray();
            int total = 2_000;
            for (int i = 0; i < total; i++) { // one frame each, written back to back
                ws.sendBinary(ByteBuffer.wrap(publish), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            awaitCount(received, total);
            assertThat(listener.closed).isNotDone();
        } finally {
            ws.abort();
            disconnectQuietly(subscriber);
        }
    }
}
