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
 * modification times (which have a coarse resolution on some file systems). A change counts once the
 * new contents were the same at two checks in a row, so a file caught half-written (an editor that
 * truncates and writes, a certificate written before its key) is not loaded. A missing or unreadable
 * file counts as a content of its own. For one checking thread at a time.
 */
public final class WatchedFiles {

    private final List<Path> files;
    private String loaded;
    private String seenLast;

    public WatchedFiles(List<Path> files) {
        this.files = List.copyOf(files);
        this.loaded = digest();
        this.seenLast = loaded;
    }

    /**
     * Whether the contents differ from those last reported (or those at construction) and are the
     * same as at the check before this one: a change is reported once, one check after it settled.
     */
    public boolean changed() {
        String now = digest();
        boolean settled = now.equals(seenLast);
        seenLast = now;
        if (!settled || now.equals(loaded)) {
            return false;
        }
        loaded = now;
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
