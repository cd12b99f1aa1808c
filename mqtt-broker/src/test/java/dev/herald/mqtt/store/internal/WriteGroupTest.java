package dev.herald.mqtt.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the writer folds one commit's changes: the disk ends as if each had been written in turn. */
class WriteGroupTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(StoreOp op) {
        if (op instanceof StoreOp.Put p) {
            return "put " + new String(p.key(), StandardCharsets.UTF_8) + "="
                    + new String(p.value(), StandardCharsets.UTF_8);
        } else if (op instanceof StoreOp.Delete d) {
            return "delete " + new String(d.key(), StandardCharsets.UTF_8);
        }
        StoreOp.DeleteRange r = (StoreOp.DeleteRange) op;
        return "range " + new String(r.from(), StandardCharsets.UTF_8) + ".."
                + new String(r.to(), StandardCharsets.UTF_8);
    }

    private static List<String> fold(StoreOp... ops) {
        WriteGroup group = new WriteGroup();
        for (StoreOp op : ops) {
            group.add(op);
        }
        return group.ops().stream().map(WriteGroupTest::describe).toList();
    }

    @Test
    void aMessageQueuedSentAndAcknowledgedInOneGroupNeverReachesTheDisk() {
        assertThat(fold(
                        new StoreOp.Put(b("m1"), b("queued"), true),
                        new StoreOp.Put(b("m1"), b("in flight")),
                        new StoreOp.Delete(b("m1"))))
                .isEmpty();
    }

    @Test
    void aRecordThatWasOnDiskBeforeTheGroupIsStillDeleted() {
        assertThat(fold(new StoreOp.Put(b("m1"), b("released")), new StoreOp.Delete(b("m1"))))
                .containsExactly("delete m1");
        assertThat(fold(
                        new StoreOp.Delete(b("i5")),
                        new StoreOp.Put(b("i5"), b(""), true),
                        new StoreOp.Delete(b("i5"))))
                .containsExactly("delete i5");
    }

    @Test
    void theLastChangeOfAKeyWins() {
        assertThat(fold(
                        new StoreOp.Put(b("s"), b("1")),
                        new StoreOp.Put(b("r"), b("x")),
                        new StoreOp.Put(b("s"), b("2"))))
                .containsExactly("put s=2", "put r=x");
    }

    @Test
    void aRangeDeletionGoesFirstAndDropsTheEarlierChangesInItsRange() {
        assertThat(fold(
                        new StoreOp.Put(b("a1"), b("old")),
                        new StoreOp.Put(b("b1"), b("kept")),
                        new StoreOp.DeleteRange(b("a"), b("b")),
                        new StoreOp.Put(b("a2"), b("new"), true)))
                .containsExactly("range a..b", "put b1=kept", "put a2=new");
    }
}
