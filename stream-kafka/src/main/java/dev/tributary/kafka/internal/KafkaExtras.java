package dev.tributary.kafka.internal;

import dev.tributary.ClientConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The extra Kafka client properties of a URI ({@code kafka.<property>}, or
 * {@code kafka.producer.}/{@code kafka.consumer.}/{@code kafka.admin.<property>} for one kind of
 * client), after the safety filter: properties the backend owns are refused, and — without the
 * explicit opt-in {@code allowUnsafeKafkaProperties=true} — so are properties that make a Kafka
 * client load classes, files or URLs named by the configuration. Immutable once read.
 */
final class KafkaExtras {
    static final String KAFKA_PREFIX = "kafka.";
    static final String PRODUCER_PREFIX = "kafka.producer.";
    static final String CONSUMER_PREFIX = "kafka.consumer.";
    static final String ADMIN_PREFIX = "kafka.admin.";

    /**
     * Properties the backend owns: overriding them would break the contract. {@code buffer.memory}
     * is sized from the append window, which is the one bound of appends in flight.
     */
    static final Set<String> RESERVED = Set.of(
            "bootstrap.servers",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "enable.idempotence",
            "enable.auto.commit",
            "group.id",
            "auto.offset.reset",
            "group.instance.id",
            "transactional.id",
            "client.id",
            "max.block.ms",
            "delivery.timeout.ms",
            "allow.auto.create.topics",
            "group.protocol",
            "isolation.level",
            "buffer.memory");

    final Map<String, String> common = new LinkedHashMap<>();
    final Map<String, String> producer = new LinkedHashMap<>();
    final Map<String, String> consumer = new LinkedHashMap<>();
    final Map<String, String> admin = new LinkedHashMap<>();

    /** Reads every {@code kafka.*} option of {@code config}, reporting each refused one to {@code problems}. */
    KafkaExtras(ClientConfig config, boolean unsafeAllowed, Consumer<String> problems) {
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(KAFKA_PREFIX)) {
                continue;
            }
            Map<String, String> target;
            String prop;
            if (k.startsWith(PRODUCER_PREFIX)) {
                target = producer;
                prop = k.substring(PRODUCER_PREFIX.length());
            } else if (k.startsWith(CONSUMER_PREFIX)) {
                target = consumer;
                prop = k.substring(CONSUMER_PREFIX.length());
            } else if (k.startsWith(ADMIN_PREFIX)) {
                target = admin;
                prop = k.substring(ADMIN_PREFIX.length());
            } else {
                target = common;
                prop = k.substring(KAFKA_PREFIX.length());
            }
            String problem = refusal(prop, unsafeAllowed);
            if (problem != null) {
                problems.accept(problem);
            } else {
                target.put(prop, e.getValue());
            }
        }
    }

    /** Why a property is refused, or null if it may pass. */
    static String refusal(String prop, boolean unsafeAllowed) {
        if (prop.isEmpty()) {
            return "empty Kafka property name after 'kafka.'";
        }
        if (RESERVED.contains(prop)) {
            return "Kafka property '" + prop + "' is set by the backend and cannot be overridden";
        }
        if (unsafeAllowed) {
            return null;
        }
        String p = prop.toLowerCase(Locale.ROOT);
        boolean unsafe = p.endsWith(".class")
                || p.endsWith(".classes")
                || p.startsWith("config.providers")
                || p.equals("sasl.jaas.config")
                || p.startsWith("sasl.oauthbearer.")
                || p.startsWith("sasl.login.")
                || p.equals("metric.reporters")
                || p.contains("callback.handler")
                || p.contains("login.class")
                || p.endsWith(".location")
                || p.endsWith(".file")
                || p.startsWith("sasl.kerberos.");
        return unsafe
                ? "Kafka property '" + prop + "' makes the client load classes, files or URLs named in the "
                        + "configuration; set allowUnsafeKafkaProperties=true if this configuration comes from a trusted source"
                : null;
    }

    /** Replaces the values of secret-looking properties in a message. */
    String scrub(String message) {
        String out = message;
        for (Map<String, String> m : List.of(common, producer, consumer, admin)) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                boolean secret = ClientConfig.isSecret(e.getKey()) || e.getKey().endsWith(".key");
                if (secret && !e.getValue().isEmpty()) {
                    out = out.replace(e.getValue(), "****");
                }
            }
        }
        return out;
    }
}
