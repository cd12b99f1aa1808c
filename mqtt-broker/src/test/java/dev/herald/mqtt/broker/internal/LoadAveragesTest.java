package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Exponentially-decayed message rates per minute over 1, 5 and 15 minutes. */
class LoadAveragesTest {

    private static final long SECOND = 1_000_000_000L;

    /** Feeds {@code perSecond} messages a second for {@code seconds}, updating every {@code step} seconds. */
    private static long feed(LoadAverages load, long count, long start, int perSecond, int seconds, int step) {
        long c = count;
        for (int t = step; t <= seconds; t += step) {
            c += (long) perSecond * step;
            load.update(c, start + t * SECOND);
        }
        return c;
    }

    @Test
    void theAveragesStartAtZero() {
        LoadAverages load = new LoadAverages(42, 0);
        assertThat(load.oneMinute()).isZero();
        assertThat(load.fiveMinutes()).isZero();
        assertThat(load.fifteenMinutes()).isZero();
    }

    @Test
    void aSteadyRateIsApproachedAsOneMinusEToTheMinusElapsedOverTheWindow() {
        LoadAverages load = new LoadAverages(0, 0);
        feed(load, 0, 0, 10, 60, 10); // 600 a minute for one minute
        assertThat(load.oneMinute()).isCloseTo(600 * (1 - Math.exp(-1)), within(1e-6));
        assertThat(load.fiveMinutes()).isCloseTo(600 * (1 - Math.exp(-60.0 / 300)), within(1e-6));
        assertThat(load.fifteenMinutes()).isCloseTo(600 * (1 - Math.exp(-60.0 / 900)), within(1e-6));
    }

    @Test
    void aLongSteadyRateIsTheRatePerMinute() {
        LoadAverages load = new LoadAverages(0, 0);
        feed(load, 0, 0, 5, 3 * 3600, 10);
        assertThat(load.oneMinute()).isCloseTo(300, within(1e-6));
        assertThat(load.fiveMinutes()).isCloseTo(300, within(1e-3));
        assertThat(load.fifteenMinutes()).isCloseTo(300, within(0.1));
    }

    @Test
    void howOftenItIsUpdatedDoesNotChangeTheResult() {
        LoadAverages everySecond = new LoadAverages(0, 0);
        LoadAverages everyTenSeconds = new LoadAverages(0, 0);
        feed(everySecond, 0, 0, 7, 120, 1);
        feed(everyTenSeconds, 0, 0, 7, 120, 10);
        assertThat(everySecond.oneMinute()).isCloseTo(everyTenSeconds.oneMinute(), within(1e-6));
        assertThat(everySecond.fifteenMinutes()).isCloseTo(everyTenSeconds.fifteenMinutes(), within(1e-6));
    }

    @Test
    void withoutTrafficEachAverageDecaysByEPerWindow() {
        LoadAverages load = new LoadAverages(0, 0);
        long count = feed(load, 0, 0, 10, 3 * 3600, 10);
        long start = 3 * 3600 * SECOND;
        double one = load.oneMinute();
        double fifteen = load.fifteenMinutes();
        load.update(count, start + 60 * SECOND);
        assertThat(load.oneMinute()).isCloseTo(one / Math.E, within(1e-6));
        assertThat(load.fifteenMinutes()).isCloseTo(fifteen * Math.exp(-60.0 / 900), within(1e-6));
        assertThat(load.fifteenMinutes()).isGreaterThan(load.fiveMinutes()).isGreaterThan(load.oneMinute());
    }

    @Test
    void anUpdateAtTheSameTimeChangesNothing() {
        LoadAverages load = new LoadAverages(0, 0);
        load.update(100, 10 * SECOND);
        double one = load.oneMinute();
        load.update(1000, 10 * SECOND);
        assertThat(load.oneMinute()).isEqualTo(one);
        load.update(1000, 20 * SECOND); // the 900 counted at the earlier update arrive now
        assertThat(load.oneMinute()).isGreaterThan(one);
    }
}
