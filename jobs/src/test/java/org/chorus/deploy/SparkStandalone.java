package org.chorus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on loopback for tests: a Master and Workers as separate JVMs started from the Spark jars
 * Chorus builds against (spark-dist/target/spark-classpath.txt), with a SPARK_HOME made of links to those jars (a
 * {@code jars/} folder and a {@code RELEASE} file: how a Worker finds the class path of the executors it launches),
 * and {@code spark-submit} as its class, {@code org.apache.spark.deploy.SparkSubmit}. {@link #close()} stops every
 * process it started, however the test ends.
 */
final class SparkStandalone implements AutoCloseable {
  static final Path ROOT = Paths.get(System.getProperty("chorus.project.root", "..")).toAbsolutePath().normalize();
  static final Path CLUSTER_JAR = ROOT.resolve("jobs/target/chorus-jobs-spark.jar");

  private final Path dir;
  private final Path sparkHome;
  private final String sparkClassPath;
  private final Map<Process, String> processes = new java.util.LinkedHashMap<>();
  final int masterPort;

  private SparkStandalone(Path dir, int masterPort) throws IOException {
    this.dir = dir;
    this.masterPort = masterPort;
    this.sparkClassPath = Files.readString(ROOT.resolve("spark-dist/target/spark-classpath.txt")).trim();
    this.sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark 4.1.0 (the Maven class path of Chorus's build)\n");
    for (String jar : sparkClassPath.split(":")) {
      Path j = Paths.get(jar);
      Files.createSymbolicLink(sparkHome.resolve("jars").resolve(j.getFileName()), j);
    }
  }

  /** A Master and {@code workers} Workers (one core, {@code workerMemory} each), all registered. */
  static SparkStandalone start(Path dir, int workers, String workerMemory) throws Exception {
    SparkStandalone c = new SparkStandalone(dir, freePort());
    try {
      c.launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
          Integer.toString(c.masterPort), "--webui-port", Integer.toString(freePort())));
      c.await("master", "I have been elected leader", 1);
      for (int i = 0; i < workers; i++) {
        c.launch("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
            "--memory", workerMemory, "--webui-port", Integer.toString(freePort()), "--work-dir",
            dir.resolve("work-" + i).toString(), c.masterUrl()));
      }
      c.await("master", "Registering worker", workers);
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The environment a Worker and spark-submit need to find Spark: SPARK_HOME and the Scala version. */
  Map<String, String> environment() {
    return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13");
  }

  /**
   * {@code spark-submit --master spark://... --class org.chorus.cli.Chorus chorus-jobs-spark.jar ARGS}; returns the
   * exit code (the JVM must end by itself within the timeout) and leaves its output in {@code submit-NAME.log}.
   */
  Result submit(String name, List<String> submitOptions, List<String> chorusArgs, Duration timeout) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(),
        "--deploy-mode", "client", "--class", "org.chorus.cli.Chorus", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.executor.memory=1g",
        "--driver-java-options", "-Dchorus.log.dir=" + dir.resolve("logs-" + name)));
    cmd.addAll(submitOptions);
    cmd.add(CLUSTER_JAR.toString());
    cmd.addAll(chorusArgs);
    Process p = launch("submit-" + name, cmd);
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("spark-submit " + name + " did not end within " + timeout + ": " + log(name));
    }
    processes.remove(p);
    return new Result(p.exitValue(), log("submit-" + name));
  }

  record Result(int exitCode, String log) {}

  String log(String name) {
    try {
      Path f = dir.resolve(name + ".log");
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Process launch(String name, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Dspark.master.rest.enabled=false"); // no fixed port 6066
    cmd.addAll(Arrays.asList(System.getProperty("chorus.jvm.opens", "").trim().split("\\s+")));
    cmd.add("-cp");
    cmd.add(sparkClassPath);
    cmd.addAll(mainAndArgs);
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    b.environment().putAll(environment());
    Process p = b.start();
    processes.put(p, name);
    return p;
  }

  private void await(String name, String line, int times) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String log = log(name);
      if (log.split(java.util.regex.Pattern.quote(line), -1).length - 1 >= times) {
        return;
      }
      for (Map.Entry<Process, String> p : processes.entrySet()) {
        if (!p.getKey().isAlive()) {
          throw new AssertionError("the " + p.getValue() + " process ended:\n" + log(p.getValue()));
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("'" + line + "' x" + times + " not seen in the " + name + " log:\n" + log(name));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops every process (and the executors a Worker started: its descendants). */
  @Override
  public void close() {
    for (Process p : processes.keySet()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes.keySet()) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
