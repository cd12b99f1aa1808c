package dev.herald.mqtt.auth.file;

import dev.herald.mqtt.message.Topics;

/**
 * Topic matching for ACL rules (MQTT 5.0 section 4.7) on filters split into levels: whether a filter
 * matches a topic, covers another filter (matches every topic it matches) or overlaps one (some topic
 * matches both). A leading {@code +} or {@code #} matches no topic that starts with {@code $}.
 */
final class TopicFilters {

    private static final String SINGLE = "+";
    private static final String MULTI = "#";

    private TopicFilters() {}

    static boolean matches(String filter, String topic) {
        return matches(levels(filter), levels(topic));
    }

    static boolean covers(String outer, String inner) {
        return covers(levels(outer), levels(inner));
    }

    static boolean overlaps(String a, String b) {
        return overlaps(levels(a), levels(b));
    }

    /** The levels of a filter or topic, empty levels included. */
    static String[] levels(String filterOrTopic) {
        return filterOrTopic.split("/", -1);
    }

    /** Whether a filter is well formed: {@code +} and {@code #} fill a level, {@code #} only the last. */
    static boolean isValid(String filter) {
        return Topics.topicFilterProblem(filter) == null;
    }

    static boolean matches(String[] filter, String[] topic) {
        return Topics.matches(filter, topic);
    }

    static boolean covers(String[] outer, String[] inner) {
        if (isWildcard(outer[0]) && isSystem(inner[0])) {
            return false;
        }
        for (int i = 0; i < outer.length; i++) {
            if (outer[i].equals(MULTI)) {
                return true;
            }
            if (i == inner.length || inner[i].equals(MULTI)) {
                return false;
            }
            if (!outer[i].equals(SINGLE) && !outer[i].equals(inner[i])) {
                return false;
            }
        }
        return outer.length == inner.length;
    }

    static boolean overlaps(String[] a, String[] b) {
        if ((isWildcard(a[0]) && isSystem(b[0])) || (isWildcard(b[0]) && isSystem(a[0]))) {
            return false;
        }
        int common = Math.min(a.length, b.length);
        for (int i = 0; i < common; i++) {
            if (a[i].equals(MULTI) || b[i].equals(MULTI)) {
                return true;
            }
            if (!a[i].equals(SINGLE) && !b[i].equals(SINGLE) && !a[i].equals(b[i])) {
                return false;
            }
        }
        // the longer one matches a topic of the shorter's length only through a final "#"
        String[] longer = a.length > b.length ? a : b;
        return a.length == b.length || (longer.length == common + 1 && longer[common].equals(MULTI));
    }

    private static boolean isWildcard(String level) {
        return level.equals(SINGLE) || level.equals(MULTI);
    }

    private static boolean isSystem(String level) {
        return level.startsWith("$");
    }
}
