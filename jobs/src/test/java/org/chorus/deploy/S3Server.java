package org.chorus.deploy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server on loopback for tests: S3Proxy (from Maven Central, test-servers/) in its own JVM, its
 * buckets directories under {@code dir/blobs}, requests signed with AWS v2 or v4 by one access key. {@link #close()}
 * stops it however the test ends.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "chorus-test";

  final int port;
  final String secretKey;
  private final Path dir;
  private final Process process;

  private S3Server(Path dir, int port, String secretKey, Process process) {
    this.dir = dir;
    this.port = port;
    this.secretKey = secretKey;
    this.process = process;
  }

  /** Starts S3Proxy with the given buckets (empty). */
  static S3Server start(Path dir, String secretKey, String... buckets) throws Exception {
    Path blobs = dir.resolve("blobs");
    for (String b : buckets) {
      Files.createDirectories(blobs.resolve(b));
    }
    int port = SparkStandalone.freePort();
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + blobs) + "\n");
    String cp = Files.readString(SparkStandalone.ROOT.resolve("test-servers/target/s3proxy-classpath.txt")).trim();
    Process p = new ProcessBuilder(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", cp, "org.gaul.s3proxy.Main", "--properties", props.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
    S3Server s = new S3Server(dir, port, secretKey, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("S3Proxy ended:\n" + Files.readString(dir.resolve("s3proxy.log")));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return s;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    s.close();
    throw new AssertionError("S3Proxy did not listen on " + port + ":\n" + Files.readString(dir.resolve("s3proxy.log")));
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Where an object of a bucket lies on disk (S3Proxy's filesystem provider: one file per key). */
  Path blob(String bucket, String key) {
    return dir.resolve("blobs").resolve(bucket).resolve(key);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
