package dev.herald.tap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTemplateTest {

    @Test
    void namedLevelsAreExtracted() {
        RouteTemplate route = RouteTemplate.parse("sensors/{device_id}/data");
        assertThat(route.match("sensors/t-1000/data").asMap()).containsExactly(Map.entry("device_id", "t-1000"));
        assertThat(route.filter()).isEqualTo("sensors/+/data");
        assertThat(route.parameters()).containsExactly("device_id");
    }

    @Test
    void severalParametersKeepRouteOrder() {
        RouteTemplate route = RouteTemplate.parse("{site}/+/{room}/#");
        assertThat(route.match("paris/floor-2/r12/temp/now").asMap())
                .containsExactly(Map.entry("site", "paris"), Map.entry("room", "r12"));
        assertThat(route.filter()).isEqualTo("+/+/+/#");
    }

    @Test
    void anEmptyLevelIsAValue() {
        assertThat(RouteTemplate.parse("a/{x}/c").match("a//c").get("x")).isEmpty();
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/b, a/b, true",
        "a/b, a/bb, false",
        "a/b, a/b/c, false",
        "a/b, a, false",
        "a/+, a/b, true",
        "a/+, a, false",
        "a/+, a/, true",
        "a/#, a, true",
        "a/#, a/b/c, true",
        "a/#, ab, false",
        "#, a/b, true",
        "#, $SYS/x, false",
        "+/x, $SYS/x, false",
        "{p}/x, $SYS/x, false",
        "$SYS/{p}, $SYS/x, true",
        "{a}/{b}, x/y, true",
        "{a}/{b}, x/y/z, false",
        "{a}/{b}, x, false",
        "/{a}, /x, true",
        "{a}/, x/, true",
    })
    void matchesLikeAnMqttFilter(String route, String topic, boolean matches) {
        assertThat(RouteTemplate.parse(route).match(topic) != null).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a/{x| not a whole '{name}' parameter",
                "a/x}| not a whole '{name}' parameter",
                "a/{x}y| not a whole '{name}' parameter",
                "a/pre{x}| not a whole '{name}' parameter",
                "a/{x}{y}| not a whole '{name}' parameter",
                "{x}/{x}| '{x}' appears twice",
                "#/a| '#' must be the last level",
                "a/{}| '{}' has no parameter name",
                "a/{1x}| parameter name '1x'",
                "a/{x-y}| parameter name 'x-y'",
                "a+/b| '+' and '#' must fill a whole level",
                "a/b#| '+' and '#' must fill a whole level",
            })
    void badRoutesAreRejectedWithTheProblem(String route, String problem) {
        assertThatThrownBy(() -> RouteTemplate.parse(route))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad tap route '" + route + "'")
                .hasMessageContaining(problem);
    }

    @Test
    void anEmptyRouteIsRejected() {
        assertThatThrownBy(() -> RouteTemplate.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void askingForAParameterTheRouteLacksNamesTheOnesItHas() {
        assertThatThrownBy(() -> RouteTemplate.parse("a/{x}").match("a/1").get("y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no parameter 'y'")
                .hasMessageContaining("[x]");
    }
}
