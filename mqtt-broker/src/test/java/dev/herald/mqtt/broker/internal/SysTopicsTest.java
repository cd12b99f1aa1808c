package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The $SYS messages of each round: every topic first, then only those whose value changed. */
class SysTopicsTest {

    private static final long MILLI = 1_000_000L;

    private static Map<String, String> byTopic(List<Publish> messages) {
        return messages.stream()
                .collect(Collectors.toMap(Publish::topic, p -> p.payload().decodeString(StandardCharsets.UTF_8)));
    }

    @Test
    void theFirstRoundHasEveryTopicRetainedAtQos0() {
        BrokerMetrics metrics = new BrokerMetrics();
        List<Publish> first = new SysTopics(metrics, "1.2.3", 0).round(0, 5, 3);
        assertThat(first).allSatisfy(p -> {
            assertThat(p.retain()).isTrue();
            assertThat(p.qos()).isEqualTo(QoS.AT_MOST_ONCE);
            assertThat(SysTopics.isSysTopic(p.topic())).isTrue();
        });
        Map<String, String> values = byTopic(first);
        assertThat(values)
                .containsEntry("$SYS/broker/version", "herald version 1.2.3")
                .containsEntry("$SYS/broker/uptime", "0 seconds")
                .containsEntry("$SYS/broker/clients/connected", "3")
                .containsEntry("$SYS/broker/clients/disconnected", "2")
                .containsEntry("$SYS/broker/clients/total", "5")
                .containsEntry("$SYS/broker/messages/received", "0")
                .containsEntry("$SYS/broker/messages/sent", "0")
                .containsEntry("$SYS/broker/publish/messages/dropped", "0")
                .containsEntry("$SYS/broker/subscriptions/count", "0")
                .containsEntry("$SYS/broker/retained messages/count", "0")
                .containsEntry("$SYS/broker/load/messages/received/1min", "0.00")
                .containsEntry("$SYS/broker/load/messages/sent/15min", "0.00")
                .containsEntry("$SYS/broker/herald/dropped/slow_client_qos0", "0")
                .containsEntry("$SYS/broker/herald/dropped/filtered", "0");
        assertThat(values.keySet())
                .filteredOn(t -> t.startsWith("$SYS/broker/herald/dropped/"))
                .hasSize(9);
        assertThat(values.keySet())
                .filteredOn(t -> t.startsWith("$SYS/broker/load/"))
                .hasSize(6);
    }

    @Test
    void laterRoundsHaveOnlyWhatChanged() {
        BrokerMetrics metrics = new BrokerMetrics();
        SysTopics sys = new SysTopics(metrics, "1.2.3", 0);
        sys.round(0, 1, 1);
        assertThat(sys.round(100 * MILLI, 1, 1)).isEmpty();

        for (int i = 0; i < 6; i++) {
            metrics.recordMessageReceived(QoS.AT_LEAST_ONCE);
        }
        metrics.recordQueueFullDrop();
        assertThat(byTopic(sys.round(200 * MILLI, 2, 1)))
                .containsOnlyKeys(
                        "$SYS/broker/messages/received",
                        "$SYS/broker/load/messages/received/1min",
                        "$SYS/broker/load/messages/received/5min",
                        "$SYS/broker/load/messages/received/15min",
                        "$SYS/broker/publish/messages/dropped",
                        "$SYS/broker/herald/dropped/queue_full",
                        "$SYS/broker/clients/disconnected",
                        "$SYS/broker/clients/total")
                .containsEntry("$SYS/broker/messages/received", "6")
                .containsEntry("$SYS/broker/load/messages/received/1min", "6.00")
                .containsEntry("$SYS/broker/herald/dropped/queue_full", "1");

        assertThat(byTopic(sys.round(1_200 * MILLI, 2, 1))).containsEntry("$SYS/broker/uptime", "1 seconds");
    }

    @Test
    void sharedGroupsAreSummedOverTheirFilters() {
        BrokerMetrics metrics = new BrokerMetrics();
        metrics.sharedGroup("workers", "jobs/+").members(2);
        metrics.sharedGroup("workers", "jobs/+").recordDelivered();
        metrics.sharedGroup("workers", "tasks/#").members(1);
        metrics.sharedGroup("workers", "tasks/#").recordDropped();
        metrics.sharedGroup("other", "a").recordRedelivered();
        Map<String, String> values = byTopic(new SysTopics(metrics, "x", 0).round(0, 0, 0));
        assertThat(values)
                .containsEntry("$SYS/broker/herald/shared/workers/members", "3")
                .containsEntry("$SYS/broker/herald/shared/workers/delivered", "1")
                .containsEntry("$SYS/broker/herald/shared/workers/redelivered", "0")
                .containsEntry("$SYS/broker/herald/shared/workers/dropped", "1")
                .containsEntry("$SYS/broker/herald/shared/other/redelivered", "1");
    }

    @Test
    void onlyTheSysTreeIsTheBrokers() {
        assertThat(SysTopics.isSysTopic("$SYS")).isTrue();
        assertThat(SysTopics.isSysTopic("$SYS/broker/uptime")).isTrue();
        assertThat(SysTopics.isSysTopic("$SYS/")).isTrue();
        assertThat(SysTopics.isSysTopic("$SYSTEM/x")).isFalse();
        assertThat(SysTopics.isSysTopic("$share/g/a")).isFalse();
        assertThat(SysTopics.isSysTopic("a/$SYS")).isFalse();
    }
}
