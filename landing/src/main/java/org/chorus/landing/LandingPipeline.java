package org.chorus.landing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * The Beam graph: Kafka records from explicit start offsets (where the tables' offsets say reading must resume) →
 * validation by the shared rules, good rows on one output and rejected records on a dead-letter output → one pane
 * per commit interval (processing time) → one committer per pipeline, which writes each table with its offsets.
 */
final class LandingPipeline {
  static final TupleTag<LandingEvent> ROWS = new TupleTag<>() {};
  static final TupleTag<LandingEvent> DEAD_LETTERS = new TupleTag<>() {};

  /** Figures of this JVM's committer, for the runner loop, tests and the benchmark. */
  static final AtomicLong READ = new AtomicLong();
  static final AtomicLong LANDED = new AtomicLong();
  static final AtomicLong QUARANTINED = new AtomicLong();
  static final AtomicLong COMMITS = new AtomicLong();
  static final AtomicLong LAST_COMMIT_MILLIS = new AtomicLong();
  static final AtomicLong WAITING = new AtomicLong();
  /** Every commit of this JVM that read records: when it ended, records read, median and max vote lag (ms). */
  static final List<long[]> COMMIT_LOG = java.util.Collections.synchronizedList(new ArrayList<>());

  private static final Map<String, Committer> COMMITTERS = new java.util.HashMap<>();

  private LandingPipeline() {}

  /** One committer per group in a JVM, whatever number of DoFn instances the runner makes: its key index is one. */
  static synchronized Committer shared(LandingTables tables, String group, long statementWaitMillis) {
    return COMMITTERS.computeIfAbsent(group, g -> new Committer(tables.open(), g, statementWaitMillis));
  }

  /** Forgets the committers of this JVM (a new run in the same JVM reads the tables again). */
  static synchronized void reset() {
    COMMITTERS.clear();
  }

  /**
   * @param topics topic → kind of its events
   * @param start topic partition → first offset to read
   */
  static Pipeline build(PipelineOptions options, String bootstrap, Map<String, EventRules.Kind> topics,
      List<KafkaSourceDescriptor> start, LandingTables tables, String group, Duration interval,
      long statementWaitMillis) {
    Pipeline p = Pipeline.create(options);
    PCollection<KafkaRecord<byte[], byte[]>> records = p
        .apply("Partitions", Create.of(start))
        .apply("ReadKafka", KafkaIO.<byte[], byte[]>readSourceDescriptors()
            .withBootstrapServers(bootstrap)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(Map.of("group.id", group, "enable.auto.commit", false,
                "auto.offset.reset", "earliest")));
    PCollectionTuple checked = records.apply("Validate", ParDo.of(new Validate(topics))
        .withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    // a tick every interval, so an idle interval still fires: votes waiting for their statement are retried
    PCollection<LandingEvent> ticks = p.apply("Tick", org.apache.beam.sdk.transforms.PeriodicImpulse.create()
            .withInterval(interval))
        .apply("AsEvent", org.apache.beam.sdk.transforms.MapElements.into(
            org.apache.beam.sdk.values.TypeDescriptor.of(LandingEvent.class)).via(t -> LandingEvent.TICK))
        .setCoder(SerializableCoder.of(LandingEvent.class));
    PCollection<LandingEvent> all = PCollectionList.of(checked.get(ROWS).setCoder(SerializableCoder.of(
            LandingEvent.class)))
        .and(checked.get(DEAD_LETTERS).setCoder(SerializableCoder.of(LandingEvent.class))).and(ticks)
        .apply("Together", org.apache.beam.sdk.transforms.Flatten.pCollections());
    all.apply("Interval", Window.<LandingEvent>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))
            .withAllowedLateness(Duration.ZERO).discardingFiredPanes())
        .apply("OneCommitter", WithKeys.of("landing"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(LandingEvent.class)))
        .apply("PerInterval", GroupByKey.create())
        .apply("Commit", ParDo.of(new Commit(tables, group, statementWaitMillis)));
    return p;
  }

  static KafkaSourceDescriptor descriptor(String topic, int partition, Long offset, String bootstrap) {
    return KafkaSourceDescriptor.of(new TopicPartition(topic, partition), offset, null, null, null,
        List.of(bootstrap));
  }

  /** The shared rules on each record; rejected records go to the dead-letter output with their reason. */
  static final class Validate extends DoFn<KafkaRecord<byte[], byte[]>, LandingEvent> {
    private final Map<String, EventRules.Kind> topics;

    Validate(Map<String, EventRules.Kind> topics) {
      this.topics = topics;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, MultiOutputReceiver out) {
      LandingEvent e = EventRules.parse(topics.get(r.getTopic()), r.getKV().getValue(), r.getTopic(),
          r.getPartition(), r.getOffset());
      out.get(e.quarantined() ? DEAD_LETTERS : ROWS).output(e);
    }
  }

  /** Commits one interval's pane: every table once, rows and offsets together. */
  static final class Commit extends DoFn<KV<String, Iterable<LandingEvent>>, Void> {
    private final LandingTables tables;
    private final String group;
    private final long statementWaitMillis;
    private transient Committer committer;

    Commit(LandingTables tables, String group, long statementWaitMillis) {
      this.tables = tables;
      this.group = group;
      this.statementWaitMillis = statementWaitMillis;
    }

    @Setup
    public void setup() {
      committer = shared(tables, group, statementWaitMillis);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<LandingEvent>> pane) {
      List<LandingEvent> events = new ArrayList<>();
      pane.getValue().forEach(e -> {
        if (!e.tick()) {
          events.add(e);
        }
      });
      Committer.Result r;
      synchronized (committer) {
        r = committer.commit(events);
        WAITING.set(committer.waiting());
      }
      READ.addAndGet(r.read());
      LANDED.addAndGet(r.landed());
      QUARANTINED.addAndGet(r.quarantined());
      if (r.read() > 0) {
        COMMIT_LOG.add(new long[] {System.currentTimeMillis(), r.read(), r.medianLagMillis(), r.maxLagMillis()});
      }
      if (r.read() > 0 || r.quarantined() > 0 || r.landed() > 0) {
        COMMITS.incrementAndGet();
        LAST_COMMIT_MILLIS.set(System.currentTimeMillis());
      }
    }
  }
}
