package dev.herald.server.admin;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.SharedGroupStats;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.store.StoreMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The broker's {@link BrokerMetrics} as Micrometer meters named {@code herald.*}. Nothing is counted
 * twice: every meter reads the broker's own sums when it is scraped. Shared groups appear while the
 * broker runs, so {@link #refresh} (called before each scrape) registers the groups seen since.
 */
public final class BrokerMeterBinder implements MeterBinder {

    private final BrokerMetrics metrics;
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final Set<SharedGroupStats> groupsBound = new HashSet<>();

    public BrokerMeterBinder(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        gauge(registry, "herald.connections", "Open MQTT connections", BrokerMetrics::connections);
        gauge(registry, "herald.sessions", "Sessions, connected or kept for a client", BrokerMetrics::sessions);
        gauge(
                registry,
                "herald.subscriptions",
                "Subscriptions of all sessions, shared members included",
                BrokerMetrics::subscriptions);
        gauge(registry, "herald.retained.messages", "Retained messages", BrokerMetrics::retainedMessages);
        gauge(registry, "herald.queued.messages", "Messages waiting in session queues", BrokerMetrics::queuedMessages);
        for (QoS qos : QoS.values()) {
            String level = Integer.toString(qos.value());
            FunctionCounter.builder("herald.messages.received", metrics, m -> m.messagesReceived(qos))
                    .description("PUBLISH packets received from clients")
                    .tag("qos", level)
                    .register(registry);
            FunctionCounter.builder("herald.messages.sent", metrics, m -> m.messagesSent(qos))
                    .description("PUBLISH packets sent to clients")
                    .tag("qos", level)
                    .register(registry);
        }
        for (BrokerMetrics.DropReason reason : BrokerMetrics.DropReason.values()) {
            FunctionCounter.builder("herald.messages.dropped", metrics, reason::count)
                    .description("Messages dropped, by reason")
                    .tag("reason", reason.label())
                    .register(registry);
        }
        FunctionCounter.builder("herald.auth.failures", metrics, BrokerMetrics::authFailures)
                .description("CONNECTs and re-authentications refused by the authenticator")
                .register(registry);
        FunctionCounter.builder("herald.protocol.errors", metrics, BrokerMetrics::protocolErrors)
                .description("Connections closed for a malformed packet or a protocol error")
                .register(registry);
        bindStore(registry);
        registries.add(registry);
        metrics.sharedGroups().forEach(group -> bindGroup(registry, group));
    }

    /** Registers the shared groups that appeared since the last call in every registry bound. */
    public synchronized void refresh() {
        for (SharedGroupStats group : metrics.sharedGroups()) {
            if (groupsBound.add(group)) {
                registries.forEach(registry -> bindGroup(registry, group));
            }
        }
    }

    private void bindGroup(MeterRegistry registry, SharedGroupStats group) {
        groupsBound.add(group);
        Gauge.builder("herald.shared.group.members", group, SharedGroupStats::members)
                .description("Members of a shared subscription group")
                .tags("group", group.group(), "filter", group.filter())
                .strongReference(true)
                .register(registry);
        groupCounter(registry, group, "delivered", "Messages delivered to a member", SharedGroupStats::delivered);
        groupCounter(
                registry,
                group,
                "redelivered",
                "Messages handed to another member after the first one's connection ended",
                SharedGroupStats::redelivered);
        groupCounter(
                registry,
                group,
                "dropped",
                "Messages dropped because no member could take them",
                SharedGroupStats::dropped);
    }

    private static void groupCounter(
            MeterRegistry registry,
            SharedGroupStats group,
            String what,
            String description,
            ToDoubleFunction<SharedGroupStats> count) {
        FunctionCounter.builder("herald.shared.group." + what, group, count)
                .description(description)
                .tags("group", group.group(), "filter", group.filter())
                .register(registry);
    }

    /** The store's writer: all zero with persistence off. */
    private void bindStore(MeterRegistry registry) {
        storeCounter(
                registry,
                "commits",
                "Commits of the store's writer, each one write and one fsync",
                StoreMetrics::commits);
        storeCounter(
                registry,
                "changes",
                "Records written or deleted by those commits, after folding",
                StoreMetrics::changes);
        storeCounter(
                registry, "failures", "Commits that failed (their changes not stored, logged)", StoreMetrics::failures);
        storeCounter(registry, "commit.seconds", "Time spent committing, fsync included", StoreMetrics::commitSeconds);
        Gauge.builder("herald.store.bytes", metrics.store(), StoreMetrics::bytes)
                .description("Estimated live data in the store (table files and memtables)")
                .strongReference(true)
                .register(registry);
    }

    private void storeCounter(
            MeterRegistry registry, String what, String description, ToDoubleFunction<StoreMetrics> count) {
        FunctionCounter.builder("herald.store." + what, metrics.store(), count)
                .description(description)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<BrokerMetrics> f) {
        Gauge.builder(name, metrics, f)
                .description(description)
                .strongReference(true)
                .register(registry);
    }
}
