package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.auth.Permissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionRecheckTest {

    /** May read what is under a/ only. */
    private static final Permissions READS_A = new Permissions() {
        @Override
        public boolean mayPublish(String topic) {
            return true;
        }

        @Override
        public boolean maySubscribe(String filter) {
            return filter.startsWith("a/");
        }
    };

    @Test
    void theFiltersRefusedNowAreNamedAsSubscribedAndASharedOneIsJudgedByItsFilter() {
        assertThat(SubscriptionRecheck.refused(List.of("a/#", "b/#", "$share/g/a/+", "$share/g/b/+", "a/x/y"), READS_A))
                .containsExactly("b/#", "$share/g/b/+");
        assertThat(SubscriptionRecheck.refused(List.of("b/#"), Permissions.ALL)).isEmpty();
    }
}
