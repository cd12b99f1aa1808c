package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputTest {

    @Test
    void sharedMembersSubscribeToOneGroupAndEachMessageIsDeliveredOnce() {
        Throughput.Shape shared = Throughput.shape("shared");

        // MQTT 5.0 section 4.8.2: $share/{ShareName}/{filter}, one member gets each message
        assertThat(shared.filter("load/shared/0")).isEqualTo("$share/bench/load/shared/0");
        assertThat(shared.subscribersPerFlow()).isEqualTo(4);
        assertThat(shared.copies()).isEqualTo(1);
    }

    @Test
    void otherShapesDeliverACopyToEverySubscriber() {
        assertThat(Throughput.shape("fanout").copies()).isEqualTo(8);
        assertThat(Throughput.shape("fanout").filter("load/fanout/0")).isEqualTo("load/fanout/0");
        assertThat(Throughput.shape("fanin").filter("load/fanin/0")).isEqualTo("load/fanin/0/+");
    }

    @Test
    void evennessIsTheSmallestMemberCountOverTheLargest() {
        assertThat(Throughput.evenness(new long[] {50, 50, 50, 50})).isEqualTo(1.0);
        assertThat(Throughput.evenness(new long[] {40, 50, 50, 80})).isEqualTo(0.5);
        assertThat(Throughput.evenness(new long[] {0, 0, 0, 0})).isNaN();
    }
}
