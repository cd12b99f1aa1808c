package dev.herald.mqtt.broker.websocket;

import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.ConnectionIdentity;
import dev.herald.mqtt.broker.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection after its handshake, as the byte flow the broker speaks MQTT over. Reads
 * are pulled: the channel reads the next frame only when the broker has taken the last one, so a fast
 * client is slowed by TCP as on the plain listener. Writes are batched up to 64 kB per frame while the
 * channel is busy, and each waits for the previous one to reach the socket.
 */
final class WebSocketBridge extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketBridge.class);
    private static final int MAX_WRITE_BATCH = 64 * 1024;

    private final BrokerContext broker;
    private final ServerTls tls; // null without wss
    // Event-loop state: the broker's end of the read side once the connection's stream runs, and the
    // bytes of frames that arrived while an offer was under way (one socket read may decode many
    // frames; the next read is asked for only when these are taken).
    private SourceQueueWithComplete<ByteString> reads;
    private ByteString pending = ByteString.emptyByteString();
    private boolean offering;
    private boolean inactive;

    WebSocketBridge(BrokerContext broker, ServerTls tls) {
        this.broker = broker;
        this.tls = tls;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            Channel channel = ctx.channel();
            channel.config().setAutoRead(false);
            Source<ByteString, NotUsed> fromClient = Source.<ByteString>queue(4, OverflowStrategy.backpressure(), 1)
                    .mapMaterializedValue(queue -> {
                        channel.eventLoop().execute(() -> attached(channel, queue));
                        return NotUsed.getInstance();
                    });
            Sink<ByteString, NotUsed> toClient = Flow.<ByteString>create()
                    .<ByteString>batchWeighted(
                            MAX_WRITE_BATCH, bytes -> (long) bytes.size(), bytes -> bytes, ByteString::concat)
                    .toMat(Sink.foreachAsync(1, bytes -> write(channel, bytes)), (notUsed, done) -> {
                        done.whenComplete((d, failure) -> closeAfterWrites(channel));
                        return NotUsed.getInstance();
                    });
            broker.accept(remote(channel), Flow.fromSinkAndSource(toClient, fromClient), identity(channel));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof BinaryWebSocketFrame || message instanceof ContinuationWebSocketFrame) {
            ByteBuf content = ((io.netty.buffer.ByteBufHolder) message).content();
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            ReferenceCountUtil.release(message);
            received(ctx.channel(), ByteString.fromArrayUnsafe(bytes));
        } else if (message instanceof TextWebSocketFrame) {
            ReferenceCountUtil.release(message);
            log.info(
                    "{} sent a text frame over MQTT WebSocket (only binary frames carry MQTT): closing",
                    remote(ctx.channel()));
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        inactive = true;
        if (reads != null) {
            reads.complete();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("WebSocket connection from {} failed: {}", remote(ctx.channel()), cause.toString());
        ctx.close();
    }

    private void attached(Channel channel, SourceQueueWithComplete<ByteString> queue) {
        reads = queue;
        if (inactive) {
            queue.complete();
        } else {
            offerPending(channel);
        }
    }

    private void received(Channel channel, ByteString bytes) {
        pending = pending.concat(bytes);
        if (reads != null && !offering) {
            offerPending(channel);
        }
    }

    /**
     * Offers what is pending, one offer at a time (the queue takes no concurrent offers); when
     * nothing is pending, asks the channel for the next read.
     */
    private void offerPending(Channel channel) {
        if (pending.isEmpty()) {
            channel.read();
            return;
        }
        ByteString bytes = pending;
        pending = ByteString.emptyByteString();
        offering = true;
        reads.offer(bytes).whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
            offering = false;
            if (failure == null && result == QueueOfferResult.enqueued()) {
                offerPending(channel);
            } else {
                channel.close();
            }
        }));
    }

    private static CompletionStage<Void> write(Channel channel, ByteString bytes) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes.asByteBuffer())))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        written.complete(null);
                    } else {
                        written.completeExceptionally(f.cause());
                    }
                });
        return written;
    }

    /** The broker closed the connection: a normal WebSocket close after what it wrote. */
    private static void closeAfterWrites(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The verified client certificate's username on wss (the TLS handshake is done by now). */
    private ConnectionIdentity identity(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return tls == null || ssl == null
                ? ConnectionIdentity.NONE
                : ConnectionIdentity.of(tls.certificateUsername(ssl.engine().getSession()));
    }

    private static InetSocketAddress remote(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress address
                ? address
                : InetSocketAddress.createUnresolved("unknown", 0);
    }
}
