package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.Codec;
import dev.tributary.core.ProcessorListener;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What each consumer of the demo (the {@link LiveTail}, the {@link DemoGroup}'s members) is given by the
 * scenario: the clients to connect with, the stream and its codec, the ledger of deliveries, whom to tell
 * the story and the problems, and the listener of its processors.
 *
 * @param clients    opens a client for each connection the consumer makes (its own, as a separate process)
 * @param stream     the demo's stream
 * @param codec      the codec of its events
 * @param ledger     where each delivery goes
 * @param narrator   told each step of the story
 * @param problems   told what did not stop or close cleanly
 * @param processors the listener of the consumer's processors (meters, when the demo serves them)
 */
record ConsumerSetup(
        Supplier<StreamClient> clients,
        StreamName stream,
        Codec<JsonNode> codec,
        Ledger ledger,
        Consumer<String> narrator,
        Consumer<String> problems,
        ProcessorListener processors) {}
