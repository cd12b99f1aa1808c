package dev.herald.mqtt.transport;

import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Frames a byte stream into decoded MQTT packets, however the bytes are split or coalesced. A packet
 * larger than {@code maximumPacketSize} is refused from its fixed header, before its body is
 * buffered. After a CONNECT the stage decodes in the version it asked for. Bad input fails the stage
 * with a {@link MqttFramingException}; so does a stream that ends inside a packet.
 */
public final class MqttFraming extends GraphStage<FlowShape<ByteString, MqttPacket>> {

    private final Inlet<ByteString> in = Inlet.create("MqttFraming.in");
    private final Outlet<MqttPacket> out = Outlet.create("MqttFraming.out");
    private final FlowShape<ByteString, MqttPacket> shape = FlowShape.of(in, out);
    private final long maximumPacketSize;
    private final MqttVersion initialVersion;

    public MqttFraming(long maximumPacketSize, MqttVersion initialVersion) {
        this.maximumPacketSize = maximumPacketSize;
        this.initialVersion = initialVersion;
    }

    /** A broker-side framing flow: the version is learnt from the CONNECT. */
    public static Flow<ByteString, MqttPacket, NotUsed> flow(long maximumPacketSize) {
        return Flow.fromGraph(new MqttFraming(maximumPacketSize, MqttVersion.V5));
    }

    @Override
    public FlowShape<ByteString, MqttPacket> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape) {
            private final MqttDecoder decoder = new MqttDecoder(initialVersion);
            private ByteString buffer = ByteString.emptyByteString();

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        buffer = buffer.concat(grab(in));
                        emitNext();
                    }

                    @Override
                    public void onUpstreamFinish() {
                        if (isAvailable(out)) {
                            emitNext();
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        emitNext();
                    }
                });
            }

            private void emitNext() {
                if (!isAvailable(out)) {
                    return;
                }
                int length = MqttDecoder.frameLength(buffer);
                if (length == MqttDecoder.BAD_LENGTH) {
                    failStage(new MqttFramingException(DecodeError.malformed("remaining length is malformed")));
                } else if (length > maximumPacketSize) {
                    failStage(new MqttFramingException(DecodeError.tooLarge(length, maximumPacketSize)));
                } else if (length == MqttDecoder.NEED_MORE || buffer.length() < length) {
                    needMore();
                } else {
                    ByteString packet = buffer.take(length);
                    buffer = buffer.drop(length);
                    // A packet spread over several chunks is copied once, so the decoder reads one array.
                    DecodeResult result =
                            decoder.decode(packet instanceof ByteString.ByteStrings ? packet.compact() : packet);
                    if (result instanceof DecodeError error) {
                        failStage(new MqttFramingException(error));
                    } else {
                        if (result instanceof Connect connect) {
                            decoder.version(connect.version());
                        }
                        push(out, (MqttPacket) result);
                    }
                }
            }

            private void needMore() {
                if (!isClosed(in)) {
                    if (!hasBeenPulled(in)) {
                        pull(in);
                    }
                } else if (buffer.isEmpty()) {
                    completeStage();
                } else {
                    failStage(new MqttFramingException(
                            DecodeError.malformed("stream ended inside a packet (" + buffer.length() + " bytes)")));
                }
            }
        };
    }
}
