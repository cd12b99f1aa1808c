package dev.herald.mqtt.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Files a reload task checks for changes, by a SHA-256 digest of their contents rather than their
 * modification times (which have a coarse resolution on some file systems). A missing or unreadable
 * file counts as a content of its own. For one checking thread at a time.
 */
public final class WatchedFiles {

    private final List<Path> files;
    private String digest;

    public WatchedFiles(List<Path> files) {
        this.files = List.copyOf(files);
        this.digest = digest();
    }

    /** Whether the contents differ from those at construction or at the last call that answered true. */
    public boolean changed() {
        String now = digest();
        if (now.equals(digest)) {
            return false;
        }
        digest = now;
        return true;
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public String toString() {
        return files.toString();
    }

    private String digest() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (Path file : files) {
            sha256.update(file.toString().getBytes(StandardCharsets.UTF_8));
            try {
                sha256.update(Files.exists(file) ? Files.readAllBytes(file) : new byte[] {0});
            } catch (IOException e) {
                sha256.update(("unreadable: " + e).getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
