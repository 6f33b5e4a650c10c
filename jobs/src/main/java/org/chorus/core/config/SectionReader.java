package org.chorus.core.config;

import java.util.function.Function;

/**
 * A capability's config section, found by {@link java.util.ServiceLoader} (each capability lists its readers in
 * {@code META-INF/services/org.chorus.core.config.SectionReader}), so that loading the config checks every section
 * and reports all bad values at once, while core knows no capability. A capability's reader is one line:
 * {@code public static final class Section extends SectionReader { public Section() { super("panel",
 * PanelConfig::new); } }}.
 */
public abstract class SectionReader {
  private final String section;
  private final Function<ConfigSection, ?> reader;

  protected SectionReader(String section, Function<ConfigSection, ?> reader) {
    this.section = section;
    this.reader = reader;
  }

  /** The section's name under {@code chorus.} (opinions, panel, ...). */
  public String section() {
    return section;
  }

  /** Reads the section, recording problems in {@code s}; the value itself is not kept. */
  public Object read(ConfigSection s) {
    return reader.apply(s);
  }
}
