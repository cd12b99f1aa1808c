package dev.herald.tap.internal;

import dev.herald.tap.RouteParams;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tap route: an MQTT topic filter whose levels may also be named parameters, {@code
 * sensors/{device_id}/data}. A parameter fills a whole level and matches like {@code +}, capturing the
 * level's text; {@code +} and {@code #} keep their MQTT meaning. As in MQTT, a topic starting with
 * {@code $} is not matched by a wildcard or parameter in the first level. Immutable.
 */
public final class RouteTemplate {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private enum Kind {
        LITERAL,
        PARAM,
        PLUS,
        HASH
    }

    private record Level(Kind kind, String text) {}

    private final String route;
    private final List<Level> levels;
    private final String filter;

    private RouteTemplate(String route, List<Level> levels, String filter) {
        this.route = route;
        this.levels = levels;
        this.filter = filter;
    }

    /**
     * Parses and validates a route.
     *
     * @throws IllegalArgumentException naming what is wrong with the route
     */
    public static RouteTemplate parse(String route) {
        if (route == null || route.isEmpty()) {
            throw new IllegalArgumentException("a tap route may not be empty");
        }
        String[] parts = route.split("/", -1);
        List<Level> levels = new ArrayList<>(parts.length);
        Set<String> names = new HashSet<>();
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            Level level = level(route, part, i == parts.length - 1);
            if (level.kind() == Kind.PARAM && !names.add(level.text())) {
                throw bad(route, "parameter '{" + level.text() + "}' appears twice");
            }
            levels.add(level);
            filter.append(i == 0 ? "" : "/").append(level.kind() == Kind.PARAM ? "+" : part);
        }
        return new RouteTemplate(route, List.copyOf(levels), filter.toString());
    }

    private static Level level(String route, String part, boolean last) {
        if (part.equals("#")) {
            if (!last) {
                throw bad(route, "'#' must be the last level");
            }
            return new Level(Kind.HASH, part);
        }
        if (part.equals("+")) {
            return new Level(Kind.PLUS, part);
        }
        boolean opens = part.indexOf('{') >= 0;
        boolean closes = part.indexOf('}') >= 0;
        if (opens || closes) {
            if (!(part.startsWith("{") && part.endsWith("}"))
                    || part.indexOf('{', 1) >= 0
                    || part.indexOf('}') < part.length() - 1) {
                throw bad(
                        route, "level '" + part + "' is not a whole '{name}' parameter (a parameter fills its level)");
            }
            String name = part.substring(1, part.length() - 1);
            if (name.isEmpty()) {
                throw bad(route, "'{}' has no parameter name");
            }
            if (!NAME.matcher(name).matches()) {
                throw bad(route, "parameter name '" + name + "' is not letters, digits and '_' starting with a letter");
            }
            return new Level(Kind.PARAM, name);
        }
        if (part.indexOf('+') >= 0 || part.indexOf('#') >= 0) {
            throw bad(route, "level '" + part + "': '+' and '#' must fill a whole level");
        }
        return new Level(Kind.LITERAL, part);
    }

    private static IllegalArgumentException bad(String route, String problem) {
        return new IllegalArgumentException("bad tap route '" + route + "': " + problem);
    }

    /** The parameters a topic gives this route, or null when the topic does not match it. */
    public RouteParams match(String topic) {
        if (topic.startsWith("$") && levels.get(0).kind() != Kind.LITERAL) {
            return null;
        }
        Map<String, String> params = null;
        int start = 0;
        int n = topic.length();
        for (int i = 0; i < levels.size(); i++) {
            Level level = levels.get(i);
            if (level.kind() == Kind.HASH) {
                return result(params); // also when no level is left: 'a/#' matches 'a' (MQTT 5.0 section 4.7.1.2)
            }
            if (start > n) {
                return null; // the topic has fewer levels than the route
            }
            int end = topic.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            switch (level.kind()) {
                case LITERAL -> {
                    if (!topic.regionMatches(start, level.text(), 0, end - start)
                            || level.text().length() != end - start) {
                        return null;
                    }
                }
                case PARAM -> {
                    if (params == null) {
                        params = new LinkedHashMap<>(4);
                    }
                    params.put(level.text(), topic.substring(start, end));
                }
                default -> {} // '+'
            }
            start = end + 1;
        }
        return start > n ? result(params) : null; // every topic level was consumed
    }

    private static RouteParams result(Map<String, String> params) {
        return params == null ? RouteParams.EMPTY : RouteParams.of(params);
    }

    /** The MQTT topic filter this route matches like: every parameter is {@code +}. */
    public String filter() {
        return filter;
    }

    /** The parameter names, in order. */
    public List<String> parameters() {
        return levels.stream()
                .filter(l -> l.kind() == Kind.PARAM)
                .map(Level::text)
                .toList();
    }

    @Override
    public String toString() {
        return route;
    }
}
