package dev.herald.bench.load;

import dev.herald.mqtt.message.QoS;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop latency: one publisher at a fixed rate (a batch every millisecond), one subscriber that
 * takes the send time from the payload; percentiles over the measured time only.
 */
final class LatencyScenario {

    private LatencyScenario() {}

    static Map<String, Object> run(Fleet fleet, QoS qos, Options o) throws Exception {
        Latencies latencies = new Latencies(
                (int) Math.min(10_000_000L, (long) o.rate() * o.duration().toSeconds() * 2));
        Subscriber sub = new Subscriber(null, List.of(), latencies);
        String topic = "load/latency/" + qos.value();
        Fleet.Client subscriber = fleet.connectSubscriber("latency-sub-" + qos.value(), sub, o.sessionExpiry());
        fleet.subscribe(subscriber, topic, qos);
        long routedAfterMs = o.splitPorts()
                ? RoutingProbe.await(fleet, "latency-probe-" + qos.value(), List.of(topic), List.of(sub))
                : -1;
        RatePublisher publisher = new RatePublisher(topic, qos, o, fleet);
        Fleet.Client pub = fleet.connect("latency-pub-" + qos.value(), publisher);
        ScheduledFuture<?> ticks = pub.channel()
                .eventLoop()
                .scheduleAtFixedRate(() -> publisher.tick(pub.channel()), 1, 1, TimeUnit.MILLISECONDS);
        TimeUnit.MILLISECONDS.sleep(o.warmup().toMillis());
        long received0 = sub.received.get();
        double cpu0 = ProcStats.cpuSeconds(o.brokerPids());
        latencies.recording(true);
        long t0 = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(o.duration().toMillis());
        latencies.recording(false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long delivered = sub.received.get() - received0;
        double cpu = ProcStats.cpuSeconds(o.brokerPids()) - cpu0;
        ticks.cancel(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sub.received.get() < publisher.sent() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("delivered_per_s", delivered / seconds);
        r.put("lost", publisher.sent() - sub.received.get());
        r.put("broker_cpu_s", cpu);
        r.put("p50_us", latencies.percentileMicros(50));
        r.put("p90_us", latencies.percentileMicros(90));
        r.put("p99_us", latencies.percentileMicros(99));
        r.put("p999_us", latencies.percentileMicros(99.9));
        r.put("max_us", latencies.percentileMicros(100));
        if (o.splitPorts()) {
            r.put("routed_after_ms", routedAfterMs);
        }
        subscriber.channel().close();
        pub.channel().close();
        return r;
    }

    /** Sends {@code rate / 1000} messages per tick, with QoS 1/2 acknowledgements counted. */
    private static final class RatePublisher implements ClientHandler.Listener {
        private final byte[] template;
        private final int packetIdOffset;
        private final int payloadOffset;
        private final QoS qos;
        private final int perTick;
        private long sent;
        private int nextPacketId = 1;

        RatePublisher(String topic, QoS qos, Options o, Fleet fleet) {
            this.qos = qos;
            this.perTick = Math.max(1, o.rate() / 1000);
            Template t = Template.of(topic, qos, o.payload(), fleet.version);
            this.template = t.bytes();
            this.packetIdOffset = t.packetIdOffset();
            this.payloadOffset = t.payloadOffset();
        }

        void tick(io.netty.channel.Channel channel) {
            for (int i = 0; i < perTick; i++) {
                io.netty.buffer.ByteBuf buf =
                        channel.alloc().buffer(template.length).writeBytes(template);
                if (qos != QoS.AT_MOST_ONCE) {
                    buf.setShort(packetIdOffset, nextPacketId);
                    nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
                }
                buf.setLong(payloadOffset, System.nanoTime());
                channel.write(buf, channel.voidPromise());
                sent++;
            }
            channel.flush();
        }

        long sent() {
            return sent;
        }
    }
}
