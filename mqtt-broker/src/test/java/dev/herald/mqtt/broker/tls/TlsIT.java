package dev.herald.mqtt.broker.tls;

import static dev.herald.mqtt.broker.tls.TestCertificates.certFile;
import static dev.herald.mqtt.broker.tls.TestCertificates.keyFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.broker.websocket.MqttWebSocketBinding;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS with real clients and certificates made at test time: a TLS client and a plain TCP
 * client share the broker; TLS 1.1 and plain MQTT on the TLS port close only their connection, with
 * a log line; wss works with the same key material; replaced certificate files are picked up by new
 * connections while old ones stay up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class TlsIT {

    static final Duration WAIT = Duration.ofSeconds(10);

    private Path dir;

    private TestCertificates.Issued ca;
    private EmbeddedBroker broker;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        ca = TestCertificates.ca("Herald test CA");
        ca.issue("localhost", true).writePem(dir, "server");
        broker = EmbeddedBroker.start(
                ConfigFactory.parseString(tlsConfig(dir, "server") + """
                        herald.mqtt.websocket { enabled = true, port = 0, tls = true }
                        """).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static String tlsConfig(Path dir, String name) {
        return """
                herald.mqtt { bind = "127.0.0.1", port = 0 }
                herald.mqtt.tls {
                  enabled = true
                  port = 0
                  certificate-chain = "%s"
                  private-key = "%s"
                }
                """.formatted(hocon(certFile(dir, name)), hocon(keyFile(dir, name)));
    }

    static String hocon(Path path) {
        return path.toAbsolutePath().toString().replace("\\", "\\\\");
    }

    private int tlsPort() {
        return broker.boundAddresses(MqttTlsBinding.NAME).get(0).getPort();
    }

    static Mqtt5BlockingClient tlsClient(int port, String id, MqttClientSslConfig ssl) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .sslConfig(ssl)
                .buildBlocking();
    }

    static MqttClientSslConfig trusting(TestCertificates.Issued ca) throws Exception {
        return MqttClientSslConfig.builder()
                .trustManagerFactory(ca.trustManagers())
                .handshakeTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .build();
    }

    static Mqtt5BlockingClient plainClient(int port, String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        c.connect();
        return c;
    }

    static Queue<String> collect(Mqtt5BlockingClient client) {
        Queue<String> received = new ConcurrentLinkedQueue<>();
        client.toAsync()
                .publishes(
                        MqttGlobalPublishFilter.ALL,
                        (Mqtt5Publish p) -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        return received;
    }

    static void publish(Mqtt5BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** Proves {@code client} is connected and served: it receives what it publishes. */
    static void assertRoundTrip(Mqtt5BlockingClient client, String topic) {
        Queue<String> received = collect(client);
        client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(client, topic, "echo");
        await().atMost(WAIT).until(() -> received.contains("echo"));
    }

    @Test
    void aTlsClientAndAPlainClientExchangeMessages() throws Exception {
        Mqtt5BlockingClient secure = tlsClient(tlsPort(), "tls-client", trusting(ca));
        secure.connect();
        Mqtt5BlockingClient plain = plainClient(broker.port(), "plain-client");
        try {
            Queue<String> overTls = collect(secure);
            Queue<String> overTcp = collect(plain);
            secure.subscribeWith()
                    .topicFilter("mixed/to-tls")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            plain.subscribeWith()
                    .topicFilter("mixed/to-tcp")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            for (int i = 0; i < 50; i++) {
                publish(plain, "mixed/to-tls", "p" + i);
                publish(secure, "mixed/to-tcp", "s" + i);
            }
            await().atMost(WAIT).until(() -> overTls.size() == 50 && overTcp.size() == 50);
            assertThat(overTls).first().isEqualTo("p0");
            assertThat(overTcp).last().isEqualTo("s49");
        } finally {
            secure.disconnect();
            plain.disconnect();
        }
    }

    @Test
    void tls12IsAcceptedAndTls11IsRefusedWithALogLine() throws Exception {
        Mqtt5BlockingClient tls12 = tlsClient(
                tlsPort(),
                "tls12",
                MqttClientSslConfig.builder()
                        .trustManagerFactory(ca.trustManagers())
                        .protocols(List.of("TLSv1.2"))
                        .build());
        tls12.connect();
        try {
            LoggingTestKit.info("TLS connection from")
                    .withMessageContains("not enabled or supported")
                    .expect(broker.context().system(), checked(() -> {
                        // The JDK's own client refuses TLS 1.1, so the ClientHello is written by hand.
                        try (Socket socket = new Socket("127.0.0.1", tlsPort())) {
                            socket.setSoTimeout((int) WAIT.toMillis());
                            socket.getOutputStream().write(tls11ClientHello());
                            byte[] answer = readUntilClosed(socket.getInputStream());
                            // Closed with at most an alert record (21), never a ServerHello (22).
                            if (answer.length > 0) {
                                assertThat(answer[0]).isEqualTo((byte) 21);
                            }
                        }
                    }));
            assertRoundTrip(tls12, "tls12/echo");
        } finally {
            tls12.disconnect();
        }
    }

    @Test
    void plainMqttOnTheTlsPortClosesOnlyThatConnection() throws Exception {
        Mqtt5BlockingClient secure = tlsClient(tlsPort(), "tls-bystander", trusting(ca));
        secure.connect();
        try {
            LoggingTestKit.info("TLS connection from")
                    .withMessageContains("/127.0.0.1:")
                    .expect(broker.context().system(), checked(() -> {
                        try (Socket socket = new Socket("127.0.0.1", tlsPort())) {
                            socket.setSoTimeout((int) WAIT.toMillis());
                            OutputStream out = socket.getOutputStream();
                            // MQTT 3.1.1 CONNECT, client id "raw", clean session, keep alive 60
                            out.write(new byte[] {
                                0x10, 0x0f, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x03, 'r',
                                'a', 'w'
                            });
                            out.flush();
                            byte[] answer = readUntilClosed(socket.getInputStream());
                            assertThat(answer).doesNotContain((byte) 0x20); // never a CONNACK
                        }
                    }));
            assertRoundTrip(secure, "bystander/echo");
        } finally {
            secure.disconnect();
        }
    }

    @Test
    void secureWebSocketClientsTalkWithTlsClients() throws Exception {
        int wssPort = broker.boundAddresses(MqttWebSocketBinding.NAME).get(0).getPort();
        Mqtt5BlockingClient wss = Mqtt5Client.builder()
                .identifier("wss-client")
                .serverHost("127.0.0.1")
                .serverPort(wssPort)
                .sslConfig(trusting(ca))
                .webSocketConfig()
                .serverPath("mqtt")
                .subprotocol("mqtt")
                .applyWebSocketConfig()
                .buildBlocking();
        wss.connect();
        Mqtt5BlockingClient secure = tlsClient(tlsPort(), "tls-peer", trusting(ca));
        secure.connect();
        try {
            Queue<String> overWss = collect(wss);
            wss.subscribeWith().topicFilter("wss/in").qos(MqttQos.AT_LEAST_ONCE).send();
            publish(secure, "wss/in", "over-wss");
            await().atMost(WAIT).until(() -> overWss.contains("over-wss"));
        } finally {
            wss.disconnect();
            secure.disconnect();
        }
    }

    @Test
    void replacedCertificatesReachNewConnectionsWhileOldOnesStayUp(@TempDir Path reloadDir) throws Exception {
        TestCertificates.Issued firstCa = TestCertificates.ca("First CA");
        firstCa.issue("localhost", true).writePem(reloadDir, "server");
        String config = tlsConfig(reloadDir, "server") + "herald.mqtt.tls.reload-interval = 100ms\n";
        try (EmbeddedBroker reloading =
                EmbeddedBroker.start(ConfigFactory.parseString(config).withFallback(ConfigFactory.load()))) {
            int port = reloading.boundAddresses(MqttTlsBinding.NAME).get(0).getPort();
            Mqtt5BlockingClient old = tlsClient(port, "before-reload", trusting(firstCa));
            old.connect();
            assertThat(serverCertificate(port, firstCa).getIssuerX500Principal().getName())
                    .contains("First CA");

            TestCertificates.Issued secondCa = TestCertificates.ca("Second CA");
            LoggingTestKit.info("TLS key material of mqtt-tls reloaded")
                    .expect(reloading.context().system(), checked(() -> {
                        secondCa.issue("localhost", true).writePem(reloadDir, "server");
                        await().atMost(WAIT).ignoreExceptions().until(() -> serverCertificate(port, secondCa)
                                .getIssuerX500Principal()
                                .getName()
                                .contains("Second CA"));
                    }));
            Mqtt5BlockingClient fresh = tlsClient(port, "after-reload", trusting(secondCa));
            fresh.connect();
            assertRoundTrip(old, "reload/old");
            assertRoundTrip(fresh, "reload/new");
            old.disconnect();
            fresh.disconnect();
        }
    }

    @Test
    void aBrokenReplacementKeepsTheCurrentCertificates(@TempDir Path reloadDir) throws Exception {
        TestCertificates.Issued keptCa = TestCertificates.ca("Kept CA");
        keptCa.issue("localhost", true).writePem(reloadDir, "server");
        String config = tlsConfig(reloadDir, "server") + "herald.mqtt.tls.reload-interval = 100ms\n";
        try (EmbeddedBroker reloading =
                EmbeddedBroker.start(ConfigFactory.parseString(config).withFallback(ConfigFactory.load()))) {
            int port = reloading.boundAddresses(MqttTlsBinding.NAME).get(0).getPort();
            LoggingTestKit.warn("cannot be loaded, keeping the previous one")
                    .expect(reloading.context().system(), checked(() -> {
                        Files.writeString(keyFile(reloadDir, "server"), "not a key\n");
                    }));
            Mqtt5BlockingClient client = tlsClient(port, "kept", trusting(keptCa));
            client.connect();
            assertRoundTrip(client, "kept/echo");
            client.disconnect();
        }
    }

    @Test
    void aPkcs12KeystoreWorksLikePemFiles(@TempDir Path p12Dir) throws Exception {
        TestCertificates.Issued server = ca.issue("localhost", true);
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "server", server.keys().getPrivate(), "secret".toCharArray(), new java.security.cert.Certificate[] {
                    server.certificate()
                });
        Path keystore = p12Dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "secret".toCharArray());
        }
        String config = """
                herald.mqtt { bind = "127.0.0.1", port = 0 }
                herald.mqtt.tls { enabled = true, port = 0, keystore = "%s", keystore-password = "secret" }
                """.formatted(hocon(keystore));
        try (EmbeddedBroker p12 =
                EmbeddedBroker.start(ConfigFactory.parseString(config).withFallback(ConfigFactory.load()))) {
            int port = p12.boundAddresses(MqttTlsBinding.NAME).get(0).getPort();
            Mqtt5BlockingClient client = tlsClient(port, "p12-client", trusting(ca));
            client.connect();
            assertRoundTrip(client, "p12/echo");
            client.disconnect();
        }
    }

    @Test
    void aListenerWithoutKeyMaterialDoesNotStart() {
        String config = """
                herald.mqtt { bind = "127.0.0.1", port = 0 }
                herald.mqtt.tls { enabled = true, port = 0 }
                """;
        assertThatThrownBy(() -> EmbeddedBroker.start(
                                ConfigFactory.parseString(config).withFallback(ConfigFactory.load()))
                        .close())
                .hasMessageContaining("certificate-chain and private-key");
    }

    interface Body {
        void run() throws Exception;
    }

    /** For LoggingTestKit, whose block may not throw checked exceptions. */
    static java.util.function.Supplier<Void> checked(Body body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        };
    }

    /** The certificate a fresh handshake presents, trusting only {@code ca}. */
    static X509Certificate serverCertificate(int port, TestCertificates.Issued ca) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, ca.trustManagers().getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws Exception {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not close the connection within " + WAIT, e);
        } catch (java.net.SocketException reset) {
            // closed by the broker while we were reading: what we want
        }
        return all.toByteArray();
    }

    /** A TLS 1.1 ClientHello (RFC 4346 section 7.4.1.2) offering two CBC suites, no extensions. */
    private static byte[] tls11ClientHello() {
        byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
        int i = 0;
        body[i++] = 0x03;
        body[i++] = 0x02; // client_version TLS 1.1
        for (int r = 0; r < 32; r++) {
            body[i++] = (byte) r; // random
        }
        body[i++] = 0x00; // no session id
        body[i++] = 0x00;
        body[i++] = 0x04; // two cipher suites
        body[i++] = 0x00;
        body[i++] = 0x2f; // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = (byte) 0xc0;
        body[i++] = 0x09; // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
        body[i++] = 0x01;
        body[i] = 0x00; // null compression
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 0x16; // handshake
        record[1] = 0x03;
        record[2] = 0x01;
        record[3] = 0x00;
        record[4] = (byte) (4 + body.length);
        record[5] = 0x01; // client_hello
        record[6] = 0x00;
        record[7] = 0x00;
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
