package dev.herald.mqtt.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.store.StoreException;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A data directory as JSON Lines and back, for backups and migrations: a header line naming the
 * format, a line per retained message, a line per session with its subscriptions, pending Will,
 * messages and incoming QoS 2 packet ids, and a last line counting them, so that a cut-off file is
 * refused. Topics and client ids are text, payloads and binary properties base64, times epoch
 * milliseconds. Both directions run on a stopped broker: a running one holds the directory's lock,
 * and opening it fails with a {@link StoreException} saying so.
 */
public final class StoreTransfer {

    public static final String FORMAT = "herald-export";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = TransferJson.JSON;
    private static final int BATCH_OPS = 1000;
    private static final long BATCH_BYTES = 4L << 20;
    private static final RuntimeException FOUND = new RuntimeException("found", null, false, false) {};

    private StoreTransfer() {}

    /** What was exported or imported. */
    public record Counts(long retained, long sessions, long messages, long inboundQos2) {}

    /** Writes the directory's state to {@code out}; the directory must hold a Herald store. */
    public static Counts exportTo(Path directory, Writer out) {
        Path dir = directory.toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new StoreException(dir, "No Herald data in " + dir + ": give the broker's data directory", null);
        }
        long[] n = new long[4];
        try (StateStore store = StateStore.open(dir)) {
            line(out, JSON.createObjectNode().put("format", FORMAT).put("version", VERSION));
            byte[][] retained = StoreFormat.kindRange(StoreFormat.RETAINED);
            store.scan(retained[0], retained[1], (key, value) -> {
                StoredRetained r = StoreFormat.retained(value);
                line(
                        out,
                        TransferJson.publish(TransferJson.node("retained"), r.message())
                                .put("storedAt", r.storedAtMillis()));
                n[0]++;
            });
            byte[][] sessions = StoreFormat.kindRange(StoreFormat.SESSION);
            store.scan(sessions[0], sessions[1], (key, value) -> {
                ObjectNode session = session(StoreFormat.session(key, value), store, n);
                line(out, session);
                n[1]++;
            });
            line(out, counts(TransferJson.node("end"), new Counts(n[0], n[1], n[2], n[3])));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Counts(n[0], n[1], n[2], n[3]);
    }

    private static ObjectNode session(StoredSession s, StateStore store, long[] n) {
        ObjectNode o = TransferJson.node("session")
                .put("clientId", s.clientId())
                .put("incarnation", s.incarnation())
                .put("expiryInterval", s.expiryInterval());
        if (s.disconnectedAtMillis() == StoredSession.CONNECTED) {
            o.putNull("disconnectedAt"); // connected when the broker stopped
        } else {
            o.put("disconnectedAt", s.disconnectedAtMillis());
        }
        ArrayNode subs = o.putArray("subscriptions");
        for (StoredSubscription sub : s.subscriptions()) {
            Subscription so = sub.options();
            subs.addObject()
                    .put("filter", so.filter())
                    .put("qos", so.qos().value())
                    .put("noLocal", so.noLocal())
                    .put("retainAsPublished", so.retainAsPublished())
                    .put("retainHandling", so.retainHandling().value())
                    .put("subscriptionId", sub.subscriptionId());
        }
        Will w = s.will();
        if (w == null) {
            o.putNull("will");
        } else {
            Publish p = new Publish(w.topic(), w.qos(), w.retain(), false, 0, w.properties(), w.payload());
            TransferJson.publish(o.putObject("will"), p).put("dueAt", s.willDueAtMillis());
        }
        ArrayNode messages = o.putArray("messages");
        byte[][] range = StoreFormat.sessionRange(StoreFormat.MESSAGE, s.clientId(), s.incarnation());
        store.scan(range[0], range[1], (k, v) -> {
            StoredMessage m = StoreFormat.message(k, v);
            ObjectNode message = messages.addObject().put("seq", m.seq()).put("state", TransferJson.name(m.state()));
            TransferJson.publish(message, m.publish()).put("receivedAt", m.receivedAtMillis());
            n[2]++;
        });
        ArrayNode inbound = o.putArray("inboundQos2");
        range = StoreFormat.sessionRange(StoreFormat.INBOUND, s.clientId(), s.incarnation());
        store.scan(range[0], range[1], (k, v) -> inbound.add(StoreFormat.inboundPacketId(k)));
        n[3] += inbound.size();
        return o;
    }

    private static ObjectNode counts(ObjectNode o, Counts c) {
        return o.put("retained", c.retained())
                .put("sessions", c.sessions())
                .put("messages", c.messages())
                .put("inboundQos2", c.inboundQos2());
    }

    /**
     * Loads an export into the directory (made when missing); the whole file is checked before
     * anything is written. Without {@code merge} the directory must hold no state; with it, each
     * retained message and session of the file replaces the one of its topic or client id (a session
     * with all its messages) and the rest stays.
     */
    public static Counts importFrom(Path file, Path directory, boolean merge) {
        Counts counts = read(file, merge, op -> {});
        Path dir = directory.toAbsolutePath();
        try (StateStore store = StateStore.open(dir)) {
            if (!merge && holdsState(store)) {
                throw new StoreException(
                        dir,
                        "The data directory " + dir + " already holds sessions or retained messages: import into"
                                + " a new or empty directory, or with --merge to replace what the file holds",
                        null);
            }
            List<StoreOp> batch = new ArrayList<>();
            long[] bytes = {0};
            read(file, merge, op -> {
                batch.add(op);
                bytes[0] += op instanceof StoreOp.Put put ? put.key().length + put.value().length : 64;
                if (batch.size() >= BATCH_OPS || bytes[0] >= BATCH_BYTES) {
                    store.commit(batch);
                    batch.clear();
                    bytes[0] = 0;
                }
            });
            store.commit(batch);
        }
        return counts;
    }

    /** Whether any session, message or retained message is stored: their kinds lie from 'i' to 's'. */
    private static boolean holdsState(StateStore store) {
        try {
            store.scan(new byte[] {StoreFormat.INBOUND}, new byte[] {StoreFormat.SESSION + 1}, (k, v) -> {
                throw FOUND;
            });
            return false;
        } catch (RuntimeException e) {
            if (e != FOUND) {
                throw e;
            }
            return true;
        }
    }

    /** Reads and checks the whole file, giving the changes it makes to {@code ops}. */
    private static Counts read(Path file, boolean merge, Consumer<StoreOp> ops) {
        Set<String> clientIds = new HashSet<>();
        long[] n = new long[4];
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonNode end = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (++lineNo > 1 && line.isBlank()) {
                    continue;
                }
                JsonNode o = JSON.readTree(line);
                if (lineNo == 1) {
                    if (o == null
                            || !FORMAT.equals(o.path("format").asText())
                            || o.path("version").asInt() != VERSION) {
                        throw new IllegalArgumentException("not a Herald export of version " + VERSION + " (its first"
                                + " line is {\"format\":\"" + FORMAT + "\",\"version\":" + VERSION + "})");
                    }
                } else if (end != null) {
                    throw new IllegalArgumentException("a line after the last one (type \"end\")");
                } else if (TransferJson.text(o, "type").equals("retained")) {
                    Publish p = TransferJson.publish(o, false, PropertyScope.PUBLISH);
                    StoredRetained r = new StoredRetained(p, TransferJson.number(o, "storedAt", 0, Long.MAX_VALUE));
                    ops.accept(
                            new StoreOp.Put(StoreFormat.key(StoreFormat.RETAINED, p.topic()), StoreFormat.retained(r)));
                    n[0]++;
                } else if (TransferJson.text(o, "type").equals("session")) {
                    StoredSession s = TransferJson.session(o);
                    if (!clientIds.add(s.clientId())) {
                        throw new IllegalArgumentException("a second session of '" + s.clientId() + "'");
                    }
                    sessionOps(s, o, merge, ops, n);
                } else if (TransferJson.text(o, "type").equals("end")) {
                    end = o;
                } else {
                    throw new IllegalArgumentException("type must be retained, session or end, not " + o.get("type"));
                }
            }
            if (lineNo == 0 || end == null) {
                throw new IllegalArgumentException(
                        lineNo == 0 ? "empty file" : "no last line (type end): the file is cut off");
            }
            Counts counts = new Counts(n[0], n[1], n[2], n[3]);
            if (!end.toString().equals(counts(TransferJson.node("end"), counts).toString())) {
                throw new IllegalArgumentException("the last line is " + end + ", the file holds " + counts);
            }
            return counts;
        } catch (IOException e) {
            throw lineNo == 0
                    ? new UncheckedIOException("cannot read " + file + ": " + e, e)
                    : new IllegalArgumentException(file + ":" + lineNo + ": not JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
        } catch (IllegalArgumentException | StoreFormat.CorruptRecordException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
        }
    }

    private static void sessionOps(StoredSession s, JsonNode o, boolean merge, Consumer<StoreOp> ops, long[] n) {
        String id = s.clientId();
        if (merge) { // the records of the session this one replaces, whatever its incarnation
            byte[][] messages = StoreFormat.clientRange(StoreFormat.MESSAGE, id);
            byte[][] inbound = StoreFormat.clientRange(StoreFormat.INBOUND, id);
            ops.accept(new StoreOp.DeleteRange(messages[0], messages[1]));
            ops.accept(new StoreOp.DeleteRange(inbound[0], inbound[1]));
        }
        ops.accept(new StoreOp.Put(StoreFormat.key(StoreFormat.SESSION, id), StoreFormat.session(s)));
        n[1]++;
        for (JsonNode m : TransferJson.field(o, "messages", JsonNode::isArray, "a list")) {
            StoredMessage.State state = TransferJson.value(StoredMessage.State.class, TransferJson.text(m, "state"));
            Publish p = TransferJson.publish(m, true, PropertyScope.PUBLISH);
            if (p.qos() == QoS.AT_MOST_ONCE || (state == StoredMessage.State.QUEUED) != (p.packetId() == 0)) {
                throw new IllegalArgumentException(
                        "a session keeps QoS 1 and 2 messages, with a packetId unless queued");
            }
            long seq = TransferJson.number(m, "seq", 0, Long.MAX_VALUE);
            StoredMessage message =
                    new StoredMessage(seq, p, state, TransferJson.number(m, "receivedAt", 0, Long.MAX_VALUE));
            ops.accept(new StoreOp.Put(StoreFormat.messageKey(id, s.incarnation(), seq), StoreFormat.message(message)));
            n[2]++;
        }
        for (JsonNode packetId : TransferJson.field(o, "inboundQos2", JsonNode::isArray, "a list")) {
            if (!packetId.canConvertToInt() || packetId.asInt() < 1 || packetId.asInt() > 65_535) {
                throw new IllegalArgumentException("inboundQos2 holds packet ids from 1 to 65535, not " + packetId);
            }
            ops.accept(new StoreOp.Put(StoreFormat.inboundKey(id, s.incarnation(), packetId.asInt()), new byte[0]));
            n[3]++;
        }
    }

    // --- lines and fields -----------------------------------------------------------------------

    private static void line(Writer out, JsonNode node) {
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
