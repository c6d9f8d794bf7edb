package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How partitioned streams are laid out in JetStream, seen with plain jnats: what the kit's K rules do
 * not show. A one-partition stream keeps the name and subject it always had; a stream of N partitions
 * is N JetStream streams that record the count, which other clients find and keep.
 */
class NatsPartitionsIT {
    private static Connection nats;
    private static JetStreamManagement jsm;

    @BeforeAll
    static void open() throws Exception {
        nats = NatsFixture.shared().plainJnats();
        jsm = nats.jetStreamManagement();
    }

    @AfterAll
    static void close() throws Exception {
        if (nats != null) {
            nats.close();
        }
    }

    private static StreamName fresh(String what) {
        return StreamName.of(what + "-" + Long.toString(System.nanoTime(), 36));
    }

    private static StreamClient client() {
        return StreamClients.open(NatsFixture.shared().config());
    }

    private static StreamConfiguration config(String jsStream) throws Exception {
        return jsm.getStreamInfo(jsStream).getConfiguration();
    }

    private static boolean exists(String jsStream) throws Exception {
        try {
            jsm.getStreamInfo(jsStream);
            return true;
        } catch (JetStreamApiException e) {
            return false;
        }
    }

    @Test
    void aOnePartitionStreamKeepsItsJetStreamNameAndSubject() throws Exception {
        StreamName s = fresh("one");
        try (StreamClient c = client()) {
            c.createStream(s);
            c.append(s, StreamRecord.of("a"));
            assertEquals(List.of("tributary." + s), config("tributary_" + s).getSubjects());
            assertFalse(exists("tributary_" + s + "~0"), "no partition streams for one partition");
            assertEquals(EventId.ofSequence(2), c.append(s, StreamRecord.of("b")), "plain ids, as before");
            c.createStream(s, StreamOptions.partitions(4));
            assertEquals(1, c.info(s).partitionCount(), "creating again keeps one partition");
            c.deleteStream(s);
        }
    }

    @Test
    void aPartitionedStreamIsOneJetStreamStreamPerPartitionRecordingTheCount() throws Exception {
        StreamName s = fresh("three");
        try (StreamClient c = client()) {
            c.createStream(s, StreamOptions.partitions(3));
            assertFalse(exists("tributary_" + s), "no one-partition stream beside the partitions");
            for (int p = 0; p < 3; p++) {
                StreamConfiguration sc = config("tributary_" + s + "~" + p);
                assertEquals(List.of("tributary." + s + "." + p), sc.getSubjects());
                assertEquals("Tributary stream '" + s + "': partition " + p + " of 3", sc.getDescription());
            }
            c.createStream(s, StreamOptions.partitions(5));
            c.createStream(s);
            assertFalse(exists("tributary_" + s + "~3"), "creating again keeps three partitions");
        }
        try (StreamClient other = client()) {
            assertEquals(3, other.info(s).partitionCount(), "another client finds the count");
            EventId id =
                    other.append(s, StreamRecord.builder().payload("x").key("k").build());
            assertTrue(id.isPartitioned(), "ids carry their partition: " + id);
            assertTrue(other.deleteStream(s));
            for (int p = 0; p < 3; p++) {
                assertFalse(exists("tributary_" + s + "~" + p), "deleting removes partition " + p);
            }
            assertFalse(other.info(s).exists());
        }
    }

    @Test
    void aRetriedIdempotentAppendWithoutAKeyIsStoredOnceInOnePartition() {
        StreamName s = fresh("idem");
        try (StreamClient c = client()) {
            c.createStream(s, StreamOptions.partitions(4));
            StreamRecord r = StreamRecord.of("once").withIdempotencyId("order-77");
            EventId first = c.append(s, r);
            EventId retry = c.append(s, r);
            assertEquals(first, retry, "the retry meets its first try in the same partition");
            assertEquals(1, c.info(s).length());
            c.deleteStream(s);
        }
    }

    @Test
    void badInputOnAPartitionedStreamIsRefusedBeforeAnyEffect() {
        StreamName s = fresh("bad");
        try (StreamClient c = client()) {
            c.createStream(s, StreamOptions.partitions(2));
            EventId id =
                    c.append(s, StreamRecord.builder().payload("x").key("k").build());
            StreamException plainTrim = assertThrows(
                    StreamException.class, () -> c.trim(s, Trim.below(id.local())), "a plain id names no partition");
            assertEquals(ErrorKind.INVALID_ARGUMENT, plainTrim.kind());
            assertEquals(
                    ErrorKind.INVALID_ARGUMENT,
                    assertThrows(StreamException.class, () -> c.openReader(s, Position.after(id)))
                            .kind());
            assertEquals(1, c.info(s).length(), "nothing was trimmed");
            c.deleteStream(s);
        }
    }
}
