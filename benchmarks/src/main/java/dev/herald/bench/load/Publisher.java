package dev.herald.bench.load;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop publisher: sends a pre-encoded PUBLISH (packet id and an 8-byte send timestamp
 * patched in) while its flow has fewer deliveries outstanding than the window, and at QoS 1/2 while
 * fewer than {@code maxInFlight} of its own messages await PUBACK/PUBCOMP.
 */
final class Publisher implements ClientHandler.Listener {

    /** The deliveries a group of publishers and subscribers still expects; shared by that group. */
    static final class FlowWindow {
        final AtomicLong outstanding = new AtomicLong();
        final long limit;
        final int fanout;

        FlowWindow(long limit, int fanout) {
            this.limit = limit;
            this.fanout = fanout;
        }
    }

    private final byte[] template;
    private final int packetIdOffset;
    private final int payloadOffset;
    private final QoS qos;
    private final FlowWindow window;
    private final int maxInFlight;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private Channel channel;
    private int inFlight;
    private int nextPacketId = 1;

    Publisher(String topic, QoS qos, int payloadSize, MqttVersion version, FlowWindow window, int maxInFlight) {
        this.qos = qos;
        this.window = window;
        this.maxInFlight = maxInFlight;
        Template t = Template.of(topic, qos, payloadSize, version);
        this.template = t.bytes();
        this.packetIdOffset = t.packetIdOffset();
        this.payloadOffset = t.payloadOffset();
    }

    void start(Channel channel) {
        this.channel = channel;
        channel.eventLoop().execute(this::trySend);
    }

    /**
     * Stops sending; returns once a send loop under way on the event loop has ended, so that {@link
     * #sent} counts every message this publisher will ever send.
     */
    void stop() {
        running = false;
        if (channel != null && !channel.eventLoop().inEventLoop()) {
            channel.eventLoop().submit(() -> {}).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    long sent() {
        return sent.get();
    }

    /** Called by anyone who freed room in the window; hops to this publisher's event loop. */
    void wake() {
        if (paused.compareAndSet(true, false)) {
            channel.eventLoop().execute(this::trySend);
        }
    }

    @Override
    public void completed() {
        inFlight--;
        paused.set(false);
        trySend();
    }

    @Override
    public void writable() {
        trySend();
    }

    private void trySend() {
        int written = 0;
        while (running && channel.isWritable() && (qos == QoS.AT_MOST_ONCE || inFlight < maxInFlight)) {
            if (window.outstanding.get() >= window.limit) {
                paused.set(true);
                if (window.outstanding.get() >= window.limit) {
                    break; // a receiver will wake us
                }
                paused.set(false);
            }
            ByteBuf buf = channel.alloc().buffer(template.length).writeBytes(template);
            if (qos != QoS.AT_MOST_ONCE) {
                buf.setShort(packetIdOffset, nextPacketId);
                nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
                inFlight++;
            }
            buf.setLong(payloadOffset, System.nanoTime());
            window.outstanding.addAndGet(window.fanout);
            sent.incrementAndGet();
            channel.write(buf, channel.voidPromise());
            written++;
        }
        if (written > 0) {
            channel.flush();
        }
    }
}
