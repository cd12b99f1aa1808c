package dev.herald.mqtt.store;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code herald.mqtt.persistence} section of the configuration; see reference.conf for each key. */
public record PersistenceSettings(
        boolean enabled, Path directory, Durability durability, Duration batchInterval, int maxGroupChanges) {

    /** When a change is on disk relative to the acknowledgement that promised it. */
    public enum Durability {
        /** fsync before PUBACK, PUBREC and SUBACK: nothing acknowledged is lost. */
        SYNC,
        /** One fsync per batch interval; acknowledgements do not wait for it. */
        BATCHED;

        static Durability of(String name) {
            return switch (name) {
                case "sync" -> SYNC;
                case "batched" -> BATCHED;
                default ->
                    throw new IllegalArgumentException(
                            "herald.mqtt.persistence.durability must be sync or batched, not '" + name + "'");
            };
        }
    }

    public static PersistenceSettings from(Config root) {
        Config c = root.getConfig("herald.mqtt.persistence");
        Duration interval = c.getDuration("batch-interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(
                    "herald.mqtt.persistence.batch-interval must be above 0, not " + interval);
        }
        String directory = c.getString("directory");
        if (directory.isBlank()) {
            throw new IllegalArgumentException("herald.mqtt.persistence.directory must name a directory, not be empty");
        }
        int maxGroup = c.getInt("max-group-changes");
        if (maxGroup < 1) {
            throw new IllegalArgumentException(
                    "herald.mqtt.persistence.max-group-changes must be at least 1, not " + maxGroup);
        }
        return new PersistenceSettings(
                c.getBoolean("enabled"),
                Path.of(directory),
                Durability.of(c.getString("durability")),
                interval,
                maxGroup);
    }

    /** Nothing kept across restarts. */
    public static PersistenceSettings inMemory() {
        return new PersistenceSettings(false, Path.of("data"), Durability.SYNC, Duration.ofMillis(10), 20_000);
    }
}
