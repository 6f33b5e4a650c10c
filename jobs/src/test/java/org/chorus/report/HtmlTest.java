package org.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void textFromTheDataIsEscaped() {
    assertThat(Html.escape("<script>alert('x')</script> & \"q\"")).isEqualTo(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    assertThat(Html.table(List.of("a<b"), List.of(List.of("<i>")))).contains("a&lt;b").contains("&lt;i&gt;")
        .doesNotContain("<i>");
  }
}
