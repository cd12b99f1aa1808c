package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.server.admin.AdminHttpBinding;
import dev.herald.server.admin.AdminSettings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /cluster} of the server's own start method: a one-node cluster shows itself Up and as the
 * BrokerActor's member; a broker that is not clustered says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusterAdminIT {

    private final ObjectMapper json = new ObjectMapper();
    private final AdminClient adminHttp = new AdminClient(Duration.ofSeconds(5));

    private static EmbeddedBroker start(String... args) {
        Config config = HeraldServer.config(CommandLine.parse(args));
        return HeraldServer.start(config, AdminSettings.from(config));
    }

    @Test
    void aOneNodeClusterShowsItselfUpAndHoldingTheBrokerActor() throws Exception {
        int clusterPort = ClusterNodeProcesses.freePort();
        String self = ClusterNodeProcesses.address(clusterPort);
        try (EmbeddedBroker node = start(ClusterNodeProcesses.args(clusterPort, clusterPort))) {
            int admin = node.boundAddresses(AdminHttpBinding.NAME).get(0).getPort();

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        JsonNode view = cluster(admin);
                        assertThat(view.get("brokerActor").asText()).isEqualTo(self);
                        assertThat(view.get("selfStatus").asText()).isEqualTo("Up");
                    });

            JsonNode view = cluster(admin);
            assertThat(view.get("clustered").asBoolean()).isTrue();
            assertThat(view.get("self").asText()).isEqualTo(self);
            assertThat(view.get("leader").asText()).isEqualTo(self);
            assertThat(view.get("members")).hasSize(1);
            JsonNode member = view.get("members").get(0);
            assertThat(member.get("address").asText()).isEqualTo(self);
            assertThat(member.get("status").asText()).isEqualTo("Up");
            assertThat(member.get("roles").get(0).asText()).isEqualTo("dc-default");
            assertThat(member.get("reachable").asBoolean()).isTrue();
            assertThat(member.get("brokerActor").asBoolean()).isTrue();
            assertThat(view.get("unreachable")).isEmpty();
        }
    }

    @Test
    void aBrokerThatIsNotClusteredSaysSo() throws Exception {
        try (EmbeddedBroker broker = start("--port", "0", "--admin-port", "0", "--in-memory")) {
            int admin = broker.boundAddresses(AdminHttpBinding.NAME).get(0).getPort();

            assertThat(json.writeValueAsString(cluster(admin))).isEqualTo("{\"clustered\":false}");
        }
    }

    private JsonNode cluster(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> response = adminHttp.getCluster(adminPort);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return adminHttp.read(response);
    }
}
