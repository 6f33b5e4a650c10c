package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.chorus.SparkTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A warehouse on HDFS: a MiniDFSCluster (hadoop-client-minicluster, the Hadoop version Spark ships: a NameNode and a
 * DataNode on loopback) holds the tables of {@code ingest polis} and {@code opinions}, which give what the same
 * commands give on local disk.
 */
class HdfsIT extends SparkTestBase {
  static MiniDFSCluster dfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
  }

  @AfterAll
  static void stopHdfs() {
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  @Test
  void ingestAndOpinionsOnHdfsGiveWhatTheyGiveOnLocalDisk() throws Exception {
    String warehouse = "hdfs://127.0.0.1:" + dfs.getNameNodePort() + "/chorus";
    SparkSession onHdfs = Pipeline.withWarehouse(spark, "hdfs", warehouse);
    for (int i : new int[] {0, 2}) { // ingest polis, opinions --groups export
      List<String> step = Pipeline.steps("unused").get(i);
      Pipeline.run(spark, step);
      Pipeline.run(onHdfs, step);
    }
    Map<Long, Double> remote = Pipeline.gic(onHdfs.table("hdfs.derived.statement_stats"));
    Map<Long, Double> local = Pipeline.gic(spark.table("derived.statement_stats"));
    assertThat(remote.keySet()).isEqualTo(local.keySet()).isNotEmpty();
    local.forEach((s, g) -> assertThat(remote.get(s)).as("gic of " + s).isCloseTo(g, within(1e-12)));
    assertThat(onHdfs.table("hdfs.input.votes").count()).isEqualTo(spark.table("input.votes").count()).isPositive();
    FileSystem fs = FileSystem.get(java.net.URI.create(warehouse), new Configuration());
    assertThat(fs.exists(new Path(warehouse + "/input/votes/metadata"))).as("the tables' files are on HDFS").isTrue();
  }
}
