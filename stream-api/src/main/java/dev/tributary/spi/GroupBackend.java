package dev.tributary.spi;

import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamName;
import java.util.List;

/**
 * The consumer groups of a backend, in one place: what a client that declares
 * {@link dev.tributary.Capability#CONSUMER_GROUPS} hands to {@link AbstractStreamClient} through
 * {@link AbstractStreamClient#groupBackend()}. The base has run the closed, argument and capability
 * checks before any of these is called, so each receives checked arguments.
 */
public interface GroupBackend {
    /**
     * Creates a group; an existing group is left as it is.
     *
     * @param stream  the stream
     * @param group   the group
     * @param options where a new group starts (checked, {@code latest} not yet resolved), its ack timeout
     */
    void create(StreamName stream, String group, GroupOptions options);

    /**
     * Opens a member of an existing group; {@code NOT_FOUND} for a missing stream or group.
     *
     * @param stream the stream
     * @param group  the group
     * @param member the member's name
     * @return the open member
     */
    AbstractGroupConsumer open(StreamName stream, String group, String member);

    /**
     * Describes a group; {@code NOT_FOUND} for a missing stream or group.
     *
     * @param stream the stream
     * @param group  the group
     * @return the group's state
     */
    GroupInfo info(StreamName stream, String group);

    /**
     * Lists the groups of a stream.
     *
     * @param stream the stream
     * @return every group; empty for a missing stream
     */
    List<GroupInfo> list(StreamName stream);

    /**
     * Deletes a group.
     *
     * @param stream the stream
     * @param group  the group
     * @return whether it existed
     */
    boolean delete(StreamName stream, String group);
}
