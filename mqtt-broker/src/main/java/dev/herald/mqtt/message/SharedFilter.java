package dev.herald.mqtt.message;

/**
 * A Shared Subscription's Topic Filter, {@code $share/{group}/{filter}} (MQTT 5.0 section 4.8.2).
 */
public record SharedFilter(String group, String filter) {

    public static final String PREFIX = "$share/";

    /** Whether the filter names a shared subscription (valid or not). */
    public static boolean isShared(String topicFilter) {
        return topicFilter.startsWith(PREFIX);
    }

    /**
     * The parts of a {@code $share/} filter, or null when it is not a valid one: the ShareName must be
     * non-empty without '/', '+' or '#', and be followed by '/' and a valid Topic Filter
     * (MQTT-4.8.2-1, MQTT-4.8.2-2).
     */
    public static SharedFilter parse(String topicFilter) {
        if (!isShared(topicFilter)) {
            return null;
        }
        int slash = topicFilter.indexOf('/', PREFIX.length());
        if (slash <= PREFIX.length() || slash == topicFilter.length() - 1) {
            return null;
        }
        String group = topicFilter.substring(PREFIX.length(), slash);
        String filter = topicFilter.substring(slash + 1);
        if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || Topics.topicFilterProblem(filter) != null) {
            return null;
        }
        return new SharedFilter(group, filter);
    }

    @Override
    public String toString() {
        return PREFIX + group + "/" + filter;
    }
}
