package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what arrives, frees the flow's window, wakes its publishers, and can record latencies. */
final class Subscriber implements ClientHandler.Listener {

    private final Publisher.FlowWindow window;
    private final List<Publisher> publishers;
    private final Latencies latencies;
    final AtomicLong received = new AtomicLong();

    Subscriber(Publisher.FlowWindow window, List<Publisher> publishers, Latencies latencies) {
        this.window = window;
        this.publishers = publishers;
        this.latencies = latencies;
    }

    @Override
    public void received(ByteBuf payload, int length) {
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
