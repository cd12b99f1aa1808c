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
}
