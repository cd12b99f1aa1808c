package dev.herald.mqtt.transport;

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

/**
 * Passes elements through; once downstream cancels, reads and discards the rest instead of
 * cancelling upstream. Between a TCP connection's read side and the framing stage it keeps a
 * framing failure (or the connection actor stopping) from closing the socket before the last
 * CONNACK or DISCONNECT is written: the socket closes when the write side completes.
 */
public final class DrainOnCancel<T> extends GraphStage<FlowShape<T, T>> {

    private final Inlet<T> in = Inlet.create("DrainOnCancel.in");
    private final Outlet<T> out = Outlet.create("DrainOnCancel.out");
    private final FlowShape<T, T> shape = FlowShape.of(in, out);

    public static <T> Flow<T, T, NotUsed> flow() {
        return Flow.fromGraph(new DrainOnCancel<T>());
    }

    @Override
    public FlowShape<T, T> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape) {
            private boolean draining;

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        T element = grab(in);
                        if (draining) {
                            pull(in);
                        } else {
                            push(out, element);
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(in);
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        draining = true;
                        if (!hasBeenPulled(in) && !isClosed(in)) {
                            pull(in);
                        }
                    }
                });
            }
        };
    }
}
