package dev.herald.mqtt.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.store.StoreException;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Export to JSON Lines and import back: nothing lost or changed, and files or targets that would be are refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class StoreTransferTest {

    private static ByteString bytes(String s) {
        return ByteString.fromString(s, StandardCharsets.UTF_8);
    }

    /** Two retained messages, a disconnected session with everything a session holds, a connected one. */
    private static void fill(Path dir) {
        Properties rich = Properties.builder()
                .add(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 3600L)
                .add(MqttProperty.CONTENT_TYPE, "text/plain")
                .add(MqttProperty.RESPONSE_TOPIC, "replies/é")
                .add(MqttProperty.CORRELATION_DATA, ByteString.fromArray(new byte[] {0, -1, 7}))
                .userProperty("k", "v1")
                .userProperty("k", "v2")
                .build();
        Will will = new Will(
                "wills/device-1",
                bytes("gone"),
                QoS.AT_LEAST_ONCE,
                true,
                Properties.builder()
                        .add(MqttProperty.WILL_DELAY_INTERVAL, 30L)
                        .add(MqttProperty.CONTENT_TYPE, "text/plain")
                        .build());
        StoredSession device = new StoredSession(
                "device-1",
                7,
                3600,
                1_700_000_000_000L,
                List.of(
                        new StoredSubscription(new Subscription("sensors/+/data", QoS.EXACTLY_ONCE), 12),
                        new StoredSubscription(
                                new Subscription(
                                        "$share/g/jobs/#", QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND),
                                0)),
                will,
                1_700_000_030_000L);
        StoredSession connected =
                new StoredSession("device-2", 8, 0xFFFF_FFFFL, StoredSession.CONNECTED, List.of(), null, 0);
        List<StoreOp> ops = new ArrayList<>();
        ops.add(retained(new Publish("a/b", QoS.AT_LEAST_ONCE, true, false, 0, rich, bytes("retained"))));
        ops.add(retained(
                new Publish("a/c", QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY, ByteString.emptyByteString())));
        for (StoredSession s : List.of(device, connected)) {
            ops.add(new StoreOp.Put(StoreFormat.key(StoreFormat.SESSION, s.clientId()), StoreFormat.session(s)));
        }
        ops.add(message(
                1,
                new Publish("sensors/x/data", QoS.AT_LEAST_ONCE, false, false, 0, rich, bytes("q1")),
                StoredMessage.State.QUEUED));
        ops.add(message(
                2,
                new Publish("sensors/y/data", QoS.EXACTLY_ONCE, false, false, 5, Properties.EMPTY, bytes("f2")),
                StoredMessage.State.IN_FLIGHT));
        ops.add(message(
                3,
                new Publish("sensors/z/data", QoS.EXACTLY_ONCE, false, false, 6, Properties.EMPTY, bytes("r2")),
                StoredMessage.State.RELEASED));
        ops.add(new StoreOp.Put(StoreFormat.inboundKey("device-1", 7, 42), new byte[0]));
        ops.add(new StoreOp.Put(StoreFormat.inboundKey("device-1", 7, 65_535), new byte[0]));
        // A message of an earlier session of the client id, which nothing reads: not exported.
        ops.add(new StoreOp.Put(
                StoreFormat.messageKey("device-1", 6, 1),
                StoreFormat.message(new StoredMessage(
                        1,
                        new Publish("old", QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY, bytes("old")),
                        StoredMessage.State.QUEUED,
                        1))));
        try (StateStore store = StateStore.open(dir)) {
            store.commit(ops);
        }
    }

    private static StoreOp retained(Publish p) {
        return new StoreOp.Put(
                StoreFormat.key(StoreFormat.RETAINED, p.topic()),
                StoreFormat.retained(new StoredRetained(p, 1_700_000_000_123L)));
    }

    private static StoreOp message(long seq, Publish p, StoredMessage.State state) {
        return new StoreOp.Put(
                StoreFormat.messageKey("device-1", 7, seq),
                StoreFormat.message(new StoredMessage(seq, p, state, 1_700_000_000_000L + seq)));
    }

    private static String export(Path dir) {
        StringWriter out = new StringWriter();
        StoreTransfer.exportTo(dir, out);
        return out.toString();
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void anExportImportedIntoANewDirectoryExportsTheSame(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("first");
        fill(first);
        String exported = export(first);

        StoreTransfer.Counts counts =
                StoreTransfer.importFrom(write(tmp, "backup.jsonl", exported), tmp.resolve("second"), false);

        assertThat(export(tmp.resolve("second"))).isEqualTo(exported);
        assertThat(counts).isEqualTo(new StoreTransfer.Counts(2, 2, 3, 2));
        List<String> lines = exported.lines().toList();
        assertThat(lines).hasSize(1 + 2 + 2 + 1);
        assertThat(lines.get(0)).isEqualTo("{\"format\":\"herald-export\",\"version\":1}");
        assertThat(lines.get(1))
                .startsWith("{\"type\":\"retained\",\"topic\":\"a/b\",\"qos\":1,\"retain\":true,\"properties\":[")
                .contains("{\"correlation-data\":\"AP8H\"}", "{\"user-property\":[\"k\",\"v1\"]}", "replies/é")
                .endsWith("\"payload\":\"cmV0YWluZWQ=\",\"storedAt\":1700000000123}");
        assertThat(lines.get(3))
                .startsWith("{\"type\":\"session\",\"clientId\":\"device-1\",\"incarnation\":7,")
                .contains("\"filter\":\"$share/g/jobs/#\"", "\"will-delay-interval\":30", "\"dueAt\":1700000030000")
                .contains(
                        "\"seq\":1,\"state\":\"queued\",\"topic\":\"sensors/x/data\",\"qos\":1,\"retain\":false,\"properties\"")
                .contains(
                        "\"seq\":2,\"state\":\"in-flight\",\"topic\":\"sensors/y/data\",\"qos\":2,\"retain\":false,\"packetId\":5")
                .contains("\"state\":\"released\"")
                .endsWith("\"inboundQos2\":[42,65535]}")
                .doesNotContain("\"topic\":\"old\"");
        assertThat(lines.get(4)).contains("\"clientId\":\"device-2\"", "\"disconnectedAt\":null", "\"will\":null");
        assertThat(lines.get(5))
                .isEqualTo("{\"type\":\"end\",\"retained\":2,\"sessions\":2,\"messages\":3,\"inboundQos2\":2}");
    }

    @Test
    void aDirectoryWithStateIsRefusedUnlessMergedAndAMergeReplacesTheSessionsOfTheFile(@TempDir Path tmp)
            throws Exception {
        Path source = tmp.resolve("source");
        fill(source);
        Path file = write(tmp, "backup.jsonl", export(source));
        Path target = tmp.resolve("target");
        Publish other = new Publish("other", QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY, bytes("x"));
        try (StateStore store = StateStore.open(target)) {
            store.commit(List.of(
                    retained(new Publish("kept/topic", QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY, bytes("k"))),
                    new StoreOp.Put(
                            StoreFormat.key(StoreFormat.SESSION, "device-1"),
                            StoreFormat.session(new StoredSession("device-1", 1, 60, 5, List.of(), null, 0))),
                    new StoreOp.Put(
                            StoreFormat.messageKey("device-1", 1, 9),
                            StoreFormat.message(new StoredMessage(9, other, StoredMessage.State.QUEUED, 5)))));
        }

        assertThatThrownBy(() -> StoreTransfer.importFrom(file, target, false))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("already holds sessions or retained messages")
                .hasMessageContaining("--merge");
        StoreTransfer.importFrom(file, target, true);

        String merged = export(target);
        assertThat(merged)
                .contains("\"topic\":\"kept/topic\"", "\"incarnation\":7")
                .doesNotContain("\"topic\":\"other\"");
        assertThat(merged.lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("{\"type\":\"end\",\"retained\":3,\"sessions\":2,\"messages\":3,\"inboundQos2\":2}");
    }

    @Test
    void aFileThatIsCutOffOrWrongIsRefusedWithItsLineAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path source = tmp.resolve("source");
        fill(source);
        List<String> lines = export(source).lines().toList();
        Path target = tmp.resolve("target");
        String header = lines.get(0) + "\n";

        Path cut = write(tmp, "cut.jsonl", String.join("\n", lines.subList(0, lines.size() - 1)));
        Path twice = write(tmp, "twice.jsonl", header + lines.get(3) + "\n" + lines.get(3) + "\n");
        Path badState = write(tmp, "state.jsonl", header + lines.get(3).replace("in-flight", "flying") + "\n");
        Path notJson = write(tmp, "bad.jsonl", header + "{\"type\":\n");
        Path badQos = write(tmp, "qos.jsonl", header + lines.get(1).replace("\"qos\":1", "\"qos\":3") + "\n");
        Path foreign = write(tmp, "foreign.jsonl", "{\"some\":\"thing\"}\n");

        assertThatThrownBy(() -> StoreTransfer.importFrom(cut, target, false))
                .hasMessageContaining("the file is cut off");
        assertThatThrownBy(() -> StoreTransfer.importFrom(twice, target, false))
                .hasMessageContaining(twice + ":3: a second session of 'device-1'");
        assertThatThrownBy(() -> StoreTransfer.importFrom(badState, target, false))
                .hasMessageContaining(badState + ":2: unknown State 'flying'");
        assertThatThrownBy(() -> StoreTransfer.importFrom(notJson, target, false))
                .hasMessageContaining(notJson + ":2: not JSON");
        assertThatThrownBy(() -> StoreTransfer.importFrom(badQos, target, false))
                .hasMessageContaining(badQos + ":2: qos must be a whole number from 0 to 2");
        assertThatThrownBy(() -> StoreTransfer.importFrom(foreign, target, false))
                .hasMessageContaining(foreign + ":1: not a Herald export");
        assertThat(target).doesNotExist();
    }

    @Test
    void aDirectoryInUseOrWithoutDataCannotBeExported(@TempDir Path tmp) {
        Path dir = tmp.resolve("data");
        fill(dir);
        try (StateStore running = StateStore.open(dir)) {
            assertThatThrownBy(() -> export(dir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("another Herald is running on it");
        }
        assertThatThrownBy(() -> export(tmp.resolve("nothing")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("No Herald data in");
        assertThat(tmp.resolve("nothing")).doesNotExist();
    }
}
