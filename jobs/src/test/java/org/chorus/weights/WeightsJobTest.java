package org.chorus.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.chorus.core.ChorusException;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WeightsJobTest extends SparkTestBase {
  static Path margins;

  @BeforeAll
  static void data() throws Exception {
    SynthJob.run(tables, new SynthParams("w", "w", "w-p", 3000, 10, 3, 5, 0, 1, 2, 0, 1, 9), null, System.out);
    margins = tmp.resolve("margins.csv");
    Files.writeString(margins, "dimension,value,share\n"
        + "age_bracket,18-29,0.21\nage_bracket,30-44,0.26\nage_bracket,45-59,0.27\nage_bracket,60+,0.26\n"
        + "gender,female,0.51\ngender,male,0.48\ngender,other,0.01\n"
        + "education,secondary,0.65\neducation,tertiary,0.35\n");
  }

  @Test
  void weightedSharesMatchTheMarginsAndDiagnosticsAreKish() {
    WeightsJob.Result r = WeightsJob.run(tables, margins.toString(), "w", "w", Double.NaN);
    assertThat(r.raking().converged()).isTrue();
    assertThat(count("SELECT count(*) FROM derived.participant_weights WHERE population_id = 'w'")).isEqualTo(3000);
    // recomputed from the written weights, independently of the job's own diagnostics
    for (Row s : spark.sql("SELECT p.attributes['gender'] AS level, sum(w.weight) / 3000 AS share FROM "
        + "derived.participant_weights w JOIN input.participants p ON p.scope = 'w' AND p.participant_id = "
        + "w.participant_id WHERE w.population_id = 'w' GROUP BY 1").collectAsList()) {
      double target = switch (s.getString(0)) {
        case "female" -> 0.51;
        case "male" -> 0.48;
        default -> 0.01;
      };
      assertThat(s.getDouble(1) / target - 1).isCloseTo(0, within(5e-4));
    }
    Row k = spark.sql("SELECT avg(weight), count(*) * sum(weight * weight) / (sum(weight) * sum(weight)) FROM "
        + "derived.participant_weights WHERE population_id = 'w'").first();
    assertThat(k.getDouble(0)).isCloseTo(1.0, within(1e-9));
    assertThat(r.designEffect()).isCloseTo(k.getDouble(1), within(1e-9));
    assertThat(r.effectiveSampleSize()).isCloseTo(3000 / k.getDouble(1), within(1e-6));
    double before = spark.sql("SELECT value FROM derived.weighting_diagnostics WHERE population_id = 'w' AND "
        + "metric = 'asmd_before' AND dimension = 'education'").first().getDouble(0);
    double after = spark.sql("SELECT value FROM derived.weighting_diagnostics WHERE population_id = 'w' AND "
        + "metric = 'asmd_after' AND dimension = 'education'").first().getDouble(0);
    assertThat(after).isLessThan(before).isLessThan(1e-3);
  }

  @Test
  void capHolds() {
    WeightsJob.Result r = WeightsJob.run(tables, margins.toString(), "wc", "w", 3.0);
    assertThat(spark.sql("SELECT max(weight) FROM derived.participant_weights WHERE population_id = 'wc'").first()
        .getDouble(0)).isLessThanOrEqualTo(3.0 + 1e-9);
    assertThat(r.raking().maxMarginError()).isLessThanOrEqualTo(5e-4);
  }

  @Test
  void levelsWithoutATargetAreAClearError() throws Exception {
    Path partial = tmp.resolve("partial.csv");
    Files.writeString(partial, "dimension,value,share\ngender,female,0.5,\ngender,male,0.5\n");
    assertThatThrownBy(() -> WeightsJob.run(tables, partial.toString(), "wp", "w", Double.NaN))
        .isInstanceOf(ChorusException.class)
        .hasMessage("participants have level 'other' of dimension 'gender' that the margins lack")
        .satisfies(e -> assertThat(((ChorusException) e).exitCode()).isEqualTo(3));
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "dimension,value,share\ngender,female,0.7\ngender,male,0.5\n");
    assertThatThrownBy(() -> WeightsJob.run(tables, bad.toString(), "wb", "w", Double.NaN))
        .hasMessage("margins of dimension 'gender' sum to 1.200000, not 1");
  }
}
