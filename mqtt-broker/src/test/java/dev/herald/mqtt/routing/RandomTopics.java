package dev.herald.mqtt.routing;

import java.util.Random;

/** Random topic names and filters over a small alphabet, so that they often match, with empty and '$' levels. */
final class RandomTopics {

    private static final String[] LEVELS = {"a", "b", "c", "", "$SYS", "x$"};

    private RandomTopics() {}

    /** A topic name; never empty (section 4.7.3), so a single empty level is drawn again. */
    static String topic(Random random) {
        String topic;
        do {
            topic = draw(random);
        } while (topic.isEmpty());
        return topic;
    }

    private static String draw(Random random) {
        StringBuilder topic = new StringBuilder(level(random));
        int depth = 1 + random.nextInt(5);
        for (int i = 1; i < depth; i++) {
            topic.append('/').append(level(random));
        }
        return topic.toString();
    }

    /** A valid topic filter: never empty, '+' in whole levels and '#' only last. */
    static String filter(Random random) {
        String filter;
        do {
            filter = drawFilter(random);
        } while (filter.isEmpty());
        return filter;
    }

    private static String drawFilter(Random random) {
        int depth = 1 + random.nextInt(5);
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                filter.append('/');
            }
            if (i == depth - 1 && random.nextInt(6) == 0) {
                filter.append('#');
            } else {
                filter.append(random.nextInt(6) == 0 ? "+" : level(random));
            }
        }
        return filter.toString();
    }

    private static String level(Random random) {
        return LEVELS[random.nextInt(LEVELS.length)];
    }
}
