package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Consumer groups as durable JetStream pull consumers (explicit ack, {@code AckWait} = the group's ack
 * timeout, unlimited deliveries): create, look up, list and delete. Arguments arrive checked. On an
 * adopted stream the consumer has the adoption's filter, and an existing durable consumer of the group's
 * name (another application's) is joined as it is.
 */
final class NatsGroups {
    private final NatsAdmin admin;
    private final JetStreamManagement jsm;
    private final NatsNames names;
    private final NatsErrors errors;
    private final long maxAckPending;

    NatsGroups(NatsAdmin admin, NatsNames names, NatsErrors errors, long maxAckPending) {
        this.admin = admin;
        this.jsm = admin.jsm();
        this.names = names;
        this.errors = errors;
        this.maxAckPending = maxAckPending;
    }

    /** Creates the group unless it exists (an existing group keeps its options). */
    void create(StreamName stream, String group, GroupOptions options) {
        create(stream, names.target(stream), group, options);
    }

    /** Creates the group's durable consumer on JetStream stream {@code target} unless it exists. */
    void create(StreamName stream, NatsTarget target, String group, GroupOptions options) {
        String name = target.stream();
        String what = "creating group '" + group + "' of stream '" + stream + "'";
        try {
            StreamState s = admin.state(name);
            if (s == null) {
                throw new StreamException(ErrorKind.NOT_FOUND, what + ": the stream does not exist; create it first");
            }
            try {
                jsm.getConsumerInfo(name, group);
                return;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.CONSUMER_NOT_FOUND) {
                    throw e;
                }
            }
            ConsumerConfiguration.Builder b = ConsumerConfiguration.builder()
                    .durable(group)
                    .ackPolicy(AckPolicy.Explicit)
                    .ackWait(options.ackTimeout())
                    .maxDeliver(-1)
                    .replayPolicy(ReplayPolicy.Instant)
                    .maxAckPending(maxAckPending);
            String filter = target.filter();
            if (filter != null) {
                b.filterSubject(filter); // an adopted stream read whole has no filter
            }
            Position p = options.start();
            if (p instanceof Position.Latest) {
                b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(s.getLastSequence() + 1);
            } else if (p instanceof Position.After a) {
                b.deliverPolicy(DeliverPolicy.ByStartSequence)
                        .startSequence(NatsStreamClient.sequenceOf(a.id(), "group start") + 1);
            } else {
                b.deliverPolicy(DeliverPolicy.All);
            }
            try {
                jsm.createConsumer(name, b.build());
            } catch (JetStreamApiException e) {
                jsm.getConsumerInfo(name, group); // created concurrently: fine as long as it exists now
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, what, false);
        }
    }

    /** Fails NOT_FOUND unless the group exists (before a member is opened on it). */
    void requireExisting(StreamName stream, String group, String member) {
        requireExisting(stream, names.target(stream), group, member);
    }

    /** Fails NOT_FOUND unless the group's durable consumer exists on JetStream stream {@code target}. */
    void requireExisting(StreamName stream, NatsTarget target, String group, String member) {
        try {
            jsm.getConsumerInfo(target.stream(), group);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(
                    e, "opening member '" + member + "' of group '" + group + "' on stream '" + stream + "'", false);
        }
    }

    GroupInfo info(StreamName stream, String group) {
        return info(stream, names.target(stream), group);
    }

    /** The group's figures on JetStream stream {@code target}. */
    GroupInfo info(StreamName stream, NatsTarget target, String group) {
        try {
            return toGroupInfo(jsm.getConsumerInfo(target.stream(), group), target);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, "reading group '" + group + "' of stream '" + stream + "'", false);
        }
    }

    private static GroupInfo toGroupInfo(ConsumerInfo ci, NatsTarget target) {
        long delivered = ci.getDelivered() == null ? 0 : ci.getDelivered().getStreamSequence();
        return new GroupInfo(
                ci.getName(),
                ci.getNumAckPending(),
                ci.getNumPending(),
                List.of(),
                delivered > 0 ? Optional.of(target.eventId(delivered)) : Optional.empty());
    }

    /** The groups (durable consumers) of a stream; none for a missing stream. */
    List<GroupInfo> list(StreamName stream) {
        return list(stream, names.target(stream));
    }

    /** The groups (durable consumers) of JetStream stream {@code target}; none when it is missing. */
    List<GroupInfo> list(StreamName stream, NatsTarget target) {
        try {
            List<GroupInfo> out = new ArrayList<>();
            for (ConsumerInfo ci : jsm.getConsumers(target.stream())) {
                if (ci.getConsumerConfiguration().getDurable() != null) {
                    out.add(toGroupInfo(ci, target));
                }
            }
            return out;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return List.of();
            }
            throw errors.map(e, "listing groups of stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "listing groups of stream '" + stream + "'", false);
        }
    }

    boolean delete(StreamName stream, String group) {
        return delete(stream, names.target(stream), group);
    }

    /** Deletes the group's durable consumer on JetStream stream {@code target}; false when missing. */
    boolean delete(StreamName stream, NatsTarget target, String group) {
        try {
            return jsm.deleteConsumer(target.stream(), group);
        } catch (JetStreamApiException e) {
            int c = e.getApiErrorCode();
            if (c == NatsErrors.CONSUMER_NOT_FOUND || c == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "deleting group '" + group + "' of stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "deleting group '" + group + "' of stream '" + stream + "'", false);
        }
    }
}
