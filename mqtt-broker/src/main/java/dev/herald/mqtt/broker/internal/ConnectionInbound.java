package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.transport.MqttFramingException;
import dev.herald.mqtt.transport.PacketFramer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import org.apache.pekko.util.ByteString;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

/**
 * The read side of a connection in one stage: frames the bytes into packets and hands them to the
 * ConnectionActor, each acknowledged by a {@link ConnectionActor.StreamAck}. Until the actor widens
 * the window (once the client is connected) one packet at a time, the next only after the last one's
 * acknowledgement (the actor protocol of {@code ActorSink.actorRefWithBackpressure}); after that up
 * to {@link #WINDOW_PACKETS} packets and about {@link #WINDOW_BYTES} bytes of them unacknowledged, so
 * the socket is read while the actor works instead of after each packet's round trip. Once the actor
 * stops or the framing fails, it reads and discards the rest instead of cancelling, so the socket
 * closes only when the write side completes, after the last CONNACK or DISCONNECT. One stage instead
 * of a termination watcher, a drain, the framing stage and an actor sink: a connection costs fewer
 * objects and less set-up.
 *
 * <p>One instance serves every connection (the actor is given after materialization, through
 * {@link Link#attach}), so the connection graph is built once and only materialized per connection.
 */
final class ConnectionInbound extends GraphStageWithMaterializedValue<SinkShape<ByteString>, ConnectionInbound.Link> {

    /** Bytes the stage reads ahead of the packet being handled, as long as no whole packet is buffered beyond. */
    private static final int READ_AHEAD_BYTES = 16 * 1024;

    /** Packets handed to a connected client's actor and not yet acknowledged, at most. */
    static final int WINDOW_PACKETS = 32;

    /**
     * Another packet is handed over only while those not yet acknowledged hold fewer bytes than this
     * (so at most this plus one packet; the first always goes, whatever its size).
     */
    static final int WINDOW_BYTES = 64 * 1024;

    /** The materialized value: attaches the actor, and completes when the read side has ended. */
    interface Link {
        void attach(ActorRef<ConnectionActor.Command> actor);

        CompletionStage<Done> socketClosed();
    }

    private final Inlet<ByteString> in = Inlet.create("ConnectionInbound.in");
    private final SinkShape<ByteString> shape = SinkShape.of(in);
    private final long maximumPacketSize;

    ConnectionInbound(long maximumPacketSize) {
        this.maximumPacketSize = maximumPacketSize;
    }

    @Override
    public SinkShape<ByteString> shape() {
        return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, Link> createLogicAndMaterializedValue(Attributes inheritedAttributes) {
        InboundLogic logic = new InboundLogic();
        return new Tuple2<>(logic, logic);
    }

    private final class InboundLogic extends GraphStageLogic implements Link {
        private final PacketFramer framer = new PacketFramer(maximumPacketSize, MqttVersion.V5);
        private final CompletableFuture<Done> closed = new CompletableFuture<>();
        private final AsyncCallback<ActorRef<ConnectionActor.Command>> onAttach = createAsyncCallback(this::onAttach);
        private ActorRef<ConnectionActor.Command> actor;
        private ActorRef<ConnectionActor.StreamAck> self;
        // The packets handed to the actor and not yet acknowledged: how many, their sizes in the order
        // they went (acknowledgements come in that order), and how many may be.
        private final int[] sizes = new int[WINDOW_PACKETS];
        private int oldest;
        private int unacknowledged;
        private int unacknowledgedBytes;
        private int window = 1;
        private boolean initialized; // the actor answered StreamInit
        private boolean draining;
        private boolean finished;
        // A failure of the read side before the actor was attached, told to it once it is.
        private Throwable failedEarly;

        InboundLogic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    ByteString chunk = grab(in);
                    if (!draining) {
                        framer.append(chunk);
                    }
                    advance();
                }

                @Override
                public void onUpstreamFinish() {
                    finished = true;
                    advance();
                }

                @Override
                public void onUpstreamFailure(Throwable cause) {
                    if (actor == null) {
                        failedEarly = cause;
                        return;
                    }
                    if (!draining) {
                        actor.tell(new ConnectionActor.StreamFailed(cause));
                    }
                    failStage(cause);
                }
            });
        }

        @Override
        public void attach(ActorRef<ConnectionActor.Command> target) {
            onAttach.invoke(target);
        }

        @Override
        public CompletionStage<Done> socketClosed() {
            return closed;
        }

        @Override
        public void preStart() {
            // The stage ends itself: after its upstream ends it may still have packets for the actor.
            setKeepGoing(true);
            // Reads the first bytes (the CONNECT) while the actor is being attached.
            pull(in);
        }

        @Override
        public void postStop() {
            closed.complete(Done.getInstance());
        }

        private void onAttach(ActorRef<ConnectionActor.Command> target) {
            actor = target;
            GraphStageLogic.StageActor stageActor = getStageActor(this::onStageMessage);
            stageActor.watch(Adapter.toClassic(target));
            self = Adapter.toTyped(stageActor.ref());
            target.tell(new ConnectionActor.StreamInit(self));
            if (failedEarly != null) {
                target.tell(new ConnectionActor.StreamFailed(failedEarly));
                failStage(failedEarly);
            }
        }

        private BoxedUnit onStageMessage(Tuple2<org.apache.pekko.actor.ActorRef, Object> message) {
            if (message._2() instanceof Terminated) {
                drain();
            } else if (message._2() instanceof ConnectionActor.StreamAck ack) {
                if (ack == ConnectionActor.StreamAck.WIDEN) {
                    window = WINDOW_PACKETS;
                }
                if (!initialized) {
                    initialized = true; // the answer to StreamInit: nothing was handed over yet
                } else if (unacknowledged > 0) {
                    unacknowledgedBytes -= sizes[oldest];
                    oldest = (oldest + 1) % WINDOW_PACKETS;
                    unacknowledged--;
                }
                advance();
            }
            return BoxedUnit.UNIT;
        }

        private boolean hasRoom() {
            return unacknowledged == 0 || (unacknowledged < window && unacknowledgedBytes < WINDOW_BYTES);
        }

        /** The actor is gone or will read no more: discard what comes until the socket closes. */
        private void drain() {
            draining = true;
            framer.discard();
            advance();
        }

        private void advance() {
            if (draining) {
                if (finished) {
                    completeStage();
                } else if (!hasBeenPulled(in)) {
                    pull(in);
                }
                return;
            }
            try {
                while (initialized && hasRoom()) {
                    int before = framer.buffered();
                    MqttPacket packet = framer.next();
                    if (packet == null) {
                        if (finished && unacknowledged == 0) {
                            framer.checkEnd();
                            actor.tell(ConnectionActor.StreamCompleted.INSTANCE);
                            completeStage();
                            return;
                        }
                        break;
                    }
                    int size = before - framer.buffered();
                    sizes[(oldest + unacknowledged) % WINDOW_PACKETS] = size;
                    unacknowledged++;
                    unacknowledgedBytes += size;
                    actor.tell(new ConnectionActor.Inbound(self, packet));
                }
            } catch (MqttFramingException e) {
                actor.tell(new ConnectionActor.StreamFailed(e));
                drain();
                return;
            }
            if (!finished && !hasBeenPulled(in) && (framer.buffered() < READ_AHEAD_BYTES || !framer.hasNext())) {
                pull(in);
            }
        }
    }
}
