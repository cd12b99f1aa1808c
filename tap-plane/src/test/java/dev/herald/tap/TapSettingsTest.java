package dev.herald.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapSettingsTest {

    @Test
    void referenceDefaults() {
        TapSettings s = Taps.create().settings();
        assertThat(s.inboxDepth()).isEqualTo(256);
        assertThat(s.dispatch()).isEqualTo(DispatchMode.ACTOR);
        assertThat(s.retry().attempts()).isEqualTo(3);
        assertThat(s.retry().backoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.deadLetterCapacity()).isEqualTo(1000);
        assertThat(s.deadLetterTopic()).isEmpty();
    }

    @Test
    void configurationAndThenBuilderMethodsOverride() {
        TapSettings s = Taps.builder()
                .config(ConfigFactory.parseString(
                        "herald.taps { inbox-depth = 16, dispatch = inline, dead-letters.capacity = 5 }"))
                .deadLetterCapacity(7)
                .retry(RetryPolicy.none())
                .build()
                .settings();
        assertThat(s.inboxDepth()).isEqualTo(16);
        assertThat(s.dispatch()).isEqualTo(DispatchMode.INLINE);
        assertThat(s.deadLetterCapacity()).isEqualTo(7);
        assertThat(s.retry().attempts()).isEqualTo(1);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Taps.builder()
                        .config(ConfigFactory.parseString("herald.taps.dispatch = sideways"))
                        .build())
                .hasMessageContaining("'sideways'");
        assertThatThrownBy(() -> Taps.builder().inboxDepth(0).build()).hasMessageContaining("inbox-depth");
        assertThatThrownBy(() -> RetryPolicy.of(0, Duration.ZERO)).hasMessageContaining("at least once");
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(p.backoffBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoffBefore(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoffBefore(4)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoffBefore(5)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoffBefore(9)).isEqualTo(Duration.ofMillis(500));
    }
}
