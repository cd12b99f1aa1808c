package dev.herald.mqtt.message;

/**
 * Topic Name and Topic Filter syntax (MQTT 5.0 section 4.7). Empty levels are valid ("a//b", "/a");
 * wildcards may stand only in filters, '+' alone in its level and '#' alone as the last level.
 */
public final class Topics {

    /** The most bytes a UTF-8 Encoded String, and so a topic, can hold. */
    public static final int MAX_LENGTH = 65_535;

    private Topics() {}

    /** Why the string is not a valid Topic Name, or null when it is. Empty names are left to the caller. */
    public static String topicNameProblem(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || c == '#') {
                return "wildcard '" + c + "' in topic name";
            }
        }
        return null;
    }

    /** Why the string is not a valid Topic Filter, or null when it is. */
    public static String topicFilterProblem(String filter) {
        int n = filter.length();
        if (n == 0) {
            return "empty topic filter";
        }
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
            boolean levelEnd = i == n - 1 || filter.charAt(i + 1) == '/';
            if (c == '+' && !(levelStart && levelEnd)) {
                return "'+' must fill a whole level";
            }
            if (c == '#' && !(levelStart && i == n - 1)) {
                return "'#' must be the last level on its own";
            }
        }
        return null;
    }

    /** Whether a filter holds a wildcard. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /** Whether a topic filter matches a topic name (MQTT 5.0 section 4.7), a leading wildcard never a {@code $} topic. */
    public static boolean matches(String filter, String topic) {
        return matches(filter.split("/", -1), topic.split("/", -1));
    }

    /** {@link #matches(String, String)} on a filter and a topic already split into levels. */
    public static boolean matches(String[] filter, String[] topic) {
        if ((filter[0].equals("+") || filter[0].equals("#")) && topic[0].startsWith("$")) {
            return false;
        }
        for (int i = 0; i < filter.length; i++) {
            if (filter[i].equals("#")) {
                return true;
            }
            if (i == topic.length || (!filter[i].equals("+") && !filter[i].equals(topic[i]))) {
                return false;
            }
        }
        return filter.length == topic.length;
    }
}
