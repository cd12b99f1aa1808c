package dev.herald.mqtt.auth.file;

import java.util.Locale;

/** One {@code topic} or {@code pattern} line of an ACL file: what it grants (or denies) on which filter. */
record AclRule(Access access, String filter) {

    /** The access word of a rule; a rule without one grants {@link #READWRITE}. */
    enum Access {
        READ,
        WRITE,
        READWRITE,
        DENY;

        boolean reads() {
            return this == READ || this == READWRITE;
        }

        boolean writes() {
            return this == WRITE || this == READWRITE;
        }

        /** The access a word names, or null when it names none. */
        static Access ofWord(String word) {
            for (Access access : values()) {
                if (access.name().toLowerCase(Locale.ROOT).equals(word)) {
                    return access;
                }
            }
            return null;
        }
    }

    /**
     * The rule of the text after {@code topic} or {@code pattern}: {@code [read|write|readwrite|deny]
     * <filter>}, the filter being the rest of the line; an {@link IllegalArgumentException} says what
     * is wrong.
     */
    static AclRule parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing topic filter");
        }
        String[] words = text.split("\\s+", 2);
        Access access = Access.ofWord(words[0]);
        String filter = text;
        if (access == null) {
            access = Access.READWRITE;
        } else if (words.length < 2) {
            throw new IllegalArgumentException("missing topic filter after " + words[0]);
        } else {
            filter = words[1];
        }
        if (!TopicFilters.isValid(filter)) {
            throw new IllegalArgumentException("invalid topic filter '" + filter + "'");
        }
        return new AclRule(access, filter);
    }
}
