package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.Authenticator;
import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.filter.FilterResult;
import dev.herald.mqtt.filter.PacketFilter;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.transport.TcpListener;
import dev.herald.runtime.ProtocolBinding;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The samples of docs/extending-herald.md: a filter, a binding and an authenticator of one's own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ExtendingHeraldIT {

    // sample: filter
    /**
     * Each tenant (the username) publishes under its own prefix only, and every message it publishes
     * carries the tenant as a user property, stamped by the broker where clients cannot forge it.
     */
    static PacketFilter tenantFilter() {
        return (client, packet) -> {
            if (!(packet instanceof Publish p)) {
                return FilterResult.pass();
            }
            String tenant = client.username();
            if (tenant == null || !p.topic().startsWith("tenants/" + tenant + "/")) {
                return FilterResult.reject(0x87, "publish under tenants/" + tenant + "/ only"); // Not authorized
            }
            var stamped =
                    p.properties().toBuilder().userProperty("tenant", tenant).build();
            return FilterResult.replace(
                    new Publish(p.topic(), p.qos(), p.retain(), p.dup(), p.packetId(), stamped, p.payload()));
        };
    }
    // end sample

    // sample: authenticator-plain
    /** Any username, with the password "letmein" (a quick check: the stage is already complete). */
    static Authenticator demoPasswords() {
        return (client, password) -> CompletableFuture.completedFuture(
                password != null && password.utf8String().equals("letmein")
                        ? AuthOutcome.accepted(client.username())
                        : AuthOutcome.refused(AuthOutcome.Reason.BAD_CREDENTIALS, "wrong password"));
    }
    // end sample

    // sample: binding
    /**
     * MQTT on a second TCP port, for clients inside the network: a binding gets the broker's
     * context and hands it every connection's bytes; the broker's actors do the rest.
     */
    static final class InternalMqttPort implements ProtocolBinding {
        private final BrokerContext broker;
        private final int port;
        private final TcpListener listener = new TcpListener();

        InternalMqttPort(BrokerContext broker, int port) {
            this.broker = broker;
            this.port = port;
        }

        @Override
        public String name() {
            return "mqtt-internal";
        }

        @Override
        public CompletionStage<List<InetSocketAddress>> start() {
            return listener.bind(broker.system(), "127.0.0.1", port, broker::accept);
        }

        @Override
        public CompletionStage<Done> stop(Duration deadline) {
            return listener.unbind();
        }

        @Override
        public List<InetSocketAddress> boundAddresses() {
            return listener.addresses();
        }
    }

    static EmbeddedBroker startBroker() {
        return EmbeddedBroker.builder()
                .authenticator(demoPasswords())
                .filter(tenantFilter())
                .binding(context -> new InternalMqttPort(context, 0))
                .start();
    }
    // end sample

    private static Mqtt5BlockingClient client(int port, String id, String user) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(user)
                .password("letmein".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    @Test
    void theFilterTheAuthenticatorAndTheSecondPortWorkTogether() throws Exception {
        try (EmbeddedBroker broker = startBroker()) {
            int internalPort = broker.boundAddresses("mqtt-internal").get(0).getPort();
            assertThat(internalPort).isNotEqualTo(broker.port());
            assertThat(broker.runtime().ready()).isTrue();

            Mqtt5BlockingClient reader = client(internalPort, "reader", "acme");
            Mqtt5BlockingClient writer = client(broker.port(), "writer", "acme");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = reader.publishes(MqttGlobalPublishFilter.ALL)) {
                reader.subscribeWith()
                        .topicFilter("tenants/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                writer.publishWith()
                        .topic("tenants/acme/orders")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload("order 1".getBytes(StandardCharsets.UTF_8))
                        .send();
                Mqtt5Publish received = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertThat(received.getUserProperties().asList())
                        .anySatisfy(p ->
                                assertThat(p.getName() + "=" + p.getValue()).hasToString("tenant=acme"));

                assertThatThrownBy(() -> writer.publishWith()
                                .topic("tenants/other/orders")
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .payload(new byte[] {1})
                                .send())
                        .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                                        e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
            } finally {
                reader.disconnect();
                writer.disconnect();
            }

            Mqtt5BlockingClient intruder = Mqtt5Client.builder()
                    .identifier("intruder")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            assertThatThrownBy(() -> intruder.connectWith()
                            .simpleAuth()
                            .username("acme")
                            .password(new byte[] {1})
                            .applySimpleAuth()
                            .send())
                    .isInstanceOf(Mqtt5ConnAckException.class);
            assertThat(broker.metrics().authFailures()).isPositive();
        }
    }
}
