package dev.tributary.cli.bench;

/** Turns a Tributary URI into what a native client accepts. */
final class RawUris {
    private RawUris() {}

    /** The URI without its query (Tributary settings mean nothing to a native client). */
    static String withoutQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** {@code host:port[,host:port]} of {@code scheme://host:port[,host:port][/...][?...]}. */
    static String authority(String uri) {
        String s = withoutQuery(uri);
        int start = s.indexOf("://");
        s = start < 0 ? s : s.substring(start + 3);
        int slash = s.indexOf('/');
        s = slash < 0 ? s : s.substring(0, slash);
        int at = s.lastIndexOf('@');
        return at < 0 ? s : s.substring(at + 1);
    }
}
