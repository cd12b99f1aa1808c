package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void withoutASubscriberPortEveryClientUsesThePortAndOnePidIsTheBroker() {
        Options o = Options.parse("--port", "1883", "--scenario", "fanin", "--pid", "42");

        assertThat(o.subscriberPort()).isEqualTo(1883);
        assertThat(o.splitPorts()).isFalse();
        assertThat(o.brokerPids()).containsExactly(42L);
        assertThat(o.brokerPid()).isEqualTo(42);
        assertThat(Options.parse("--port", "1883", "--scenario", "fanin").brokerPid())
                .isEqualTo(-1);
    }

    @Test
    void subscribersMayConnectToAnotherNodeAndTheBrokerMayBeSeveralProcesses() {
        Options o = Options.parse(
                "--port", "1883", "--subscriber-port", "1884", "--scenario", "fanout", "--pid", "7,8", "--pid", "9");

        assertThat(o.subscriberPort()).isEqualTo(1884);
        assertThat(o.splitPorts()).isTrue();
        assertThat(o.brokerPids()).containsExactly(7L, 8L, 9L);
        assertThatThrownBy(() -> Options.parse("--port", "1883", "--subscriber-port", "0", "--scenario", "fanin"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCpuOfSeveralProcessesIsSummedAndUnknownWithoutAny() {
        long self = ProcessHandle.current().pid();
        double one = ProcStats.cpuSeconds(self);

        assertThat(ProcStats.cpuSeconds(List.of(self, self))).isGreaterThanOrEqualTo(2 * one);
        assertThat(ProcStats.cpuSeconds(List.of())).isNaN();
        assertThat(ProcStats.cpuSeconds(List.of(self, -1L))).isNaN();
    }

    @Test
    void aRoutingProbeIsCountedApartAndLeavesTheWindowAlone() {
        Publisher.FlowWindow window = new Publisher.FlowWindow(500, 1);
        window.outstanding.set(3);
        Subscriber sub = new Subscriber(window, List.of(), null);

        sub.received(Unpooled.EMPTY_BUFFER, RoutingProbe.PAYLOAD_LENGTH);
        sub.received(Unpooled.wrappedBuffer(new byte[64]), 64);

        assertThat(sub.probes.get()).isEqualTo(1);
        assertThat(sub.received.get()).isEqualTo(1);
        assertThat(window.outstanding.get()).isEqualTo(2);
        assertThat(RoutingProbe.probe("load/fanin/0/0").payload().isEmpty()).isTrue();
    }
}
