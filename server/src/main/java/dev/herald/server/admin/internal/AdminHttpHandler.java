package dev.herald.server.admin.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin HTTP connection: answers each aggregated request through {@link AdminRoutes}, in the
 * order the requests came, writing an answer when its stage completes (never waiting on the event
 * loop). A malformed request gets 400 and the connection closes; anything but GET gets 405.
 */
public final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRoutes routes;
    /** The last answer written or to be written; touched on the event loop only. */
    private CompletableFuture<Void> lastWritten = CompletableFuture.completedFuture(null);

    private int pending;

    public AdminHttpHandler(AdminRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String what = request.method() + " " + request.uri();
        HttpVersion version;
        boolean keepAlive;
        CompletableFuture<Reply> reply;
        if (!request.decoderResult().isSuccess()) {
            log.debug(
                    "Admin HTTP: malformed request from {}: {}",
                    ctx.channel().remoteAddress(),
                    request.decoderResult().cause().toString());
            version = HttpVersion.HTTP_1_1;
            keepAlive = false;
            reply = CompletableFuture.completedFuture(Reply.text(400, "Bad Request\n"));
        } else {
            version = request.protocolVersion();
            keepAlive = HttpUtil.isKeepAlive(request);
            reply = answer(request);
        }
        // One request at a time per connection: answers go out in request order, and a client that
        // pipelines requests is read no faster than it is answered.
        if (++pending == 1) {
            ctx.channel().config().setAutoRead(false);
        }
        lastWritten = lastWritten
                .thenCombine(reply, (previous, answer) -> answer)
                .handleAsync(
                        (answer, failure) -> {
                            if (failure != null) {
                                log.warn("Admin HTTP: {} failed", what, failure);
                                answer = Reply.text(500, "Internal Server Error\n");
                            }
                            write(ctx, version, answer, keepAlive);
                            if (--pending == 0) {
                                ctx.channel().config().setAutoRead(true);
                            }
                            return null;
                        },
                        ctx.executor());
    }

    private CompletableFuture<Reply> answer(FullHttpRequest request) {
        if (!HttpMethod.GET.equals(request.method())) {
            return CompletableFuture.completedFuture(Reply.text(405, "Method Not Allowed: use GET\n"));
        }
        try {
            return routes.get(new QueryStringDecoder(request.uri()).path()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void write(ChannelHandlerContext ctx, HttpVersion version, Reply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                version, HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (reply.status() == HttpResponseStatus.METHOD_NOT_ALLOWED.code()) {
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug(
                "Admin HTTP: closing the connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
