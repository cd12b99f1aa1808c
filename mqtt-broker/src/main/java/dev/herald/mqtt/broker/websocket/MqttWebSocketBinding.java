package dev.herald.mqtt.broker.websocket;

import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.tls.ServerTls;
import dev.herald.mqtt.broker.tls.TlsSettings;
import dev.herald.runtime.ProtocolBinding;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6) on Netty: an HTTP upgrade on the configured path with the
 * subprotocol {@code mqtt}, then binary frames whose bytes go to the broker exactly as TCP bytes do
 * (one MQTT packet may span frames, one frame may hold several). A text frame closes the connection
 * (MQTT-6.0.0-1).
 */
public final class MqttWebSocketBinding implements ProtocolBinding {

    public static final String NAME = "mqtt-websocket";
    static final String SUBPROTOCOL = "mqtt";
    private static final int MAX_HANDSHAKE_BYTES = 8192;

    private final BrokerContext broker;
    private final WebSocketSettings settings;
    private final TlsSettings tlsSettings;
    private volatile ServerTls tls;
    private volatile EventLoopGroup acceptors;
    private volatile EventLoopGroup workers;
    private volatile Channel listener;

    public MqttWebSocketBinding(BrokerContext broker, WebSocketSettings settings) {
        this(broker, settings, null);
    }

    /** With {@code settings.tls()} on, {@code tls} is the key material and client authentication of wss. */
    public MqttWebSocketBinding(BrokerContext broker, WebSocketSettings settings, TlsSettings tls) {
        this.broker = broker;
        this.settings = settings;
        this.tlsSettings = tls;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> start() {
        if (settings.tls()) {
            try {
                if (tlsSettings == null) {
                    throw new IllegalArgumentException(
                            "herald.mqtt.websocket.tls is on but no TLS settings were given");
                }
                tls = ServerTls.start(tlsSettings, NAME, broker.system());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        ServerTls secure = tls;
        acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(settings.threads(), NioIoHandler.newFactory());
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(settings.path())
                .subprotocols(SUBPROTOCOL)
                // A frame is at most one packet's worth; larger packets span frames.
                .maxFramePayloadLength(broker.settings().maxPacketSize())
                .handshakeTimeoutMillis(broker.settings().connectTimeout().toMillis())
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (secure != null) {
                            channel.pipeline().addLast(new SslHandler(secure.newEngine()));
                        }
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES))
                                .addLast(new WebSocketServerProtocolHandler(protocol))
                                .addLast(new WebSocketBridge(broker, secure));
                    }
                });
        broker.system().getWhenTerminated().thenRun(this::shutdownGroups);
        CompletableFuture<List<InetSocketAddress>> bound = new CompletableFuture<>();
        bootstrap.bind(settings.bind(), settings.port()).addListener(f -> {
            if (f.isSuccess()) {
                listener = ((ChannelFuture) f).channel();
                bound.complete(boundAddresses());
            } else {
                shutdownGroups();
                bound.completeExceptionally(f.cause());
            }
        });
        return bound;
    }

    @Override
    public CompletionStage<Done> stop(Duration deadline) {
        ServerTls secure = tls;
        if (secure != null) {
            secure.close();
        }
        Channel bound = listener;
        listener = null;
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        if (bound == null) {
            stopped.complete(Done.getInstance());
            return stopped;
        }
        // Only the listener closes here: open connections are the broker's to end (DISCONNECT 0x8B).
        // Their event loops go when the ActorSystem terminates, after every connection has closed.
        bound.close().addListener(f -> stopped.complete(Done.getInstance()));
        return stopped;
    }

    private void shutdownGroups() {
        EventLoopGroup a = acceptors;
        EventLoopGroup w = workers;
        if (a != null) {
            a.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (w != null) {
            w.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        Channel bound = listener;
        return bound == null ? List.of() : List.of((InetSocketAddress) bound.localAddress());
    }
}
