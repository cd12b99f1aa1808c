package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three server processes formed into one cluster for {@link ClusterKillIT}, the index of the one the
 * BrokerActor runs on ({@code singleton}), and what their {@code GET /cluster} shows after one of them
 * is stopped.
 */
record ThreeNodeCluster(List<Node> nodes, int singleton, AdminClient adminHttp) {

    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);
    private static final Duration FORMED = Duration.ofSeconds(40);

    /** One server process: its MQTT and admin ports and its cluster address. */
    record Node(ServerProcess process, int port, int admin, String address) {}

    /**
     * Starts three nodes, adding each process to {@code processes} (the caller closes them), and waits
     * until all three are Up and agree where the BrokerActor runs.
     */
    static ThreeNodeCluster start(List<ServerProcess> processes, AdminClient adminHttp) throws Exception {
        long began = System.nanoTime();
        int[] clusterPorts = {
            ClusterNodeProcesses.freePort(), ClusterNodeProcesses.freePort(), ClusterNodeProcesses.freePort()
        };
        List<CompletableFuture<Node>> starting = new ArrayList<>();
        for (int clusterPort : clusterPorts) {
            starting.add(CompletableFuture.supplyAsync(() -> startNode(processes, clusterPort, clusterPorts[0])));
        }
        List<Node> nodes = new ArrayList<>();
        for (CompletableFuture<Node> s : starting) {
            nodes.add(s.get(FORMED.toSeconds(), TimeUnit.SECONDS));
        }
        String[] broker = new String[1];
        await().atMost(FORMED).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> brokers = new ArrayList<>();
            for (Node n : nodes) {
                JsonNode view = adminHttp.cluster(n.admin());
                assertThat(view.get("members")).hasSize(3);
                assertThat(view.get("members").findValuesAsText("status")).containsOnly("Up");
                brokers.add(view.path("brokerActor").asText(""));
            }
            assertThat(brokers.get(0)).isNotEmpty();
            assertThat(brokers).containsOnly(brokers.get(0));
            broker[0] = brokers.get(0);
        });
        int singleton = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).address().equals(broker[0])) {
                singleton = i;
            }
        }
        assertThat(singleton).as("the BrokerActor's node %s", broker[0]).isNotNegative();
        log.info(
                "Cluster formed in {} ms: {}, the BrokerActor on {}",
                ClusterKillIT.millisSince(began),
                nodes.stream().map(Node::address).toList(),
                broker[0]);
        return new ThreeNodeCluster(nodes, singleton, adminHttp);
    }

    private static Node startNode(List<ServerProcess> processes, int clusterPort, int seedPort) {
        try {
            ServerProcess p = ClusterNodeProcesses.start(clusterPort, seedPort);
            processes.add(p);
            int admin = p.adminPort();
            return new Node(p, p.port(), admin, ClusterNodeProcesses.address(clusterPort));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("a server did not start", e);
        }
    }

    /** The nodes other than the BrokerActor's. */
    List<Node> survivors() {
        List<Node> survivors = new ArrayList<>(nodes);
        survivors.remove(singleton);
        return survivors;
    }

    /** ms from the signal until the survivor's GET /cluster shows the BrokerActor on another node. */
    long awaitMoved(Node survivor, String goneAddress, long signalled) {
        await().atMost(ClusterKillIT.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            String broker =
                    adminHttp.cluster(survivor.admin()).path("brokerActor").asText("");
            return !broker.isEmpty() && !broker.equals(goneAddress);
        });
        return ClusterKillIT.millisSince(signalled);
    }

    /** Whether every survivor soon shows two members, without the stopped node, and none unreachable. */
    boolean goneFromViews(String goneAddress) {
        try {
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (Node n : survivors()) {
                            JsonNode view = adminHttp.cluster(n.admin());
                            if (view.get("members").findValuesAsText("address").contains(goneAddress)
                                    || !view.get("unreachable").isEmpty()) {
                                return false;
                            }
                        }
                        return true;
                    });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
