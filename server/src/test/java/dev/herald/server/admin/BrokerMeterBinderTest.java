package dev.herald.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.SharedGroupStats;
import dev.herald.mqtt.message.QoS;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BrokerMeterBinderTest {

    private final BrokerMetrics metrics = new BrokerMetrics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMeterBinder binder = new BrokerMeterBinder(metrics);

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void countersReadTheBrokersSumsWhenRead() {
        binder.bindTo(registry);
        metrics.recordMessageReceived(QoS.AT_LEAST_ONCE);
        metrics.recordMessageReceived(QoS.AT_LEAST_ONCE);
        metrics.recordMessageSent(QoS.EXACTLY_ONCE);
        metrics.brokerState(3, 5, 7);
        metrics.recordConnectionOpened();
        metrics.addQueued(4);
        metrics.recordAuthFailure();
        metrics.recordProtocolError();

        assertThat(counter("herald.messages.received", "qos", "0")).isZero();
        assertThat(counter("herald.messages.received", "qos", "1")).isEqualTo(2);
        assertThat(counter("herald.messages.sent", "qos", "2")).isEqualTo(1);
        assertThat(registry.get("herald.sessions").gauge().value()).isEqualTo(3);
        assertThat(registry.get("herald.subscriptions").gauge().value()).isEqualTo(5);
        assertThat(registry.get("herald.retained.messages").gauge().value()).isEqualTo(7);
        assertThat(registry.get("herald.connections").gauge().value()).isEqualTo(1);
        assertThat(registry.get("herald.queued.messages").gauge().value()).isEqualTo(4);
        assertThat(counter("herald.auth.failures")).isEqualTo(1);
        assertThat(counter("herald.protocol.errors")).isEqualTo(1);
    }

    @Test
    void theStoresWriterIsMeasured() {
        binder.bindTo(registry);
        metrics.store().recordCommit(3, 2_000_000);
        metrics.store().recordCommit(1, 1_000_000);
        metrics.store().recordFailure();
        metrics.store().size(() -> 4096);

        assertThat(counter("herald.store.commits")).isEqualTo(2);
        assertThat(counter("herald.store.changes")).isEqualTo(4);
        assertThat(counter("herald.store.failures")).isEqualTo(1);
        assertThat(counter("herald.store.commit.seconds")).isEqualTo(0.003);
        assertThat(registry.get("herald.store.bytes").gauge().value()).isEqualTo(4096);
    }

    @Test
    void everyDropIsCountedOnceUnderItsReason() {
        binder.bindTo(registry);
        metrics.recordSlowClientDrop();
        metrics.recordQueueFullDrop();
        metrics.recordOfflineQos0Drop();
        metrics.recordTooLargeDrop();
        metrics.recordExpiredDrop();
        metrics.recordRateLimitedDrop();
        metrics.recordQuotaDrop();
        metrics.recordNotAuthorizedDrop();
        metrics.recordFilteredDrop();
        metrics.recordQueueFullDrop();

        double sum = registry.find("herald.messages.dropped").functionCounters().stream()
                .mapToDouble(FunctionCounter::count)
                .sum();
        assertThat(sum).isEqualTo(metrics.dropped()).isEqualTo(10);
        assertThat(counter("herald.messages.dropped", "reason", "queue_full")).isEqualTo(2);
        assertThat(counter("herald.messages.dropped", "reason", "filtered")).isEqualTo(1);
    }

    @Test
    void sharedGroupsSeenAfterTheBindAppearOnRefreshOnce() {
        metrics.sharedGroup("early", "a/b").members(1);
        binder.bindTo(registry);
        SharedGroupStats late = metrics.sharedGroup("late", "c/#");
        late.members(2);
        late.recordDelivered();
        late.recordRedelivered();
        late.recordDropped();

        assertThat(registry.find("herald.shared.group.members").gauges()).hasSize(1);
        binder.refresh();
        binder.refresh();

        assertThat(registry.find("herald.shared.group.members").gauges()).hasSize(2);
        Gauge members = registry.get("herald.shared.group.members")
                .tags("group", "late", "filter", "c/#")
                .gauge();
        assertThat(members.value()).isEqualTo(2);
        assertThat(counter("herald.shared.group.delivered", "group", "late", "filter", "c/#"))
                .isEqualTo(1);
        assertThat(counter("herald.shared.group.redelivered", "group", "late", "filter", "c/#"))
                .isEqualTo(1);
        assertThat(counter("herald.shared.group.dropped", "group", "late", "filter", "c/#"))
                .isEqualTo(1);
        assertThat(counter("herald.shared.group.delivered", "group", "early", "filter", "a/b"))
                .isZero();
    }
}
