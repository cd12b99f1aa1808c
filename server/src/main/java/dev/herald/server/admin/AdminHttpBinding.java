package dev.herald.server.admin;

import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.runtime.ProtocolBinding;
import dev.herald.server.admin.internal.AdminHttpHandler;
import dev.herald.server.admin.internal.AdminRoutes;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin HTTP on Netty: {@code GET /health} (200 while every binding is bound, else 503), {@code GET
 * /metrics} (Prometheus text), {@code GET /clients}, {@code GET /subscriptions} and {@code GET
 * /cluster} (JSON). It has
 * one event-loop thread of its own, so a slow scrape never touches MQTT traffic.
 *
 * <pre>{@code
 * EmbeddedBroker.builder()
 *         .binding(broker -> new AdminHttpBinding(broker, settings, List.of()))
 *         .start();
 * }</pre>
 */
public final class AdminHttpBinding implements ProtocolBinding {

    public static final String NAME = "admin-http";

    private static final Logger log = LoggerFactory.getLogger(AdminHttpBinding.class);

    /** Connections still open at stop are closed at once; nothing waits for more tasks. */
    private static final long SHUTDOWN_QUIET_PERIOD_MS = 0;

    private static final int EVENT_LOOP_THREADS = 1;

    private final BrokerContext broker;
    private final AdminSettings settings;
    private final List<MeterBinder> extraBinders;
    private volatile EventLoopGroup group;
    private volatile Channel channel;
    private volatile ChannelGroup connections;
    private volatile AdminMetrics metrics;

    /** @param extraBinders meters to serve besides the broker's and the JVM's (a tap plane's) */
    public AdminHttpBinding(BrokerContext broker, AdminSettings settings, List<MeterBinder> extraBinders) {
        this.broker = broker;
        this.settings = settings;
        this.extraBinders = List.copyOf(extraBinders);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized CompletionStage<List<InetSocketAddress>> start() {
        if (group != null) {
            throw new IllegalStateException("admin HTTP has started already");
        }
        AdminMetrics meters = new AdminMetrics(broker.metrics(), extraBinders);
        AdminRoutes routes = new AdminRoutes(AdminRoutes.BrokerView.of(broker), meters, settings.requestTimeout());
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(
                EVENT_LOOP_THREADS, new DefaultThreadFactory("herald-admin-http", true), NioIoHandler.newFactory());
        ChannelGroup open = new DefaultChannelGroup("admin-http-connections", loop.next());
        metrics = meters;
        group = loop;
        connections = open;
        HttpDecoderConfig decoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxHeaderSize())
                .setMaxHeaderSize(settings.maxHeaderSize());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.size() >= settings.maxConnections()) {
                            log.debug(
                                    "Admin HTTP: refusing {}, {} connections are open already",
                                    ch.remoteAddress(),
                                    open.size());
                            ch.close();
                            return;
                        }
                        open.add(ch);
                        ch.pipeline()
                                .addLast(new IdleStateHandler(
                                        0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(decoding))
                                .addLast(new HttpObjectAggregator(settings.maxBodySize()))
                                .addLast(new AdminHttpHandler(routes));
                    }
                });
        CompletableFuture<List<InetSocketAddress>> bound = new CompletableFuture<>();
        bootstrap.bind(settings.bind(), settings.port()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                channel = f.channel();
                bound.complete(boundAddresses());
            } else {
                BindException failed = new BindException("cannot listen on " + settings.bind() + ":" + settings.port()
                        + ": " + f.cause().getMessage());
                failed.initCause(f.cause());
                stop(Duration.ZERO).whenComplete((done, e) -> bound.completeExceptionally(failed));
            }
        });
        return bound;
    }

    @Override
    public synchronized CompletionStage<Done> stop(Duration deadline) {
        EventLoopGroup loop = group;
        Channel bound = channel;
        AdminMetrics meters = metrics;
        ChannelGroup open = connections;
        group = null;
        channel = null;
        metrics = null;
        connections = null;
        if (loop == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        Runnable shutdown = () -> loop.shutdownGracefully(
                        SHUTDOWN_QUIET_PERIOD_MS, Math.max(deadline.toMillis(), 1), TimeUnit.MILLISECONDS)
                .addListener(terminated -> {
                    meters.close();
                    stopped.complete(Done.getInstance());
                });
        // The listener first, then the connections it accepted, then the event loop.
        if (bound == null) {
            open.close().addListener(closed -> shutdown.run());
        } else {
            bound.close().addListener(unbound -> open.close().addListener(closed -> shutdown.run()));
        }
        return stopped;
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        Channel bound = channel;
        return bound == null ? List.of() : List.of((InetSocketAddress) bound.localAddress());
    }
}
