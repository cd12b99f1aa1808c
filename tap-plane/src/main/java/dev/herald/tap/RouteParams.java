package dev.herald.tap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values a message's topic gave the named levels of a tap's route: for the route {@code
 * sensors/{device_id}/data} and the topic {@code sensors/t-1000/data}, {@code params.get("device_id")}
 * is {@code "t-1000"}. Immutable.
 */
public final class RouteParams {

    public static final RouteParams EMPTY = new RouteParams(Map.of());

    private final Map<String, String> values;

    private RouteParams(Map<String, String> values) {
        this.values = values;
    }

    /** Parameters in route order; the map is copied. */
    public static RouteParams of(Map<String, String> values) {
        return values.isEmpty() ? EMPTY : new RouteParams(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /**
     * The value of a parameter of the route.
     *
     * @throws IllegalArgumentException when the route has no parameter of that name (a typo, usually)
     */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no parameter '" + name + "'; it has " + values.keySet());
        }
        return value;
    }

    /** The value of a parameter, or empty when the route has none of that name. */
    public Optional<String> find(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** All parameters, in route order (unmodifiable). */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteParams p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
