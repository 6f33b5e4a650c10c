package org.chorus.core.config;

/**
 * A capability's config section, found by {@link java.util.ServiceLoader} (each capability lists its readers in
 * {@code META-INF/services/org.chorus.core.config.SectionReader}), so that loading the config checks every section
 * and reports all bad values at once, while core knows no capability.
 */
public interface SectionReader {
  /** The section's name under {@code chorus.} (opinions, panel, ...). */
  String section();

  /** Reads the section, recording problems in {@code s}; the value itself is not kept. */
  Object read(ConfigSection s);
}
