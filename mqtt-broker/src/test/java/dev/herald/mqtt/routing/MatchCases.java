package dev.herald.mqtt.routing;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Filter, topic name and whether they match: the examples of MQTT 5.0 section 4.7 and the edge cases around them. */
final class MatchCases {

    private MatchCases() {}

    static Stream<Arguments> cases() {
        return Stream.of(
                // section 4.7.1.2, multi-level wildcard
                Arguments.of("sport/tennis/player1/#", "sport/tennis/player1", true),
                Arguments.of("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
                Arguments.of("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
                Arguments.of("sport/tennis/player1/#", "sport/tennis/player2", false),
                Arguments.of("sport/tennis/player1/#", "sport/tennis", false),
                Arguments.of("sport/#", "sport", true),
                Arguments.of("sport/#", "sport/", true),
                Arguments.of("#", "sport/tennis/player1", true),
                Arguments.of("#", "/", true),
                // section 4.7.1.3, single-level wildcard
                Arguments.of("sport/tennis/+", "sport/tennis/player1", true),
                Arguments.of("sport/tennis/+", "sport/tennis/player2", true),
                Arguments.of("sport/tennis/+", "sport/tennis/player1/ranking", false),
                Arguments.of("sport/+", "sport", false),
                Arguments.of("sport/+", "sport/", true),
                Arguments.of("+/+", "/finance", true),
                Arguments.of("/+", "/finance", true),
                Arguments.of("+", "/finance", false),
                Arguments.of("+", "finance", true),
                Arguments.of("+/tennis/#", "sport/tennis/player1", true),
                Arguments.of("sport/+/player1", "sport/tennis/player1", true),
                Arguments.of("sport/+/player1", "sport/tennis/player2", false),
                // exact filters; section 4.7.3: case-sensitive
                Arguments.of("sport", "sport", true),
                Arguments.of("sport", "Sport", false),
                Arguments.of("sport", "sport/", false),
                Arguments.of("sport/tennis", "sport", false),
                // empty levels are real levels
                Arguments.of("a//b", "a//b", true),
                Arguments.of("a/+/b", "a//b", true),
                Arguments.of("a/b", "a//b", false),
                Arguments.of("/a", "/a", true),
                Arguments.of("+/a", "/a", true),
                Arguments.of("a", "/a", false),
                Arguments.of("a/", "a/", true),
                Arguments.of("a/", "a", false),
                Arguments.of("a/+", "a", false),
                Arguments.of("a/#", "a/", true),
                Arguments.of("/", "/", true),
                Arguments.of("+/+", "/", true),
                Arguments.of("+", "/", false),
                Arguments.of("//", "//", true),
                Arguments.of("+/+/+", "//", true),
                // section 4.7.2: topics starting with '$'
                Arguments.of("#", "$SYS/monitor/Clients", false),
                Arguments.of("+/monitor/Clients", "$SYS/monitor/Clients", false),
                Arguments.of("$SYS/#", "$SYS/monitor/Clients", true),
                Arguments.of("$SYS/monitor/+", "$SYS/monitor/Clients", true),
                Arguments.of("$SYS/#", "$SYS", true),
                Arguments.of("$SYS/#", "$SYS/x", true),
                Arguments.of("+", "$SYS", false),
                Arguments.of("+/#", "$SYS/x", false),
                Arguments.of("a/+", "a/$b", true),
                Arguments.of("a/#", "a/$b", true),
                Arguments.of("#", "a$", true));
    }
}
