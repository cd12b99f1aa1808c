package dev.herald.bench;

import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decode and encode of a 64-byte QoS 1 PUBLISH (with and without properties) and of a CONNECT. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBench {

    private final MqttDecoder decoder = new MqttDecoder(MqttVersion.V5);
    private Publish publish;
    private Publish publishWithProperties;
    private Connect connect;
    private ByteString publishBytes;
    private ByteString publishWithPropertiesBytes;
    private ByteString connectBytes;

    @Setup
    public void setUp() {
        publish = Packets.publishQos1(false);
        publishWithProperties = Packets.publishQos1(true);
        connect = Packets.connect();
        publishBytes = MqttEncoder.encode(publish, MqttVersion.V5);
        publishWithPropertiesBytes = MqttEncoder.encode(publishWithProperties, MqttVersion.V5);
        connectBytes = MqttEncoder.encode(connect, MqttVersion.V5);
    }

    @Benchmark
    public DecodeResult decodePublish() {
        return decoder.decode(publishBytes);
    }

    @Benchmark
    public DecodeResult decodePublishWithProperties() {
        return decoder.decode(publishWithPropertiesBytes);
    }

    @Benchmark
    public DecodeResult decodeConnect() {
        return decoder.decode(connectBytes);
    }

    @Benchmark
    public ByteString encodePublish() {
        return MqttEncoder.encode(publish, MqttVersion.V5);
    }

    @Benchmark
    public ByteString encodePublishWithProperties() {
        return MqttEncoder.encode(publishWithProperties, MqttVersion.V5);
    }

    @Benchmark
    public ByteString encodeConnect() {
        return MqttEncoder.encode(connect, MqttVersion.V5);
    }
}
