package dev.herald.mqtt.broker.tls;

import static dev.herald.mqtt.broker.tls.TlsIT.WAIT;
import static dev.herald.mqtt.broker.tls.TlsIT.checked;
import static dev.herald.mqtt.broker.tls.TlsIT.hocon;
import static dev.herald.mqtt.broker.tls.TlsIT.tlsConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.broker.websocket.MqttWebSocketBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS with client certificates made at test time: with client-auth required, a client
 * without a certificate, with one of another CA or with an expired one fails the handshake (one log
 * line each); a valid one is accepted without a password although anonymous access is off, and its
 * CN is the username the authorizer sees, whatever the CONNECT said.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class MutualTlsIT {

    private TestCertificates.Issued ca;
    private EmbeddedBroker broker;
    private final Queue<String> authorized = new ConcurrentLinkedQueue<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ca = TestCertificates.ca("Herald device CA");
        ca.issue("localhost", true).writePem(dir, "server");
        Path clientCa = dir.resolve("clients-ca.pem");
        Files.writeString(clientCa, TestCertificates.pem(List.of(ca.certificate())));
        String config = tlsConfig(dir, "server") + """
                herald.mqtt.tls {
                  client-auth = required
                  client-ca = "%s"
                  use-certificate-as-username = cn
                }
                herald.mqtt.auth.allow-anonymous = false
                herald.mqtt.websocket { enabled = true, port = 0, tls = true }
                """.formatted(hocon(clientCa));
        broker = EmbeddedBroker.builder()
                .config(ConfigFactory.parseString(config).withFallback(ConfigFactory.load()))
                .authorizer(client -> {
                    authorized.add(String.valueOf(client.username()));
                    String own = "devices/" + client.username() + "/";
                    return new Permissions() {
                        @Override
                        public boolean mayPublish(String topic) {
                            return topic.startsWith(own);
                        }

                        @Override
                        public boolean maySubscribe(String filter) {
                            return filter.startsWith(own);
                        }
                    };
                })
                .start();
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private int port() {
        return broker.boundAddresses(MqttTlsBinding.NAME).get(0).getPort();
    }

    private MqttClientSslConfig presenting(TestCertificates.Issued client) throws Exception {
        return MqttClientSslConfig.builder()
                .trustManagerFactory(ca.trustManagers())
                .keyManagerFactory(client == null ? null : client.keyManagers())
                .handshakeTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    @Test
    void aValidCertificateAuthenticatesAndItsCnIsTheUsername() throws Exception {
        Mqtt5BlockingClient sensor = TlsIT.tlsClient(port(), "sensor-client", presenting(ca.issue("sensor-1", false)));
        sensor.connect(); // no username, no password, anonymous access off: the certificate is enough
        try {
            assertThat(authorized).contains("sensor-1");
            TlsIT.assertRoundTrip(sensor, "devices/sensor-1/echo");
            assertThatThrownBy(() -> sensor.publishWith()
                            .topic("devices/sensor-2/state")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload("x".getBytes(StandardCharsets.UTF_8))
                            .send())
                    .isInstanceOf(Mqtt5PubAckException.class);
        } finally {
            sensor.disconnect();
        }
    }

    @Test
    void theCertificateUsernameReplacesTheConnectUsername() throws Exception {
        Mqtt5BlockingClient sensor = TlsIT.tlsClient(port(), "pretender", presenting(ca.issue("sensor-7", false)));
        sensor.connectWith()
                .simpleAuth()
                .username("admin")
                .password("guess".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try {
            assertThat(authorized).contains("sensor-7").doesNotContain("admin");
            TlsIT.assertRoundTrip(sensor, "devices/sensor-7/echo");
        } finally {
            sensor.disconnect();
        }
    }

    @Test
    void overSecureWebSocketTheCertificateNamesTheClientToo() throws Exception {
        int wssPort = broker.boundAddresses(MqttWebSocketBinding.NAME).get(0).getPort();
        Mqtt5BlockingClient wss = Mqtt5Client.builder()
                .identifier("wss-sensor")
                .serverHost("127.0.0.1")
                .serverPort(wssPort)
                .sslConfig(presenting(ca.issue("sensor-5", false)))
                .webSocketConfig()
                .serverPath("mqtt")
                .subprotocol("mqtt")
                .applyWebSocketConfig()
                .buildBlocking();
        wss.connect();
        try {
            assertThat(authorized).contains("sensor-5");
            TlsIT.assertRoundTrip(wss, "devices/sensor-5/echo");
        } finally {
            wss.disconnect();
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
        Mqtt5BlockingClient anonymous = TlsIT.tlsClient(port(), "no-cert", presenting(null));
        LoggingTestKit.info("TLS connection from")
                .expect(broker.context().system(), checked(() -> assertThatThrownBy(anonymous::connect)));
        assertStillServing();
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedAtTheHandshake() throws Exception {
        TestCertificates.Issued otherCa = TestCertificates.ca("Some other CA");
        Mqtt5BlockingClient stranger =
                TlsIT.tlsClient(port(), "stranger", presenting(otherCa.issue("sensor-1", false)));
        LoggingTestKit.info("TLS connection from")
                .expect(broker.context().system(), checked(() -> assertThatThrownBy(stranger::connect)));
        assertStillServing();
    }

    @Test
    void anExpiredCertificateIsRefusedAtTheHandshake() throws Exception {
        Mqtt5BlockingClient expired = TlsIT.tlsClient(port(), "expired", presenting(ca.issueExpired("sensor-1")));
        LoggingTestKit.info("TLS connection from")
                .withMessageContains("xpired")
                .expect(broker.context().system(), checked(() -> assertThatThrownBy(expired::connect)));
        assertStillServing();
    }

    @Test
    void optionalClientAuthNamesCertificateHoldersBySanAndLetsOthersInAsUsual(@TempDir Path dir) throws Exception {
        ca.issue("localhost", true).writePem(dir, "server");
        Path clientCa = dir.resolve("clients-ca.pem");
        Files.writeString(clientCa, TestCertificates.pem(List.of(ca.certificate())));
        String config = tlsConfig(dir, "server") + """
                herald.mqtt.tls { client-auth = optional, client-ca = "%s", use-certificate-as-username = san }
                """.formatted(hocon(clientCa));
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        try (EmbeddedBroker optional = EmbeddedBroker.builder()
                .config(ConfigFactory.parseString(config).withFallback(ConfigFactory.load()))
                .authorizer(client -> {
                    seen.add(String.valueOf(client.username()));
                    return Permissions.ALL;
                })
                .start()) {
            int port = optional.boundAddresses(MqttTlsBinding.NAME).get(0).getPort();
            Mqtt5BlockingClient holder = TlsIT.tlsClient(port, "holder", presenting(ca.issue("sensor-3", false)));
            holder.connect();
            Mqtt5BlockingClient without = TlsIT.tlsClient(port, "without", presenting(null));
            without.connectWith()
                    .simpleAuth()
                    .username("guest")
                    .applySimpleAuth()
                    .send();
            assertThat(seen).containsExactlyInAnyOrder("sensor-3.devices.example", "guest");
            holder.disconnect();
            without.disconnect();
        }
    }

    private void assertStillServing() throws Exception {
        Mqtt5BlockingClient ok = TlsIT.tlsClient(port(), "still-ok", presenting(ca.issue("sensor-9", false)));
        ok.connect();
        TlsIT.assertRoundTrip(ok, "devices/sensor-9/echo");
        ok.disconnect();
        await().atMost(WAIT).until(() -> broker.metrics().connections() >= 0);
    }
}
