package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what arrives, frees the flow's window, wakes its publishers, and can record latencies. A
 * routing probe ({@link RoutingProbe}, an empty payload: the generator's own messages carry at least
 * the 8-byte send time) is counted apart and touches neither the count nor the window.
 */
final class Subscriber implements ClientHandler.Listener {

    private final Publisher.FlowWindow window;
    private final List<Publisher> publishers;
    private final Latencies latencies;
    final AtomicLong received = new AtomicLong();
    final AtomicLong probes = new AtomicLong();

    Subscriber(Publisher.FlowWindow window, List<Publisher> publishers, Latencies latencies) {
        this.window = window;
        this.publishers = publishers;
        this.latencies = latencies;
    }

    @Override
    public void received(ByteBuf payload, int length) {
        if (length == RoutingProbe.PAYLOAD_LENGTH) {
            probes.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        if (latencies != null && length >= 8) {
            latencies.record(System.nanoTime() - payload.getLong(payload.readerIndex()));
        }
        if (window != null) {
            window.outstanding.decrementAndGet();
            for (Publisher p : publishers) {
                p.wake();
            }
        }
    }
}
