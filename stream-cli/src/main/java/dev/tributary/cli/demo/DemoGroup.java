package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.cli.Errors;
import dev.tributary.core.DeadLetterPolicy;
import dev.tributary.core.GroupProcessor;
import dev.tributary.core.Message;
import dev.tributary.core.ProcessorState;
import dev.tributary.core.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's consumer group: {@link Ledger#MEMBERS} {@link GroupProcessor} members, each with its own
 * client (its own connection, as a separate process would have), sharing the events. Once
 * {@linkplain #armCrash() armed}, the first member to receive a batch of several events dies in the middle
 * of it: its client is closed before it acks, so the events it held are redelivered to the others after
 * the ack timeout (on a partitioned backend such as Kafka with one partition, only one member receives at
 * a time: that one dies and another takes over). Exactly one member dies.
 */
final class DemoGroup {
    /** After this long armed, a batch of two is enough to die in (a slow stream may never batch four). */
    private static final long SMALL_BATCH_AFTER_NANOS = 2_000_000_000L;

    private final ConsumerSetup setup;
    private final Ledger ledger;
    private final Duration ackTimeout;
    private final Member[] members = new Member[Ledger.MEMBERS];
    private final AtomicBoolean crashArmed = new AtomicBoolean();
    private final AtomicBoolean firstRedelivery = new AtomicBoolean(true);
    private final AtomicReference<String> death = new AtomicReference<>();
    private volatile long armedAt;

    /** One group member and its own client. */
    private static final class Member {
        final int index;
        final String name;
        volatile StreamClient client;
        volatile GroupProcessor<JsonNode> processor;
        volatile boolean dead;

        Member(int index) {
            this.index = index;
            this.name = "member-" + (index + 1);
        }
    }

    /**
     * @param setup      the members' clients, stream, codec, ledger, narrator, problems and processor listener
     * @param ackTimeout the group's ack timeout: how soon the dead member's events are redelivered
     */
    DemoGroup(ConsumerSetup setup, Duration ackTimeout) {
        this.setup = setup;
        this.ledger = setup.ledger();
        this.ackTimeout = ackTimeout;
        for (int i = 0; i < members.length; i++) {
            members[i] = new Member(i);
        }
    }

    /** Opens each member's client and starts its processor. */
    void start() {
        for (Member m : members) {
            m.client = setup.clients().get();
            GroupProcessor.Builder<JsonNode> b = GroupProcessor.builder(
                            m.client, setup.stream(), DemoScenario.GROUP, setup.codec())
                    .name("demo-" + m.name)
                    .member(m.name)
                    .batchSize(100)
                    .lagInterval(Duration.ZERO)
                    .listener(setup.processors())
                    .groupOptions(new GroupOptions(Position.earliest(), ackTimeout))
                    .batchHandler(batch -> onBatch(m, batch));
            // The handler fails only by the simulated crash, which is not an error to retry: the member
            // is gone. Without retries or dead letters its processor stops as FAILED at once.
            b.retry(RetryPolicy.noRetry()).deadLetters(DeadLetterPolicy.failProcessor());
            m.processor = b.build();
            m.processor.start();
        }
    }

    /** From now on, the next member to receive a batch of several events dies in the middle of it. */
    void armCrash() {
        armedAt = System.nanoTime();
        crashArmed.set(true);
    }

    private void onBatch(Member m, List<Message<JsonNode>> batch) {
        if (m.dead) {
            throw new IllegalStateException(m.name + " is dead");
        }
        boolean crash = crashArmed.get()
                && (batch.size() >= 4 || (batch.size() >= 2 && System.nanoTime() - armedAt > SMALL_BATCH_AFTER_NANOS))
                && crashArmed.compareAndSet(true, false);
        int handle = crash ? batch.size() / 2 : batch.size();
        for (int i = 0; i < handle; i++) {
            Message<JsonNode> msg = batch.get(i);
            if (msg.deliveryCount() > 1 && firstRedelivery.compareAndSet(true, false)) {
                setup.narrator()
                        .accept(m.name + " received events redelivered after the ack timeout (delivery count "
                                + msg.deliveryCount() + "), first " + msg.id());
            }
            ledger.group(m.index, DomainEvents.seqOf(msg.value()), msg.deliveryCount());
        }
        if (crash) {
            m.dead = true;
            death.set(m.name + " died mid-batch: handled " + handle + " of " + batch.size() + " events ("
                    + batch.get(0).id() + " to " + batch.get(batch.size() - 1).id() + "), acked none");
            setup.narrator()
                    .accept(death.get() + "; they are redelivered to the others after "
                            + DemoScenario.human(ackTimeout));
            DemoScenario.closeQuietly(m.client, m.name + " client", setup.problems());
            throw new IllegalStateException(m.name + " crashed (simulated)");
        }
    }

    /** Each member's deliveries so far and whether it died. */
    List<DemoResult.Member> members() {
        List<DemoResult.Member> list = new ArrayList<>(members.length);
        for (Member m : members) {
            list.add(new DemoResult.Member(m.name, ledger.memberDeliveries(m.index), m.dead));
        }
        return list;
    }

    /** How the one member died, or empty when none has. */
    Optional<String> death() {
        return Optional.ofNullable(death.get());
    }

    /** Members whose processor failed for a reason other than the simulated crash. */
    List<String> unexpectedFailures() {
        List<String> failures = new ArrayList<>();
        for (Member m : members) {
            if (m.processor != null && m.processor.state() == ProcessorState.FAILED && !m.dead) {
                failures.add(m.name + " failed: "
                        + m.processor.failure().map(Errors::message).orElse("?"));
            }
        }
        return failures;
    }

    /** Stops every processor; one that does not stop in time is a problem. */
    void stop() {
        for (Member m : members) {
            if (m.processor != null && !m.processor.stop(Duration.ofSeconds(10))) {
                setup.problems().accept(m.name + " did not stop within 10 s");
            }
        }
    }

    /** Closes every member's client. */
    void close() {
        for (Member m : members) {
            DemoScenario.closeQuietly(m.client, m.name + " client", setup.problems());
        }
    }

    DemoResult.Group result() {
        return new DemoResult.Group(DemoScenario.GROUP, ledger.groupDeliveries(), members(), ledger.redelivered());
    }
}
