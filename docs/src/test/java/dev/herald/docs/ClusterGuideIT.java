package dev.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.cluster.HeraldCluster;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/cluster.md: an embedded broker started as a cluster node (here a cluster of one) serves clients. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusterGuideIT {

    /** A port that was free a moment ago on 127.0.0.1 (a seed node needs a fixed one). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anEmbeddedClusterNodeServesClients() throws Exception {
        int clusterPort = freePort();
        // sample: embedded-cluster-node
        Config settings = ConfigFactory.parseString("""
                herald.cluster { enabled = on, hostname = "127.0.0.1", port = %d, seed-nodes = ["127.0.0.1:%d"] }
                herald.mqtt { port = 0, persistence.enabled = off }
                """.formatted(clusterPort, clusterPort));
        EmbeddedBroker node = EmbeddedBroker.builder()
                .config(HeraldCluster.config("herald", settings)) // "herald": the broker's ActorSystem name
                .singleOwner(HeraldCluster::singleOwner) // the BrokerActor as a cluster singleton
                .start(); // listens at once; clients' CONNECTs wait until the cluster has formed
        // end sample
        try (node) {
            Mqtt5BlockingClient client = Mqtt5Client.builder()
                    .identifier("docs-cluster")
                    .serverHost("127.0.0.1")
                    .serverPort(node.port())
                    .buildBlocking();
            client.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes received = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith()
                        .topicFilter("docs/cluster")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                Optional<Mqtt5Publish> message = Optional.empty();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (message.isEmpty() && System.nanoTime() < deadline) {
                    client.publishWith()
                            .topic("docs/cluster")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload("hello".getBytes())
                            .send();
                    message = received.receive(500, TimeUnit.MILLISECONDS);
                }
                assertThat(message).isPresent();
                assertThat(message.get().getPayloadAsBytes()).isEqualTo("hello".getBytes());
            } finally {
                client.disconnect();
            }
        }
    }
}
