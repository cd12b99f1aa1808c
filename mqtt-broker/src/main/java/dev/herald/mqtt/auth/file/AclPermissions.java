package dev.herald.mqtt.auth.file;

import dev.herald.mqtt.auth.Permissions;
import java.util.List;
import java.util.function.Predicate;

/**
 * The ACL rules that apply to one client, split into levels once: deny filters, filters it may
 * publish to and filters it may subscribe within. A deny rule wins over any grant.
 */
final class AclPermissions implements Permissions {

    private final String[][] deny;
    private final String[][] write;
    private final String[][] read;

    AclPermissions(List<AclRule> rules) {
        this.deny = filters(rules, access -> access == AclRule.Access.DENY);
        this.write = filters(rules, AclRule.Access::writes);
        this.read = filters(rules, AclRule.Access::reads);
    }

    /** No deny filter matches the topic and some write filter does. */
    @Override
    public boolean mayPublish(String topic) {
        String[] levels = TopicFilters.levels(topic);
        for (String[] filter : deny) {
            if (TopicFilters.matches(filter, levels)) {
                return false;
            }
        }
        for (String[] filter : write) {
            if (TopicFilters.matches(filter, levels)) {
                return true;
            }
        }
        return false;
    }

    /** No deny filter overlaps the filter and some read filter covers it. */
    @Override
    public boolean maySubscribe(String filter) {
        String[] levels = TopicFilters.levels(filter);
        for (String[] denied : deny) {
            if (TopicFilters.overlaps(denied, levels)) {
                return false;
            }
        }
        for (String[] granted : read) {
            if (TopicFilters.covers(granted, levels)) {
                return true;
            }
        }
        return false;
    }

    private static String[][] filters(List<AclRule> rules, Predicate<AclRule.Access> kind) {
        return rules.stream()
                .filter(rule -> kind.test(rule.access()))
                .map(rule -> TopicFilters.levels(rule.filter()))
                .toArray(String[][]::new);
    }
}
