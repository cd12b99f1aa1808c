package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database in the data directory. Opening it checks that it holds Herald's format and
 * turns every way it can fail into a {@link StoreException} that says what to do. Reads are made by
 * recovery and by a session loading its messages; writes only by the {@link StoreWriter}.
 */
public final class StateStore implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);

    private StateStore(Path directory, Options options, RocksDB db) {
        this.directory = directory;
        this.options = options;
        this.db = db;
    }

    public static StateStore open(Path directory) {
        Path dir = directory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new StoreException(
                    dir,
                    "Cannot create the data directory " + dir + " (" + e + "): create it, or give another with --data"
                            + " or herald.mqtt.persistence.directory",
                    e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException(dir, "The data directory " + dir + " is not writable by this user", null);
        }
        Options options = new Options()
                .setCreateIfMissing(true)
                .setParanoidChecks(true)
                // No 70 MB write-ahead log reserved up front, and a few of RocksDB's own log files, not 1000.
                .setAllowFAllocate(false)
                .setKeepLogFileNum(5);
        RocksDB db;
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            throw openFailure(dir, e);
        }
        StateStore store = new StateStore(dir, options, db);
        try {
            store.checkFormat();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static StoreException openFailure(Path dir, RocksDBException e) {
        String detail = e.getMessage();
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        if (detail != null && detail.toLowerCase().contains("lock")) {
            return new StoreException(
                    dir,
                    "The data directory " + dir + " is locked by another process (" + detail
                            + "): another Herald is running on it; stop it, or give this one another directory with"
                            + " --data",
                    e);
        }
        if (code == Status.Code.Corruption) {
            return new StoreException(
                    dir,
                    "The data directory " + dir + " is corrupt (" + detail + "): restore it from a backup"
                            + " ('herald import'), or move it aside to start with an empty state",
                    e);
        }
        return new StoreException(
                dir,
                "Cannot open the data directory " + dir + " (" + detail + "): check that it is a Herald data"
                        + " directory on a local disk with room, or move it aside to start with an empty state",
                e);
    }

    /** A new directory gets the format marker; one without it but with data, or of another format, is refused. */
    private void checkFormat() {
        byte[] format = get(StoreFormat.FORMAT_KEY);
        if (format == null) {
            try (RocksIterator it = db.newIterator()) {
                it.seekToFirst();
                if (it.isValid()) {
                    throw new StoreException(
                            directory,
                            "The data directory " + directory + " holds a database that is not Herald's: give"
                                    + " Herald a directory of its own with --data",
                            null);
                }
            }
            commit(List.of(new StoreOp.Put(StoreFormat.FORMAT_KEY, StoreFormat.FORMAT.getBytes())));
        } else if (!Arrays.equals(format, StoreFormat.FORMAT.getBytes())) {
            throw new StoreException(
                    directory,
                    "The data directory " + directory + " is in format '" + new String(format) + "', this Herald"
                            + " reads '" + StoreFormat.FORMAT + "': export it with the Herald that wrote it and import"
                            + " it here",
                    null);
        }
    }

    public Path directory() {
        return directory;
    }

    byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw readFailure(e);
        }
    }

    /** Every record from {@code from} (inclusive) to {@code to} (exclusive), in key order. */
    void scan(byte[] from, byte[] to, BiConsumer<byte[], byte[]> each) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(from); it.isValid() && compare(it.key(), to) < 0; it.next()) {
                each.accept(it.key(), it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw readFailure(e);
        } catch (StoreFormat.CorruptRecordException e) {
            throw new StoreException(
                    directory,
                    "The data directory " + directory + " holds a record Herald cannot read (" + e.getMessage()
                            + "): it is corrupt; restore it from a backup ('herald import'), or move it aside to"
                            + " start with an empty state",
                    e);
        }
    }

    /**
     * The (client id, incarnation) of every session whose records of {@code kind} are present, one call
     * each: it seeks past each session's records instead of reading them.
     */
    void forEachSessionRange(byte kind, BiConsumer<String, Long> each) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {kind}); it.isValid(); ) {
                byte[] key = it.key();
                int zero = indexOfZero(key);
                if (key[0] != kind || zero < 0 || key.length < zero + 9) {
                    break;
                }
                String clientId = new String(key, 1, zero - 1, StandardCharsets.UTF_8);
                long incarnation = ByteBuffer.wrap(key, zero + 1, 8).getLong();
                each.accept(clientId, incarnation);
                it.seek(StoreFormat.sessionRange(kind, clientId, incarnation)[1]);
            }
            it.status();
        } catch (RocksDBException e) {
            throw readFailure(e);
        }
    }

    private static int indexOfZero(byte[] key) {
        for (int i = 1; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the changes atomically and fsyncs the log before it returns. */
    void commit(List<StoreOp> ops) {
        try (WriteBatch batch = new WriteBatch()) {
            for (StoreOp op : ops) {
                if (op instanceof StoreOp.Put put) {
                    batch.put(put.key(), put.value());
                } else if (op instanceof StoreOp.Delete delete) {
                    batch.delete(delete.key());
                } else if (op instanceof StoreOp.DeleteRange range) {
                    batch.deleteRange(range.from(), range.to());
                }
            }
            db.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw new StoreException(
                    directory, "Cannot write to the data directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compacts everything (after a churn, to give deleted records' space back); the bottom level too,
     * which a plain compaction leaves alone and where the deletions of expired sessions end up.
     */
    public void compact() {
        try (CompactRangeOptions force = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
            db.compactRange(null, null, null, force);
        } catch (RocksDBException e) {
            throw new StoreException(directory, "Cannot compact " + directory + ": " + e.getMessage(), e);
        }
    }

    /** RocksDB's estimate of the live data size in bytes (SST files plus memtables). */
    public long estimatedBytes() {
        try {
            return db.getLongProperty("rocksdb.live-sst-files-size")
                    + db.getLongProperty("rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    private StoreException readFailure(RocksDBException e) {
        return new StoreException(
                directory,
                "Cannot read the data directory " + directory + " (" + e.getMessage() + "): it may be corrupt;"
                        + " restore it from a backup or move it aside",
                e);
    }

    private static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public void close() {
        syncWrites.close();
        db.close();
        options.close();
    }
}
