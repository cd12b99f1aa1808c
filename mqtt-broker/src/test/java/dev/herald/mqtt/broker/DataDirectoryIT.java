package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.PersistenceIT.persistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.mqtt.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * A data directory the broker cannot use stops the start with an error that names the directory and
 * says what to do; the broker never starts on an empty state instead, and a broker already running on
 * the directory carries on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class DataDirectoryIT {

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefusedAndTheFirstCarriesOn(@TempDir Path dir) {
        try (EmbeddedBroker first = PersistenceIT.start(dir)) {
            assertThatThrownBy(() -> PersistenceIT.start(dir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(dir.toAbsolutePath().toString())
                    .hasMessageContaining("locked by another process")
                    .hasMessageContaining("another Herald is running on it");
            Mqtt5BlockingClient client = TestClients.connectV5(first.port(), "still-here");
            TestClients.publish(client, "t", MqttQos.AT_LEAST_ONCE, "fine");
            TestClients.disconnectQuietly(client);
        }
        // Once the first one stopped, the directory is free again.
        try (EmbeddedBroker again = PersistenceIT.start(dir)) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aCorruptDirectoryIsRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = PersistenceIT.start(dir)) {
            Mqtt5BlockingClient client = TestClients.connectV5(broker.port(), "corrupt");
            client.publishWith().topic("r").retain(true).payload("x".getBytes()).send();
            TestClients.disconnectQuietly(client);
        }
        List<Path> manifests;
        try (Stream<Path> files = Files.list(dir)) {
            manifests = files.filter(f -> f.getFileName().toString().startsWith("MANIFEST"))
                    .toList();
        }
        assertThat(manifests).isNotEmpty();
        for (Path manifest : manifests) {
            Files.write(manifest, "not a manifest at all".repeat(10).getBytes());
        }
        assertThatThrownBy(() -> PersistenceIT.start(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("move it aside");
    }

    @Test
    void aRecordThatCannotBeReadFailsTheStartInsteadOfBeingSkipped(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = PersistenceIT.start(dir)) {
            assertThat(broker.port()).isPositive();
        }
        RocksDB.loadLibrary();
        try (Options options = new Options();
                RocksDB db = RocksDB.open(options, dir.toString())) {
            db.put("sbroken".getBytes(), new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> PersistenceIT.start(dir))
                .hasMessageContaining("holds a record Herald cannot read")
                .hasMessageContaining("session record 'broken'");
    }

    @Test
    void aDatabaseThatIsNotHeraldsIsRefused(@TempDir Path dir) throws Exception {
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, dir.toString())) {
            db.put("someone".getBytes(), "else's".getBytes());
        }
        assertThatThrownBy(() -> PersistenceIT.start(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not Herald's");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "a file");
        assertThatThrownBy(() -> EmbeddedBroker.start(persistent(file, "sync")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot create the data directory " + file.toAbsolutePath());
    }
}
