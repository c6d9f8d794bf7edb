package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendTicketsTest {
    private final SendTickets tickets = new SendTickets();
    private final List<String> wire = new ArrayList<>();

    private SendTickets.Sent<String> send(String subject, long again, String message) {
        return tickets.send(subject, again, () -> {
            wire.add(message);
            return message;
        });
    }

    @Test
    void aMessageIsSentAgainOnlyWhileNothingWasSentToItsSubjectAfterIt() {
        SendTickets.Sent<String> first = send("s", 0, "m1");
        SendTickets.Sent<String> again = send("s", first.ticket(), "m1 again");
        assertNotNull(again, "the newest send of its subject may go again");
        send("s", 0, "m2");
        assertNull(send("s", again.ticket(), "m1 a third time"), "m2 went after it: sending m1 again would reorder");
        assertEquals(List.of("m1", "m1 again", "m2"), wire, "a refused resend hands nothing to the client");
    }

    @Test
    void sendsToOtherSubjectsDoNotBlockAResend() {
        SendTickets.Sent<String> first = send("a", 0, "a1");
        send("b", 0, "b1");
        assertNotNull(send("a", first.ticket(), "a1 again"));
    }

    @Test
    void pastTheBoundTheEntriesAreDroppedAndAResendIsRefused() {
        SendTickets.Sent<String> first = send("s", 0, "m1");
        for (int i = 0; i <= SendTickets.MAX_SUBJECTS; i++) {
            send("other-" + i, 0, "x");
        }
        send("another", 0, "y"); // over the bound: the entries are dropped
        assertNull(send("s", first.ticket(), "m1 again"), "an entry that is gone is the safe answer: no resend");
    }
}
