package dev.tributary;

import java.util.List;
import java.util.Optional;

/**
 * The state of one consumer group.
 *
 * @param group         the group's name
 * @param pending       events delivered and not yet acked
 * @param lag           events not yet delivered to the group, or -1 where the backend cannot tell
 * @param members       names of the members the broker knows
 * @param lastDelivered the id of the newest event delivered to the group, if any
 */
public record GroupInfo(String group, long pending, long lag, List<String> members, Optional<EventId> lastDelivered) {
    public GroupInfo {
        members = List.copyOf(members);
    }
}
