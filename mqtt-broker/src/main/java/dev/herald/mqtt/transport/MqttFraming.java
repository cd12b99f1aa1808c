package dev.herald.mqtt.transport;

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
            private final PacketFramer framer = new PacketFramer(maximumPacketSize, initialVersion);

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        framer.append(grab(in));
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
                try {
                    MqttPacket packet = framer.next();
                    if (packet != null) {
                        push(out, packet);
                    } else if (!isClosed(in)) {
                        if (!hasBeenPulled(in)) {
                            pull(in);
                        }
                    } else {
                        framer.checkEnd();
                        completeStage();
                    }
                } catch (MqttFramingException e) {
                    failStage(e);
                }
            }
        };
    }
}
