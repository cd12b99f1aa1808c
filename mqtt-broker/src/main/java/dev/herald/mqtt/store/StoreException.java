package dev.herald.mqtt.store;

import java.nio.file.Path;

/**
 * The data directory cannot be used (locked by another process, corrupt, of another format, not
 * writable); the message names the directory and what to do. The broker does not start on an empty
 * state instead.
 */
public final class StoreException extends RuntimeException {

    private final Path directory;

    public StoreException(Path directory, String message, Throwable cause) {
        super(message, cause);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
