package org.chorus.landing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus land}: lands live events from Kafka in the input tables. Runs until stopped (SIGTERM or Ctrl-C:
 * what was not committed is read again next time), or until no event has arrived for {@code --stop-after-idle}.
 */
@Command(name = "land", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Land live votes, statements and comparisons from Kafka in the Iceberg input tables (Apache Beam).")
public final class Land implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Land.class);

  @Option(names = "--bootstrap-servers", description = "Kafka brokers, host:port,...")
  String bootstrap;
  @Option(names = "--embedded-broker", description = "start a Kafka broker (KRaft) in this process, on loopback")
  boolean embedded;
  @Option(names = "--votes-topic", defaultValue = "chorus.votes")
  String votesTopic;
  @Option(names = "--statements-topic", defaultValue = "chorus.statements")
  String statementsTopic;
  @Option(names = "--comparisons-topic", defaultValue = "chorus.comparisons")
  String comparisonsTopic;
  @Option(names = "--group", defaultValue = "chorus-landing",
      description = "names this landing's offsets in the tables (and its Kafka consumer group)")
  String group;
  @Option(names = "--warehouse", defaultValue = "warehouse", description = "the warehouse of the Hadoop catalog "
      + "(the embedded default), or where a JDBC catalog puts table files")
  String warehouse;
  @Option(names = "--catalog-uri", description = "jdbc:postgresql://... for the JDBC catalog the jobs use")
  String catalogUri;
  @Option(names = "--catalog-user")
  String catalogUser;
  @Option(names = "--interval", defaultValue = "10s", description = "commit interval: 10s, 500ms, 1m")
  String interval;
  @Option(names = "--stop-after-idle", defaultValue = "0",
      description = "stop once nothing was committed for this many seconds (0: run until stopped)")
  long stopAfterIdle;
  @Option(names = "--statement-wait", defaultValue = "60", description = "seconds a vote may wait for its "
      + "statement (topics are read independently) before it is quarantined as a vote on an unknown statement")
  long statementWait;
  @Option(names = "--replay", description = "demo: produce a Polis export's comments.csv and votes.csv as events "
      + "(in time order) before landing; with --conversation")
  Path replay;
  @Option(names = "--conversation", description = "the conversation id the replayed events carry")
  String conversation;
  @Option(names = "--rate", defaultValue = "0", description = "replay: events per second (0: as fast as possible)")
  int rate;
  @Parameters(description = "Beam pipeline options after --, e.g. -- --runner=FlinkRunner (default: DirectRunner)")
  List<String> beamArgs = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new Land());
    cli.setExecutionExceptionHandler((ex, commandLine, parse) -> {
      LOG.error("land failed", ex);
      Throwable root = ex;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String msg = String.valueOf(root.getMessage()).replaceAll("\\s+", " ");
      commandLine.getErr().println("chorus: error: " + (msg.length() > 400 ? msg.substring(0, 400) + "…" : msg));
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Duration every = duration(interval);
    if (bootstrap == null && !embedded) {
      throw new CommandLine.ParameterException(new CommandLine(this), "give --bootstrap-servers or --embedded-broker");
    }
    if (replay != null && (conversation == null || conversation.isBlank())) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--replay needs --conversation");
    }
    EmbeddedKafka broker = embedded ? EmbeddedKafka.start(Path.of(warehouse).toAbsolutePath().getParent()
        .resolve("kafka-embedded")) : null;
    try {
      String servers = broker != null ? broker.bootstrapServers() : bootstrap;
      if (broker != null) {
        System.out.println("kafka broker (embedded, KRaft): " + servers);
      }
      Map<String, EventRules.Kind> topics = new LinkedHashMap<>();
      topics.put(statementsTopic, EventRules.Kind.STATEMENT);
      topics.put(votesTopic, EventRules.Kind.VOTE);
      topics.put(comparisonsTopic, EventRules.Kind.COMPARISON);
      LandingTables tables = new LandingTables(warehouse, catalogUri, catalogUser,
          System.getenv("CHORUS_CATALOG_PASSWORD"));
      List<KafkaSourceDescriptor> start = startOffsets(servers, topics.keySet(), tables, broker != null);
      PipelineResult result = LandingPipeline.build(options(start.size()), servers, topics, start, tables, group, every,
          statementWait * 1000).run();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> cancel(result)));
      if (replay != null) { // the events arrive while the pipeline runs, as they would live
        Thread producer = new Thread(() -> replay(servers), "replay");
        producer.setDaemon(true);
        producer.start();
      }
      return waitUntilIdle(result);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private void replay(String servers) {
    try {
      long n = PolisReplay.produce(servers, replay, conversation, statementsTopic, votesTopic, rate);
      System.out.println("replayed " + n + " events of " + replay + " as conversation " + conversation);
    } catch (Exception e) {
      LOG.error("replay failed", e);
      System.err.println("chorus: error: replay failed: " + e.getMessage());
    }
  }

  private int waitUntilIdle(PipelineResult result) throws InterruptedException {
    long started = System.currentTimeMillis();
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(1));
      if (state != null && state.isTerminal()) {
        return state == PipelineResult.State.DONE || state == PipelineResult.State.CANCELLED ? 0 : 1;
      }
      // idle: nothing committed for --stop-after-idle seconds (before the first commit, allow the start: 2 min)
      long last = LandingPipeline.LAST_COMMIT_MILLIS.get();
      long idle = last == 0 ? Math.max(stopAfterIdle * 1000, 120_000) : stopAfterIdle * 1000;
      if (stopAfterIdle > 0 && LandingPipeline.WAITING.get() == 0
          && System.currentTimeMillis() - Math.max(started, last) > idle) {
        cancel(result);
        System.out.printf("landed: %d records read, %d rows landed, %d quarantined, in %d commits%n",
            LandingPipeline.READ.get(), LandingPipeline.LANDED.get(), LandingPipeline.QUARANTINED.get(),
            LandingPipeline.COMMITS.get());
        return 0;
      }
    }
  }

  private static void cancel(PipelineResult result) {
    try {
      if (!result.getState().isTerminal()) {
        result.cancel();
      }
    } catch (Exception e) {
      LOG.warn("cancel: {}", e.toString());
    }
  }

  /**
   * The Direct runner gets a thread per partition read and two more. Each partition's read blocks in Kafka's poll
   * (up to 2 s when the partition is empty), and with fewer threads than partitions one partition went unread for
   * minutes.
   */
  private PipelineOptions options(int partitions) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs.toArray(String[]::new)).withValidation()
        .create();
    if (options.getRunner().getSimpleName().equals("DirectRunner")) {
      DirectOptions direct = options.as(DirectOptions.class);
      direct.setBlockOnRun(false);
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
      direct.setTargetParallelism(Math.max(Runtime.getRuntime().availableProcessors(), partitions + 2));
    }
    return options;
  }

  /** Every partition of the topics, from the lowest offset some table still lacks (0 when none has any). */
  private List<KafkaSourceDescriptor> startOffsets(String servers, java.util.Set<String> topics,
      LandingTables tables, boolean create) throws Exception {
    Map<String, Long> resume = Committer.resumeOffsets(tables.open(), group);
    List<KafkaSourceDescriptor> out = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      java.util.Set<String> existing = admin.listTopics().names().get();
      for (String t : topics) {
        if (!existing.contains(t)) {
          if (!create) {
            throw new IllegalArgumentException("topic " + t + " does not exist on " + servers);
          }
          admin.createTopics(List.of(new NewTopic(t, 2, (short) 1))).all().get();
        }
      }
      Map<String, TopicDescription> described = describe(admin, topics);
      awaitLeaders(admin, described);
      for (TopicDescription d : described.values()) {
        for (var p : d.partitions()) {
          long from = resume.getOrDefault(Watermarks.partitionKey(d.name(), p.partition()), 0L);
          out.add(LandingPipeline.descriptor(d.name(), p.partition(), from, servers));
          LOG.info("reading {}/{} from offset {}", d.name(), p.partition(), from);
        }
      }
    }
    return out;
  }

  /** The topics' partitions; a topic just created may take a moment to be known to the broker. */
  private static Map<String, TopicDescription> describe(Admin admin, java.util.Set<String> topics) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return admin.describeTopics(topics).allTopicNames().get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || attempt >= 50) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Waits until every partition answers an offset request: Beam's Kafka read stops for good on a partition it does
   * not find when it starts (a topic created a moment ago).
   */
  private static void awaitLeaders(Admin admin, Map<String, TopicDescription> topics) throws Exception {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all = new HashMap<>();
    topics.values().forEach(d -> d.partitions().forEach(p -> all.put(
        new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
        org.apache.kafka.clients.admin.OffsetSpec.latest())));
    for (int attempt = 1; ; attempt++) {
      try {
        admin.listOffsets(all).all().get();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt >= 100) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.millis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.standardSeconds(n);
        case 'm' -> Duration.standardMinutes(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--interval: expected e.g. 10s, 500ms or 1m, got '" + text + "'");
    }
  }
}
