package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.Headers;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic domain events: entities of a few kinds created, updated, deleted and merged, as JSON of
 * about {@code targetSize} bytes, with the headers a real system sets (event type, origin, schema
 * version). Deterministic for a seed. Not thread-safe: one producer thread uses it.
 */
final class DomainEvents {
    static final String HEADER_TYPE = "event-type";
    static final String HEADER_ORIGIN = "origin";
    static final String HEADER_SCHEMA = "schema-version";
    static final String HEADER_CONTENT_TYPE = "content-type";
    static final String SCHEMA_VERSION = "3";

    private static final String[] KINDS = {"customer", "order", "device", "account"};
    private static final String[] ORIGINS = {"crm", "billing", "iot-gateway", "web-shop", "support-desk"};
    private static final String[] CITIES = {"Lisbon", "Osaka", "Nairobi", "Montreal", "Tallinn", "Recife", "Perth"};
    private static final String[] WORDS = ("priority loyal verified flagged churn-risk wholesale retail beta "
                    + "enterprise trial archived vip eu us apac migrated")
            .split(" ");

    private final ObjectMapper mapper;
    private final SplittableRandom random;
    private final int targetSize;
    private final int entitiesPerKind;

    /** One event ready to publish. */
    record Event(String eventId, String key, ObjectNode body, Headers headers, String type) {}

    DomainEvents(ObjectMapper mapper, long seed, int targetSize, int entitiesPerKind) {
        this.mapper = mapper;
        this.random = new SplittableRandom(seed);
        this.targetSize = targetSize;
        this.entitiesPerKind = entitiesPerKind;
    }

    /** The event with sequence number {@code seq} (its id is {@code evt-<seq>}). */
    Event next(int seq) {
        String kind = KINDS[random.nextInt(KINDS.length)];
        String op = op();
        String entityId = kind.substring(0, 3) + "-" + random.nextInt(entitiesPerKind);
        String type = kind + "." + op;
        String origin = ORIGINS[random.nextInt(ORIGINS.length)];
        ObjectNode body = mapper.createObjectNode();
        body.put("eventId", eventId(seq));
        body.put("type", type);
        body.put("occurredAt", Instant.now().toString());
        body.put("origin", origin);
        ObjectNode entity = body.putObject("entity");
        entity.put("kind", kind);
        entity.put("id", entityId);
        entity.put("version", 1 + random.nextInt(40));
        switch (op) {
            case "created":
                describe(entity, kind);
                break;
            case "updated":
                ArrayNode changes = body.putArray("changes");
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    ObjectNode c = changes.addObject();
                    c.put("field", WORDS[random.nextInt(WORDS.length)]);
                    c.put("from", word(6));
                    c.put("to", word(6));
                }
                describe(entity, kind);
                break;
            case "deleted":
                body.put("reason", random.nextBoolean() ? "requested-by-owner" : "retention-policy");
                break;
            default:
                ArrayNode merged = body.putArray("mergedFrom");
                int m = 2 + random.nextInt(3);
                for (int i = 0; i < m; i++) {
                    merged.add(kind.substring(0, 3) + "-" + random.nextInt(entitiesPerKind));
                }
                body.put("survivor", entityId);
                describe(entity, kind);
                break;
        }
        pad(body);
        Headers headers = Headers.of(
                HEADER_TYPE,
                type,
                HEADER_ORIGIN,
                origin,
                HEADER_SCHEMA,
                SCHEMA_VERSION,
                HEADER_CONTENT_TYPE,
                "application/json");
        return new Event(eventId(seq), entityId, body, headers, type);
    }

    static String eventId(int seq) {
        return String.format(Locale.ROOT, "evt-%07d", seq);
    }

    /** The sequence number of an event id, or -1. */
    static int seqOf(String eventId) {
        if (eventId == null || !eventId.startsWith("evt-")) {
            return -1;
        }
        try {
            return Integer.parseInt(eventId.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The sequence number of an event body (from its {@code eventId}), or -1. */
    static int seqOf(JsonNode body) {
        JsonNode id = body == null ? null : body.get("eventId");
        return seqOf(id == null ? null : id.asText());
    }

    private String op() {
        int r = random.nextInt(100);
        if (r < 30) {
            return "created";
        }
        if (r < 80) {
            return "updated";
        }
        return r < 90 ? "deleted" : "merged";
    }

    private void describe(ObjectNode entity, String kind) {
        entity.put("name", capitalize(word(5)) + " " + capitalize(word(8)));
        ObjectNode address = entity.putObject("address");
        address.put("street", (1 + random.nextInt(300)) + " " + capitalize(word(7)) + " Street");
        address.put("city", CITIES[random.nextInt(CITIES.length)]);
        address.put("postcode", String.format(Locale.ROOT, "%05d", random.nextInt(100_000)));
        ArrayNode tags = entity.putArray("tags");
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            tags.add(WORDS[random.nextInt(WORDS.length)]);
        }
        ObjectNode attrs = entity.putObject("attributes");
        switch (kind) {
            case "customer":
                attrs.put("email", word(6) + "@" + word(5) + ".example");
                attrs.put("segment", WORDS[random.nextInt(WORDS.length)]);
                attrs.put("lifetimeValue", random.nextInt(1_000_000) / 100.0);
                break;
            case "order":
                attrs.put("currency", random.nextBoolean() ? "EUR" : "USD");
                attrs.put("total", random.nextInt(500_000) / 100.0);
                attrs.put("lines", 1 + random.nextInt(12));
                break;
            case "device":
                attrs.put("firmware", (1 + random.nextInt(5)) + "." + random.nextInt(20) + "." + random.nextInt(100));
                attrs.put(
                        "lastSeen",
                        Instant.now().minusSeconds(random.nextInt(86_400)).toString());
                break;
            default:
                attrs.put("plan", random.nextBoolean() ? "standard" : "premium");
                attrs.put("seats", 1 + random.nextInt(500));
                break;
        }
    }

    /** Adds a notes history until the JSON is about the target size. */
    private void pad(ObjectNode body) {
        int size = body.toString().length();
        if (size >= targetSize) {
            return;
        }
        ArrayNode notes = body.putArray("notes");
        while (size < targetSize) {
            ObjectNode note = notes.addObject();
            note.put("at", Instant.now().minusSeconds(random.nextInt(1_000_000)).toString());
            note.put("by", word(7));
            StringBuilder text = new StringBuilder();
            for (int i = 0, n = 8 + random.nextInt(12); i < n; i++) {
                text.append(i == 0 ? "" : " ").append(word(2 + random.nextInt(8)));
            }
            note.put("text", text.toString());
            size += 60 + text.length();
        }
    }

    private String word(int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(c);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
