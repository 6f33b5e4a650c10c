package org.chorus.opinions;

import java.util.List;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.config.ConfigSection;
import org.chorus.core.config.SectionReader;

/**
 * Defaults of {@code chorus opinions} ({@code chorus.opinions} in conf/chorus.conf). Precedence, highest first: the
 * command's flags, then {@code --set opinions.KEY=V}, then {@code --conf} files, then conf/chorus.conf.
 */
public record OpinionsConfig(OpinionsJob.Groups groups, OpinionsJob.Method method, int maxGroups, long seed) {
  public static OpinionsConfig from(ChorusConfig config) {
    return config.section("opinions", OpinionsConfig::read);
  }

  private static OpinionsConfig read(ConfigSection s) {
    String groups = s.oneOf("groups", List.of("computed", "export"));
    String method = s.oneOf("method", List.of("latent", "polis"));
    int maxGroups = s.integer("max-groups", 2, 50);
    long seed = s.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    return new OpinionsConfig(groups.equals("export") ? OpinionsJob.Groups.export : OpinionsJob.Groups.computed,
        method.equals("polis") ? OpinionsJob.Method.polis : OpinionsJob.Method.latent, maxGroups, seed);
  }

  /** Checks {@code chorus.opinions} when the config is loaded (listed in META-INF/services). */
  public static final class Section extends SectionReader {
    public Section() {
      super("opinions", OpinionsConfig::read);
    }
  }
}
