package dev.tributary.redis.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The servers of a Redis URI: {@code host[:port][,host[:port]…]} after the optional user info.
 * {@link URI} parses an authority with one address only, so the raw authority is split here. One
 * address is a standalone server (or one seed of a cluster); several are the seeds of a Redis
 * Cluster ({@code ?cluster=true}) or the sentinels of a {@code redis-sentinel://} URI. IPv6 addresses
 * go in brackets.
 *
 * @param nodes    every address, in the order written
 * @param userInfo the raw (still percent-encoded) user info before {@code @}, or null
 */
record RedisAddress(List<Node> nodes, String userInfo) {

    /** One {@code host:port}; the host as written (brackets of an IPv6 address removed). */
    record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    RedisAddress {
        nodes = List.copyOf(nodes);
    }

    /**
     * Parses the authority of {@code uri}; every problem goes to {@code problem} (the caller collects
     * them into one CONFIGURATION error) and the result then holds the addresses that were valid.
     */
    static RedisAddress parse(URI uri, int defaultPort, Consumer<String> problem) {
        String authority = uri.isOpaque() ? null : uri.getRawAuthority();
        if (authority == null || authority.isBlank()) {
            problem.accept("URI names no host; write redis://HOST[:PORT][/DB], "
                    + "redis://H1:P1,H2:P2,H3:P3?cluster=true or redis-sentinel://S1:P1,S2:P2#MASTER");
            return new RedisAddress(List.of(), null);
        }
        String userInfo = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
        }
        List<Node> nodes = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            Node n = node(part.trim(), defaultPort);
            if (n == null) {
                problem.accept("server address '" + part.trim() + "' is not host[:port] with a port 1-65535");
            } else {
                nodes.add(n);
            }
        }
        return new RedisAddress(nodes, userInfo);
    }

    private static Node node(String a, int defaultPort) {
        String host;
        String port;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0 || (close + 1 < a.length() && a.charAt(close + 1) != ':')) {
                return null;
            }
            host = a.substring(1, close);
            port = close + 1 < a.length() ? a.substring(close + 2) : null;
        } else {
            int colon = a.indexOf(':');
            host = colon < 0 ? a : a.substring(0, colon);
            port = colon < 0 ? null : a.substring(colon + 1);
        }
        if (host.isEmpty() || host.contains("/") || host.contains("@")) {
            return null;
        }
        if (port == null) {
            return new Node(host, defaultPort);
        }
        try {
            int p = Integer.parseInt(port);
            return p >= 1 && p <= 65535 ? new Node(host, p) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return String.join(",", nodes.stream().map(Node::toString).toList()); // never the credentials
    }
}
