package dev.herald.bench.load;

import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** The generator's connections: one Netty event loop group (epoll where available), MQTT clients on it. */
final class Fleet implements AutoCloseable {

    /** A connected client: its channel and the handler that reads for it. */
    record Client(Channel channel, ClientHandler handler) {}

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final String host;
    private final int port;
    private final int subscriberPort;
    private final SslContext tls; // null: plain TCP
    final MqttVersion version;

    /** Subscribers ({@link #connectSubscriber}) connect to {@code subscriberPort}, every other client to {@code port}. */
    Fleet(String host, int port, int subscriberPort, MqttVersion version, int threads, SslContext tls) {
        this.host = host;
        this.tls = tls;
        this.port = port;
        this.subscriberPort = subscriberPort;
        this.version = version;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * The client TLS context of {@code --tls} (trusting any certificate: the figures are about the
     * cost of encryption, not about whom to trust) or {@code --ca FILE} (trusting that CA); null
     * without either.
     */
    static SslContext tls(Options o) throws SSLException {
        if (!o.tls()) {
            return null;
        }
        SslContextBuilder builder = SslContextBuilder.forClient();
        return (o.caFile() == null
                        ? builder.trustManager(InsecureTrustManagerFactory.INSTANCE)
                                .endpointIdentificationAlgorithm(null)
                        : builder.trustManager(new File(o.caFile())))
                .build();
    }

    static String transport() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /** Opens a connection and sends CONNECT; the handler's {@code connected} completes on CONNACK. */
    Client open(String clientId, ClientHandler.Listener listener) {
        return open(clientId, listener, 0);
    }

    /**
     * As {@link #open(String, ClientHandler.Listener)}, with a session that outlives the connection by
     * {@code sessionExpiry} seconds (MQTT 5 Session Expiry Interval; on 3.1.1, Clean Session 0): a
     * persistent session, which a broker with persistence keeps on disk. Clean Start stays 1 on MQTT
     * 5, so a run never resumes what an earlier run against the same broker left.
     */
    Client open(String clientId, ClientHandler.Listener listener, long sessionExpiry) {
        return open(clientId, listener, sessionExpiry, port);
    }

    private Client open(String clientId, ClientHandler.Listener listener, long sessionExpiry, int port) {
        ClientHandler handler = new ClientHandler(listener, version == MqttVersion.V5);
        Channel channel = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // CONNECT, written on connect, waits in the SslHandler for the handshake.
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(handler);
                    }
                })
                .connect(host, port)
                .addListener(f -> {
                    if (f.isSuccess()) {
                        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        ch.writeAndFlush(bytes(connect(clientId, sessionExpiry)));
                    } else {
                        handler.connected.completeExceptionally(f.cause());
                    }
                })
                .channel();
        return new Client(channel, handler);
    }

    Client connect(String clientId, ClientHandler.Listener listener) throws Exception {
        return connect(clientId, listener, 0);
    }

    Client connect(String clientId, ClientHandler.Listener listener, long sessionExpiry) throws Exception {
        return connected(open(clientId, listener, sessionExpiry, port));
    }

    /** As {@link #connect(String, ClientHandler.Listener, long)}, to the subscribers' port. */
    Client connectSubscriber(String clientId, ClientHandler.Listener listener, long sessionExpiry) throws Exception {
        return connected(open(clientId, listener, sessionExpiry, subscriberPort));
    }

    private static Client connected(Client client) throws Exception {
        client.handler().connected.get(10, TimeUnit.SECONDS);
        return client;
    }

    void subscribe(Client client, String filter, QoS qos) throws Exception {
        subscribeAsync(client, filter, qos).get(10, TimeUnit.SECONDS);
    }

    /** Sends SUBSCRIBE for one filter; completes on its SUBACK. */
    CompletableFuture<Void> subscribeAsync(Client client, String filter, QoS qos) {
        Subscribe subscribe = new Subscribe(1, Properties.EMPTY, List.of(new Subscription(filter, qos)));
        client.channel().writeAndFlush(bytes(subscribe));
        return client.handler().subscribed;
    }

    /** Sends DISCONNECT (normal, the session is kept for its expiry) and closes the connection. */
    ChannelFuture disconnect(Client client) {
        return client.channel().writeAndFlush(bytes(Disconnect.NORMAL)).addListener(ChannelFutureListener.CLOSE);
    }

    static Connect connect(MqttVersion version, String clientId, long sessionExpiry) {
        if (version != MqttVersion.V5) {
            return new Connect(version, sessionExpiry == 0, 0, clientId, Properties.EMPTY, null, null, null);
        }
        Properties.Builder props = Properties.builder().add(MqttProperty.RECEIVE_MAXIMUM, 65_535);
        if (sessionExpiry > 0) {
            props.add(MqttProperty.SESSION_EXPIRY_INTERVAL, sessionExpiry);
        }
        return new Connect(version, true, 0, clientId, props.build(), null, null, null);
    }

    private Connect connect(String clientId, long sessionExpiry) {
        return connect(version, clientId, sessionExpiry);
    }

    io.netty.buffer.ByteBuf bytes(MqttPacket packet) {
        return Unpooled.wrappedBuffer(MqttEncoder.encode(packet, version).toArray());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
