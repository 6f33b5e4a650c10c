package org.chorus.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class PathSegmentsTest {
  @Test
  void plainIdsStayAndEverythingElseIsEncodedSoNoIdMovesAPath() {
    assertThat(PathSegments.encode("bg2050-volunteers")).isEqualTo("bg2050-volunteers");
    assertThat(PathSegments.encode("gic@0.7")).isEqualTo("gic@0.7");
    assertThat(PathSegments.encode("../x")).isEqualTo("%2E.%2Fx");
    assertThat(PathSegments.encode("..")).isEqualTo("%2E.");
    assertThat(PathSegments.encode("a\\b'c\"d e")).isEqualTo("a%5Cb%27c%22d%20e");
    assertThat(PathSegments.encode("é")).isEqualTo("%C3%A9");
    assertThat(PathSegments.encode("")).isEqualTo("%00");
    for (String id : new String[] {"../../etc", "/abs", "a/../../b", ".hidden", "..\\win"}) {
      Path p = new Path(new Path("file:/wh/policies"), PathSegments.encode(id));
      assertThat(p.getParent()).as(id).isEqualTo(new Path("file:/wh/policies"));
      assertThat(p.getName()).as(id).doesNotStartWith(".").doesNotContain("/");
    }
  }
}
