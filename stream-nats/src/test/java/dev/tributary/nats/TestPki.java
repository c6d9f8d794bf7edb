package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Certificates made with {@code openssl} in a temporary directory for the TLS tests: certificate
 * authorities, and server certificates they sign (for a chosen subject alternative name, optionally
 * with a validity period in the past). EC keys keep the generation fast.
 */
final class TestPki implements AutoCloseable {

    /** A certificate and its private key, both PEM files. */
    record Pair(Path cert, Path key) {
        /** In the form {@link NatsFixture.LocalNats} takes. */
        Path[] files() {
            return new Path[] {cert, key};
        }
    }

    private final Path dir;
    private int serial = 0x1000;

    TestPki() throws IOException {
        this.dir = Files.createTempDirectory("tributary-nats-pki-");
    }

    /** A self-signed certificate authority. */
    Pair ca(String name) {
        Pair p = pair(name);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                p.key().toString(), "-out", p.cert().toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return p;
    }

    /** A server certificate signed by {@code ca}, valid from now for two days, for {@code san} (e.g. "DNS:x"). */
    Pair server(String name, Pair ca, String san) {
        Path csr = request(name);
        Pair p = pair(name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-set_serial", String.valueOf(serial++), "-days", "2", "-sha256", "-extfile", extensions(name, san)
                        .toString(), "-out", p.cert().toString());
        return p;
    }

    /**
     * A server certificate signed by {@code ca} for {@code san} that expired long ago (valid for one day
     * in January 2020). {@code x509 -req -days} cannot go negative and OpenSSL 3.0 has no
     * {@code -not_before}, so this goes through {@code openssl ca}, which takes explicit dates.
     */
    Pair expiredServer(String name, Pair ca, String san) {
        Path csr = request(name);
        Pair p = pair(name);
        Path db = dir.resolve(name + "-db");
        try {
            Files.createDirectories(db);
            Files.writeString(db.resolve("index.txt"), "");
            Files.writeString(db.resolve("serial"), Integer.toHexString(serial++) + "\n");
            Path conf = dir.resolve(name + "-ca.cnf");
            Files.writeString(conf, String.join("\n", "[ ca ]", "default_ca = test_ca", "[ test_ca ]",
                    "database = " + db.resolve("index.txt"), "new_certs_dir = " + db, "serial = " + db.resolve("serial"),
                    "default_md = sha256", "policy = any_name", "[ any_name ]", "commonName = supplied", ""),
                    StandardCharsets.UTF_8);
            openssl("ca", "-batch", "-config", conf.toString(), "-cert", ca.cert().toString(), "-keyfile",
                    ca.key().toString(), "-in", csr.toString(), "-out", p.cert().toString(), "-notext",
                    "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile",
                    extensions(name, san).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private Pair pair(String name) {
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    /** A key (written to {@code name.key}) and a certificate request for it. */
    private Path request(String name) {
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                pair(name).key().toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        return csr;
    }

    private Path extensions(String name, String san) {
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                    + "extendedKeyUsage=serverAuth\nsubjectAltName=" + san + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ext;
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + args[0] + " failed: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
