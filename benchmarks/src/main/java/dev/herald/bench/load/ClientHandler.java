package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One generator connection. Reads packets by their fixed header without decoding them into objects,
 * answers QoS 1/2 the way a client must (PUBACK, PUBREC, PUBREL, PUBCOMP from fixed 4-byte
 * templates), and reports each received PUBLISH and each completed outgoing one to its listener.
 */
final class ClientHandler extends ByteToMessageDecoder {

    /** What a connection tells the scenario that owns it; called on the connection's event loop. */
    interface Listener {
        /** A PUBLISH arrived; {@code payload} is positioned at its first payload byte. */
        default void received(ByteBuf payload, int length) {}

        /** A QoS 1/2 PUBLISH of ours was acknowledged (PUBACK or PUBCOMP). */
        default void completed() {}

        default void writable() {}
    }

    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final Listener listener;
    private final boolean v5;

    Listener listener() {
        return listener;
    }

    ClientHandler(Listener listener, boolean v5) {
        this.listener = listener;
        this.v5 = v5;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean wrote = false;
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int header = in.getUnsignedByte(start);
            int remaining = 0;
            int i = 1;
            int b;
            do {
                if (start + i >= in.writerIndex()) {
                    return;
                }
                b = in.getUnsignedByte(start + i);
                remaining |= (b & 0x7F) << (7 * (i - 1));
                i++;
            } while ((b & 0x80) != 0 && i <= 4);
            if (in.readableBytes() < i + remaining) {
                break;
            }
            int body = start + i;
            wrote |= handle(ctx, header, in, body, remaining);
            in.readerIndex(body + remaining);
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** Returns whether something was written. */
    private boolean handle(ChannelHandlerContext ctx, int header, ByteBuf in, int body, int length) {
        switch (header >>> 4) {
            case 2 -> connected.complete(null); // CONNACK
            case 9 -> subacked(in.getUnsignedByte(body + length - 1)); // SUBACK of our one filter
            case 3 -> { // PUBLISH
                int qos = (header >> 1) & 3;
                int topicLength = in.getUnsignedShort(body);
                int pos = body + 2 + topicLength;
                int packetId = 0;
                if (qos > 0) {
                    packetId = in.getUnsignedShort(pos);
                    pos += 2;
                }
                if (v5) {
                    int propertyLength = 0;
                    int shift = 0;
                    int b;
                    do {
                        b = in.getUnsignedByte(pos++);
                        propertyLength |= (b & 0x7F) << shift;
                        shift += 7;
                    } while ((b & 0x80) != 0);
                    pos += propertyLength;
                }
                int payloadLength = body + length - pos;
                int save = in.readerIndex();
                in.readerIndex(pos);
                listener.received(in, payloadLength);
                in.readerIndex(save);
                if (qos == 1) {
                    ack(ctx, 0x40, packetId);
                    return true;
                } else if (qos == 2) {
                    ack(ctx, 0x50, packetId);
                    return true;
                }
            }
            case 4, 7 -> listener.completed(); // PUBACK, PUBCOMP
            case 5 -> { // PUBREC: release
                ack(ctx, 0x62, in.getUnsignedShort(body));
                return true;
            }
            case 6 -> { // PUBREL from the broker: complete
                ack(ctx, 0x70, in.getUnsignedShort(body));
                return true;
            }
            default -> {
                // PINGRESP, UNSUBACK, DISCONNECT: nothing to do
            }
        }
        return false;
    }

    /** The reason code of a one-filter SUBACK is its last byte; 0x80 and above is a refusal. */
    private void subacked(int reasonCode) {
        if (reasonCode < 0x80) {
            subscribed.complete(null);
        } else {
            subscribed.completeExceptionally(
                    new IllegalStateException("SUBSCRIBE refused, reason code 0x" + Integer.toHexString(reasonCode)));
        }
    }

    private static void ack(ChannelHandlerContext ctx, int firstByte, int packetId) {
        ByteBuf ack = ctx.alloc().buffer(4);
        ack.writeByte(firstByte).writeByte(2).writeShort(packetId);
        ctx.write(ack);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            listener.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connected.completeExceptionally(cause);
        ctx.close();
    }
}
