package dev.herald.bench;

import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.transport.MqttFraming;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The framing stage fed one 64 KiB chunk of small QoS 0 PUBLISHes (16-byte payloads) per run, through
 * a real Pekko stream; the time is per packet, stream materialization included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FramingBench {

    static final int CHUNK_SIZE = 64 * 1024;
    /** 32-byte packets: 2 bytes fixed header, 13 topic, 1 empty property length, 16 payload. */
    static final int PACKETS = 2048;

    private ActorSystem<Void> system;
    private ByteString chunk;

    @Setup(Level.Trial)
    public void setUp() {
        system = ActorSystem.create(Behaviors.empty(), "framing-bench");
        ByteString one = MqttEncoder.encode(smallPublish(), MqttVersion.V5);
        if (one.length() * PACKETS != CHUNK_SIZE) {
            throw new IllegalStateException("expected 32-byte packets, got " + one.length());
        }
        ByteStringBuilder builder = ByteString.createBuilder();
        for (int i = 0; i < PACKETS; i++) {
            builder.append(one);
        }
        chunk = builder.result().compact();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        system.terminate();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public Object frame64KiB() throws Exception {
        return Source.single(chunk)
                .via(MqttFraming.flow(CHUNK_SIZE))
                .runWith(Sink.fold(0, (n, p) -> n + 1), system)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static Publish smallPublish() {
        return new Publish(
                "sensors/1/t",
                QoS.AT_MOST_ONCE,
                false,
                false,
                0,
                Properties.EMPTY,
                ByteString.fromArrayUnsafe(new byte[16]));
    }
}
