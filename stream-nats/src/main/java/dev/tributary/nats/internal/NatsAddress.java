package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers and the raw credentials of a {@code nats://} or {@code tls://} URI:
 * {@code nats://[user:password@|token@]host[:port][,host[:port]…]} (port 4222 by default). A URI with
 * several servers (the nodes of a cluster) is not a server-based URI for {@link URI}, so the authority
 * is split here; every address must be a host with an optional port 1–65535, IPv6 addresses in
 * brackets.
 *
 * @param hosts    the host of each server as written (a name, an address, {@code [::1]})
 * @param ports    the port of each server
 * @param userInfo the raw (still percent-encoded) user info before {@code @}, or null
 */
record NatsAddress(List<String> hosts, List<Integer> ports, String userInfo) {
    static final int DEFAULT_PORT = 4222;

    NatsAddress {
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
    }

    /** Parses the authority of {@code uri}. @throws StreamException CONFIGURATION naming the bad address */
    static NatsAddress parse(URI uri, String safeUri) {
        if (uri.isOpaque()
                || uri.getRawAuthority() == null
                || uri.getRawAuthority().isBlank()) {
            throw config("URI '" + safeUri + "' needs a host, e.g. nats://localhost:4222 or "
                    + "nats://host1:4222,host2:4222,host3:4222 for a cluster");
        }
        String authority = uri.getRawAuthority();
        String userInfo = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
        }
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            String a = part.trim();
            String host;
            String port = null;
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                if (close < 0 || (close + 1 < a.length() && a.charAt(close + 1) != ':')) {
                    throw badAddress(a, safeUri);
                }
                host = a.substring(0, close + 1);
                port = close + 1 < a.length() ? a.substring(close + 2) : null;
            } else {
                int colon = a.indexOf(':');
                host = colon < 0 ? a : a.substring(0, colon);
                port = colon < 0 ? null : a.substring(colon + 1);
            }
            if (host.isEmpty() || host.equals("[]") || host.contains("/") || host.contains("@")) {
                throw badAddress(a, safeUri);
            }
            hosts.add(host);
            ports.add(port(port, a, safeUri));
        }
        return new NatsAddress(hosts, ports, userInfo);
    }

    private static int port(String port, String address, String safeUri) {
        if (port == null) {
            return DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw config("server address '" + address + "' in '" + safeUri + "' has no valid port (1-65535)");
    }

    private static StreamException badAddress(String address, String safeUri) {
        return config("server address '" + address + "' in '" + safeUri + "' is not host[:port]; write "
                + "nats://host1:4222,host2:4222 for several servers");
    }

    private static StreamException config(String msg) {
        return new StreamException(ErrorKind.CONFIGURATION, msg);
    }

    /** The server URLs for jnats, e.g. {@code nats://127.0.0.1:4222}, without credentials. */
    List<String> urls(boolean tls) {
        List<String> urls = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            urls.add((tls ? "tls://" : "nats://") + hosts.get(i) + ":" + ports.get(i));
        }
        return urls;
    }

    @Override
    public String toString() {
        return "NatsAddress[" + String.join(",", urls(false)) + "]"; // never the credentials
    }
}
