package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchedFilesTest {

    @Test
    void aChangeIsReportedOnceItHasSettledAndOnlyOnce(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "user alice\n");
        WatchedFiles watched = new WatchedFiles(List.of(file));
        assertThat(watched.changed()).isFalse();

        Files.writeString(file, "user bob\n");
        assertThat(watched.changed()).as("first seen").isFalse();
        assertThat(watched.changed()).as("the same at the next check").isTrue();
        assertThat(watched.changed()).isFalse();

        Files.writeString(file, "user bob\n"); // rewritten, same contents
        assertThat(watched.changed()).isFalse();
        assertThat(watched.changed()).isFalse();
    }

    @Test
    void contentsStillChangingAreNotReported(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "user alice\n");
        WatchedFiles watched = new WatchedFiles(List.of(file));

        Files.writeString(file, "user al"); // caught half-written
        assertThat(watched.changed()).isFalse();
        Files.writeString(file, "user alice\ntopic read a/#\n");
        assertThat(watched.changed()).isFalse();
        assertThat(watched.changed()).isTrue();
    }

    @Test
    void aFileThatAppearsOrGoesIsAChange(@TempDir Path dir) throws IOException {
        Path first = Files.writeString(dir.resolve("first"), "");
        Path second = dir.resolve("second");
        WatchedFiles watched = new WatchedFiles(List.of(first, second));

        Files.writeString(second, "");
        watched.changed();
        assertThat(watched.changed()).as("an empty file where there was none").isTrue();
        Files.delete(first);
        watched.changed();
        assertThat(watched.changed()).as("an empty file gone").isTrue();
    }
}
