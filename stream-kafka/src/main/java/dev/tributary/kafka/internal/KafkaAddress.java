package dev.tributary.kafka.internal;

import dev.tributary.ClientConfig;
import dev.tributary.spi.OptionReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The brokers and credentials of a {@code kafka://[user:password@]host:port[,host:port…]} URI. Each
 * problem (no broker, an address that is not host:port, credentials without a user) is reported to
 * the option reader, so it comes in the one CONFIGURATION error with the bad options.
 *
 * @param bootstrap the {@code bootstrap.servers} list ({@code ""} if none was valid)
 * @param username  the decoded user name, or null without credentials
 * @param password  the decoded password ({@code ""} if only a user was given), or null
 */
record KafkaAddress(String bootstrap, String username, String password) {

    static KafkaAddress parse(ClientConfig config, OptionReader problems) {
        String authority = config.uri().getRawAuthority();
        if (authority == null || authority.isBlank()) {
            problems.problem("URI '" + config.safeUri() + "' names no broker; write kafka://host:port[,host:port...]");
            return new KafkaAddress("", null, null);
        }
        String user = null;
        String pass = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            pass = colon < 0 ? "" : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                problems.problem("URI '" + config.safeUri() + "' has credentials without a user name");
            }
        }
        return new KafkaAddress(hosts(authority, config.safeUri(), problems), user, pass);
    }

    private static String hosts(String authority, String safeUri, OptionReader problems) {
        List<String> hosts = new ArrayList<>();
        for (String h : authority.split(",")) {
            String host = h.trim();
            int colon = host.lastIndexOf(':');
            if (host.isEmpty() || colon <= 0 || colon == host.length() - 1) {
                problems.problem("broker address '" + host + "' in '" + safeUri + "' is not host:port");
                continue;
            }
            try {
                int port = Integer.parseInt(host.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.problem("broker address '" + host + "' in '" + safeUri + "' has no valid port");
                continue;
            }
            hosts.add(host);
        }
        return String.join(",", hosts);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KafkaAddress[" + bootstrap + (username == null ? "" : ", user " + username) + "]"; // never the password
    }
}
