package dev.tributary.kafka.internal;

import dev.tributary.ClientConfig;
import dev.tributary.spi.OptionReader;
import java.util.Locale;
import java.util.Map;

/**
 * The security of one client's Kafka connections: the protocol (from the URI's scheme and
 * credentials, or the option {@code securityProtocol}), the SASL mechanism and the URI's
 * credentials, from which the JAAS configuration is built (never taken from the user's input unless
 * {@code allowUnsafeKafkaProperties=true}, see {@link KafkaExtras}). Immutable; no I/O.
 *
 * @param protocol  {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
 * @param username  the URI's user, or null without credentials
 * @param password  the URI's password, or null without credentials
 */
record KafkaSecurity(String protocol, String mechanism, String username, String password) {

    /** Reads the options {@code securityProtocol} and {@code saslMechanism}; problems go to the reader. */
    static KafkaSecurity read(ClientConfig config, KafkaAddress address, OptionReader o) {
        String user = address.username();
        boolean ssl = config.scheme().equals("kafka+ssl");
        String fromUri = user == null ? (ssl ? "SSL" : "PLAINTEXT") : (ssl ? "SASL_SSL" : "SASL_PLAINTEXT");
        String protocol = o.choice("securityProtocol", fromUri, "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
                .toUpperCase(Locale.ROOT);
        String mechanism = o.choice("saslMechanism", "PLAIN", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
                .toUpperCase(Locale.ROOT);
        if (protocol.startsWith("SASL") && user == null && !config.options().containsKey("kafka.sasl.jaas.config")) {
            o.problem("securityProtocol=" + protocol + " needs credentials: kafka://user:password@host:port");
        }
        return new KafkaSecurity(protocol, mechanism, user, address.password());
    }

    /** Adds {@code security.protocol} and, for SASL, the mechanism and the JAAS configuration. */
    void putInto(Map<String, Object> m) {
        m.put("security.protocol", protocol);
        if (protocol.startsWith("SASL")) {
            m.put("sasl.mechanism", mechanism);
            if (username != null) {
                String module = mechanism.equals("PLAIN")
                        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                        : "org.apache.kafka.common.security.scram.ScramLoginModule";
                m.put(
                        "sasl.jaas.config",
                        module + " required username=\"" + jaasEscape(username) + "\" password=\""
                                + jaasEscape(password) + "\";");
            }
        }
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Replaces the URI's password in a message. */
    String scrub(String message) {
        return password != null && !password.isEmpty() ? message.replace(password, "****") : message;
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + protocol + ", " + mechanism + (username == null ? "" : ", user " + username)
                + "]"; // never the password
    }
}
