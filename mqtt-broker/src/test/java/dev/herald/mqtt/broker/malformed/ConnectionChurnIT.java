package dev.herald.mqtt.broker.malformed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections that end abruptly, before, during and after CONNECT, with a FIN or a RST: the broker
 * forgets every one of them (its open-connection count returns to where it was) and its other
 * clients carry on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ConnectionChurnIT {

    private static final int CONNECTIONS = 500;
    /** Client ids repeat, so some connections take over a session another is still setting up. */
    private static final int DISTINCT_CLIENT_IDS = 50;

    private static final Duration LOOP_DEADLINE = Duration.ofSeconds(45);
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    private HealthyClients healthy;

    @BeforeAll
    void connectHealthyClients() {
        healthy = HealthyClients.connect(broker.port());
    }

    @AfterAll
    void disconnectHealthyClients() {
        if (healthy != null) {
            healthy.close();
        }
    }

    @Test
    void forgetsConnectionsThatEndAbruptly() {
        BrokerMetrics metrics = broker.broker().metrics();
        long baseline = metrics.connections();
        long deadline = System.nanoTime() + LOOP_DEADLINE.toNanos();
        int done = 0;
        for (; done < CONNECTIONS && System.nanoTime() < deadline; done++) {
            churn(done);
        }
        assertThat(done).as("connections churned within %s", LOOP_DEADLINE).isEqualTo(CONNECTIONS);

        await("open connections back to the baseline of " + baseline)
                .atMost(SETTLE_DEADLINE)
                .untilAsserted(() -> assertThat(metrics.connections()).isEqualTo(baseline));
        healthy.assertStillDelivers(CONNECTIONS + " abrupt connections");
    }

    private void churn(int i) {
        MqttVersion version = i % 2 == 0 ? MqttVersion.V5 : MqttVersion.V3_1_1;
        String clientId = "churn-" + (i % DISTINCT_CLIENT_IDS);
        byte[] connect = MqttEncoder.encode(RawConnection.connectPacket(version, clientId), version)
                .toArray();
        byte[] halfConnect = Arrays.copyOf(connect, connect.length / 2);
        RawConnection raw = RawConnection.open(broker.port());
        switch (i % 6) {
            case 0 -> raw.close(); // nothing sent
            case 1 -> {
                raw.trySend(halfConnect); // ends inside the CONNECT
                raw.close();
            }
            case 2 -> {
                raw.trySend(halfConnect);
                raw.abort();
            }
            case 3 -> {
                raw.trySend(connect); // gone before its CONNACK
                raw.close();
            }
            case 4 -> {
                raw.trySend(connect);
                raw.abort();
            }
            default -> {
                raw.connect(version, clientId); // connected, then reset without DISCONNECT
                raw.abort();
            }
        }
    }
}
