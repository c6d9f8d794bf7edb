package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatsAdoptionTest {

    private static NatsTarget adopted(String uri, String name) {
        return NatsSettings.from(ClientConfig.parse(uri)).adopted().get(name);
    }

    @Test
    void streamFilterAndAppendSubjectFromAUri() {
        NatsTarget t = adopted("nats://h?jetstream.orders=ORDERS:orders.%3E:orders.created", "orders");
        assertEquals(new NatsTarget("ORDERS", "orders.>", "orders.created", true, "jetstream.orders"), t);
        assertTrue(t.surfacesSubject());
    }

    @Test
    void builderOptionsTakeTheFilterRaw() {
        NatsSettings s = NatsSettings.from(ClientConfig.builder("nats://h")
                .option("jetstream.orders", "ORDERS:orders.>")
                .option("jetstream.billing", "BILLING")
                .build());
        NatsTarget orders = s.adopted().get("orders");
        assertEquals("orders.>", orders.filter());
        assertNull(orders.append(), "a wildcard filter has no default append subject");
        NatsTarget billing = s.adopted().get("billing");
        assertNull(billing.filter(), "no filter: the whole stream");
        assertNull(billing.append());
        assertTrue(billing.surfacesSubject());
    }

    @Test
    void aLiteralFilterIsTheDefaultAppendSubject() {
        NatsTarget t = adopted("nats://h?jetstream.created=ORDERS:orders.created", "created");
        assertEquals("orders.created", t.append());
        assertFalse(t.surfacesSubject(), "one literal subject: nothing to tell apart");
    }

    @Test
    void anEmptyFilterWithAnAppendSubjectReadsTheWholeStream() {
        NatsTarget t = adopted("nats://h?jetstream.orders=ORDERS::orders.new", "orders");
        assertNull(t.filter());
        assertEquals("orders.new", t.append());
    }

    @Test
    void theNamespaceDoesNotApplyToAnAdoptedStream() {
        NatsSettings s = NatsSettings.from(ClientConfig.parse("nats://h?namespace=shop&jetstream.orders=ORDERS"));
        NatsNames names = new NatsNames(s.prefix(), s.adopted());
        assertEquals("ORDERS", names.target(StreamName.of("orders")).stream());
        assertEquals(NatsTarget.own("shop_other", "shop.other"), names.target(StreamName.of("other")));
        assertFalse(names.target(StreamName.of("other")).adopted());
    }

    @Test
    void everyBadAdoptionIsNamedInOneConfigurationError() {
        String uri = "nats://h?jetstream.a=&jetstream.b=OR.DERS&jetstream.c=ORDERS:orders..x"
                + "&jetstream.d=ORDERS:orders.%3E:orders.*&jetstream.e=ORDERS:orders.%3E:billing.x"
                + "&jetstream.f=ORDERS:a:b:c&jetstream.bad%20name=ORDERS&jetstream.g=ORDERS:orders.x:"
                + "&jetstream.h=OR%20DERS";
        StreamException e = assertThrows(StreamException.class, () -> NatsSettings.from(ClientConfig.parse(uri)));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        for (String bad : List.of(
                "jetstream.a=",
                "jetstream.b=",
                "jetstream.c=",
                "jetstream.d=",
                "jetstream.e=",
                "jetstream.f=",
                "jetstream.bad name=",
                "jetstream.g=",
                "jetstream.h=")) {
            assertTrue(e.getMessage().contains(bad), bad + " missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("9 invalid NATS options"), e.getMessage());
    }

    @Test
    void otherUnknownOptionsAreStillReported() {
        StreamException e = assertThrows(
                StreamException.class,
                () -> NatsSettings.from(ClientConfig.parse("nats://h?jetstream.orders=ORDERS&jetstreem.x=Y")));
        assertTrue(e.getMessage().contains("unknown option 'jetstreem.x'"), e.getMessage());
    }

    @Test
    void denseOnlyWhenTheStreamCapturesExactlyWhatIsRead() {
        NatsTarget own = NatsTarget.own("tributary_orders", "tributary.orders");
        assertTrue(own.dense(List.of("tributary.orders")));
        assertFalse(own.dense(List.of("tributary.orders", "other.x")), "widened by another application");
        assertFalse(own.dense(List.of("tributary.>")));
        NatsTarget whole = new NatsTarget("ORDERS", null, null, true, "jetstream.o");
        assertTrue(whole.dense(List.of("orders.>", "billing.>")), "no filter: every message is read");
        NatsTarget filtered = new NatsTarget("ORDERS", "orders.>", null, true, "jetstream.o");
        assertTrue(filtered.dense(List.of("orders.>")));
        assertFalse(filtered.dense(List.of("orders.>", "billing.>")));
    }
}
