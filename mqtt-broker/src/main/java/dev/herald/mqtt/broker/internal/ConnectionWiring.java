package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerSettings;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.BehaviorSignalInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Joins a connection's bytes (TCP, WebSocket, ...) to its ConnectionActor in one materialization: bytes in through
 * {@link ConnectionInbound} (framing, one packet at a time to the actor, acknowledged), bytes out from a bounded
 * queue. The socket closes only when the queue completes, which {@link #closeOnStop} guarantees however the actor
 * stops. The graph is built once per broker and only materialized per connection.
 */
final class ConnectionWiring {

    /**
     * The write side of a wired connection, and a stage that completes when the socket is closed
     * (its read side ends, which after our write side completes means everything queued was flushed).
     */
    record Wired(BoundedSourceQueue<ByteString> queue, CompletionStage<Done> socketClosed) {}

    private final Flow<ByteString, ByteString, Pair<ConnectionInbound.Link, BoundedSourceQueue<ByteString>>> graph;
    private final Materializer materializer;

    ConnectionWiring(BrokerSettings settings, Materializer materializer) {
        this.materializer = materializer;
        this.graph = Flow.fromSinkAndSourceMat(
                Sink.fromGraph(new ConnectionInbound(settings.maxPacketSize())),
                Source.<ByteString>queue(settings.outboundQueueSize()),
                Keep.both());
    }

    /** Called in the actor's setup, so the queue exists before any packet can arrive. */
    Wired wire(ActorContext<ConnectionActor.Command> context, Flow<ByteString, ByteString, NotUsed> transport) {
        Pair<ConnectionInbound.Link, BoundedSourceQueue<ByteString>> mat =
                transport.joinMat(graph, Keep.right()).run(materializer);
        mat.first().attach(context.getSelf());
        return new Wired(mat.second(), mat.first().socketClosed());
    }

    /** Wraps a connection's behavior so that its socket is closed when the actor stops, even on failure. */
    static Behavior<ConnectionActor.Command> closeOnStop(Outbox outbox, Behavior<ConnectionActor.Command> behavior) {
        return Behaviors.intercept(
                () -> new BehaviorSignalInterceptor<ConnectionActor.Command>() {
                    @Override
                    public Behavior<ConnectionActor.Command> aroundSignal(
                            TypedActorContext<ConnectionActor.Command> ctx,
                            Signal signal,
                            BehaviorInterceptor.SignalTarget<ConnectionActor.Command> target) {
                        if (signal instanceof PostStop) {
                            outbox.close();
                        }
                        return target.apply(ctx, signal);
                    }
                },
                behavior);
    }
}
