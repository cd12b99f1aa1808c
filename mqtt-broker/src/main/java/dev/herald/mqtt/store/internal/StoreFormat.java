package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * Keys and values of the store. A key is a one-byte kind, the client id or topic in UTF-8 and, for
 * the records of one session, a 0 byte (never in an MQTT string, MQTT-1.5.4-2) and a number, so that
 * one session's records are one key range. A message is kept as its MQTT 5 PUBLISH packet, encoded
 * and decoded by the broker's own codec; every value starts with a format byte.
 */
public final class StoreFormat {

    /** The format this code reads and writes, kept under {@link #FORMAT_KEY}. */
    public static final String FORMAT = "herald-store-1";

    static final byte[] FORMAT_KEY = {'!', 'f', 'o', 'r', 'm', 'a', 't'};
    static final byte SESSION = 's';
    static final byte RETAINED = 'r';
    static final byte MESSAGE = 'm';
    static final byte INBOUND = 'i';
    private static final byte VALUE_FORMAT = 1;

    private StoreFormat() {}

    /** A value that cannot be read: the store is corrupt or of a format this code does not know. */
    public static final class CorruptRecordException extends RuntimeException {
        CorruptRecordException(String message) {
            super(message);
        }
    }

    static byte[] key(byte kind, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + utf8.length];
        key[0] = kind;
        System.arraycopy(utf8, 0, key, 1, utf8.length);
        return key;
    }

    /** Every key of a kind: [kind] up to [kind + 1]. */
    static byte[][] kindRange(byte kind) {
        return new byte[][] {{kind}, {(byte) (kind + 1)}};
    }

    /** Every record of a kind of a client id, whatever its session: [kind, id, 0] up to [kind, id, 1]. */
    static byte[][] clientRange(byte kind, String clientId) {
        byte[] from = sessionPrefix(kind, clientId, 0);
        byte[] to = from.clone();
        to[to.length - 1] = 1;
        return new byte[][] {from, to};
    }

    /** The records of a kind of one session: [kind, id, 0, incarnation] up to the next incarnation. */
    static byte[][] sessionRange(byte kind, String clientId, long incarnation) {
        byte[] from = sessionPrefix(kind, clientId, 8);
        byte[] to = from.clone();
        ByteBuffer.wrap(from, from.length - 8, 8).putLong(incarnation);
        ByteBuffer.wrap(to, to.length - 8, 8).putLong(incarnation + 1);
        return new byte[][] {from, to};
    }

    static byte[] messageKey(String clientId, long incarnation, long seq) {
        byte[] key = sessionPrefix(MESSAGE, clientId, 16);
        ByteBuffer.wrap(key, key.length - 16, 16).putLong(incarnation).putLong(seq);
        return key;
    }

    static byte[] inboundKey(String clientId, long incarnation, int packetId) {
        byte[] key = sessionPrefix(INBOUND, clientId, 10);
        ByteBuffer.wrap(key, key.length - 10, 10).putLong(incarnation).putShort((short) packetId);
        return key;
    }

    private static byte[] sessionPrefix(byte kind, String clientId, int extra) {
        byte[] utf8 = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[2 + utf8.length + extra];
        key[0] = kind;
        System.arraycopy(utf8, 0, key, 1, utf8.length);
        key[1 + utf8.length] = 0;
        return key;
    }

    static String name(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    static int inboundPacketId(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 2, 2).getShort() & 0xFFFF;
    }

    // --- messages -------------------------------------------------------------------------------

    static byte[] message(StoredMessage m) {
        Publish p = m.publish();
        Publish withId = p.packetId() == 0 ? withPacketId(p, 1) : p;
        byte[] packet = MqttEncoder.encode(withId, MqttVersion.V5).toArray();
        ByteBuffer out = ByteBuffer.allocate(1 + 1 + 8 + packet.length);
        out.put(VALUE_FORMAT).put((byte) m.state().ordinal()).putLong(m.receivedAtMillis());
        return out.put(packet).array();
    }

    static StoredMessage message(byte[] key, byte[] value) {
        long seq = ByteBuffer.wrap(key, key.length - 8, 8).getLong();
        ByteBuffer in = valueOf(value);
        StoredMessage.State state = StoredMessage.State.of(in.get());
        if (state == null) {
            throw new CorruptRecordException("unknown message state in " + Arrays.toString(key));
        }
        long receivedAt = in.getLong();
        Publish p = publish(in);
        return new StoredMessage(seq, state == StoredMessage.State.QUEUED ? withPacketId(p, 0) : p, state, receivedAt);
    }

    // --- retained messages ----------------------------------------------------------------------

    static byte[] retained(StoredRetained r) {
        byte[] packet = MqttEncoder.encode(
                        withPacketId(r.message(), r.message().qos() == QoS.AT_MOST_ONCE ? 0 : 1), MqttVersion.V5)
                .toArray();
        return ByteBuffer.allocate(1 + 8 + packet.length)
                .put(VALUE_FORMAT)
                .putLong(r.storedAtMillis())
                .put(packet)
                .array();
    }

    static StoredRetained retained(byte[] value) {
        ByteBuffer in = valueOf(value);
        long storedAt = in.getLong();
        return new StoredRetained(withPacketId(publish(in), 0), storedAt);
    }

    // --- sessions -------------------------------------------------------------------------------

    static byte[] session(StoredSession s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VALUE_FORMAT);
            out.writeLong(s.incarnation());
            out.writeLong(s.expiryInterval());
            out.writeLong(s.disconnectedAtMillis());
            if (s.will() == null) {
                out.writeBoolean(false);
            } else {
                out.writeBoolean(true);
                out.writeLong(s.willDueAtMillis());
                out.writeLong(s.will().properties().longValue(MqttProperty.WILL_DELAY_INTERVAL, 0));
                writeBytes(
                        out,
                        MqttEncoder.encode(willAsPublish(s.will()), MqttVersion.V5)
                                .toArray());
            }
            out.writeInt(s.subscriptions().size());
            for (StoredSubscription sub : s.subscriptions()) {
                Subscription o = sub.options();
                int options = o.qos().value()
                        | (o.noLocal() ? 0x04 : 0)
                        | (o.retainAsPublished() ? 0x08 : 0)
                        | o.retainHandling().value() << 4;
                out.writeByte(options);
                out.writeInt(sub.subscriptionId());
                writeBytes(out, o.filter().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static StoredSession session(byte[] key, byte[] value) {
        ByteBuffer in = valueOf(value);
        try {
            long incarnation = in.getLong();
            long expiry = in.getLong();
            long disconnectedAt = in.getLong();
            Will will = null;
            long willDueAt = 0;
            if (in.get() != 0) {
                willDueAt = in.getLong();
                long delay = in.getLong();
                Publish p = publish(ByteBuffer.wrap(readBytes(in)));
                will = new Will(
                        p.topic(),
                        p.payload(),
                        p.qos(),
                        p.retain(),
                        delay == 0
                                ? p.properties()
                                : p.properties().toBuilder()
                                        .add(MqttProperty.WILL_DELAY_INTERVAL, delay)
                                        .build());
            }
            int count = in.getInt();
            List<StoredSubscription> subs = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                int options = in.get() & 0xFF;
                int subscriptionId = in.getInt();
                String filter = new String(readBytes(in), StandardCharsets.UTF_8);
                QoS qos = QoS.of(options & 0x03);
                RetainHandling rh = RetainHandling.of((options >> 4) & 0x03);
                if (qos == null || rh == null) {
                    throw new CorruptRecordException("bad subscription options of session '" + name(key) + "'");
                }
                subs.add(new StoredSubscription(
                        new Subscription(filter, qos, (options & 0x04) != 0, (options & 0x08) != 0, rh),
                        subscriptionId));
            }
            return new StoredSession(
                    name(key), incarnation, expiry, disconnectedAt, List.copyOf(subs), will, willDueAt);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new CorruptRecordException("truncated session record '" + name(key) + "'");
        }
    }

    /** The Will as a PUBLISH: its properties but the Will Delay Interval, which is kept beside it. */
    private static Publish willAsPublish(Will will) {
        return new Publish(
                will.topic(),
                will.qos(),
                will.retain(),
                false,
                will.qos() == QoS.AT_MOST_ONCE ? 0 : 1,
                will.properties().without(MqttProperty.WILL_DELAY_INTERVAL),
                will.payload());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }

    private static ByteBuffer valueOf(byte[] value) {
        if (value.length == 0 || value[0] != VALUE_FORMAT) {
            throw new CorruptRecordException("record of unknown format " + (value.length == 0 ? "(empty)" : value[0]));
        }
        return ByteBuffer.wrap(value, 1, value.length - 1);
    }

    private static Publish publish(ByteBuffer in) {
        byte[] packet = new byte[in.remaining()];
        in.get(packet);
        DecodeResult result = new MqttDecoder(MqttVersion.V5).decode(ByteString.fromArrayUnsafe(packet));
        if (result instanceof Publish p) {
            return p;
        }
        throw new CorruptRecordException("stored message does not decode: " + result);
    }

    private static Publish withPacketId(Publish p, int packetId) {
        return new Publish(p.topic(), p.qos(), p.retain(), false, packetId, p.properties(), p.payload());
    }
}
