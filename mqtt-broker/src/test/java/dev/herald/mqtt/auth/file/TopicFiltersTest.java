package dev.herald.mqtt.auth.file;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFiltersTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/b,       a/b,       true",
        "a/b,       a/c,       false",
        "a/+,       a/b,       true",
        "a/+,       a/b/c,     false",
        "a/+,       a,         false",
        "a/#,       a,         true",
        "a/#,       a/b/c,     true",
        "#,         a/b,       true",
        "+/+,       a/b,       true",
        "+,         a/b,       false",
        "a/+/b,     a//b,      true",
        "+/+,       /a,        true",
        "/#,        /a,        true",
        "#,         $SYS/x,    false",
        "+/x,       $SYS/x,    false",
        "$SYS/#,    $SYS/x,    true",
        "$SYS/+,    $SYS/x,    true",
        "+/$SYS,    a/$SYS,    true"
    })
    @DisplayName("MQTT 5.0 section 4.7: a filter matches a topic")
    void matches(String filter, String topic, boolean expected) {
        assertThat(TopicFilters.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "a/#,       a/b/+,           true",
        "a/#,       a/#,             true",
        "a/#,       a,               true",
        "a/+,       a/b,             true",
        "a/+,       a/+,             true",
        "a/+,       a/#,             false",
        "a/+,       a/b/c,           false",
        "a/b,       a/+,             false",
        "a/b,       a/b,             true",
        "a/+/c,     a/b/c,           true",
        "a/b/#,     a/#,             false",
        "#,         a/#,             true",
        "#,         #,               true",
        "#,         $SYS/#,          false",
        "+/#,       $SYS/a,          false",
        "+,         +,               true",
        "$SYS/#,    $SYS/broker/+,   true"
    })
    @DisplayName("a filter covers another when it matches every topic the other matches")
    void covers(String outer, String inner, boolean expected) {
        assertThat(TopicFilters.covers(outer, inner)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource({
        "a/+,       a/#,        true",
        "a/b,       a/+,        true",
        "a/b,       a/c,        false",
        "a,         a/#,        true",
        "a/#,       a,          true",
        "a,         a/b,        false",
        "a/+,       b/+,        false",
        "+/b,       a/+,        true",
        "a/+/c,     a/b/d,      false",
        "a/b/c,     a/+,        false",
        "a/+/+,     a/#,        true",
        "#,         a,          true",
        "+,         a/b,        false",
        "#,         +/#,        true",
        "#,         $SYS/#,     false",
        "$SYS/a,    +/#,        false",
        "$SYS/#,    $SYS/a/b,   true"
    })
    @DisplayName("two filters overlap when some topic matches both")
    void overlaps(String a, String b, boolean expected) {
        assertThat(TopicFilters.overlaps(a, b)).isEqualTo(expected);
        assertThat(TopicFilters.overlaps(b, a)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} valid: {1}")
    @CsvSource({"a/b, true", "+/+/#, true", "#, true", "/, true", "a/#/b, false", "a+, false", "a/b#, false"})
    @DisplayName("MQTT 5.0 section 4.7.1: wildcards fill a level; '#' only the last")
    void valid(String filter, boolean expected) {
        assertThat(TopicFilters.isValid(filter)).isEqualTo(expected);
    }
}
