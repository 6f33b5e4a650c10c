package org.chorus.core.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Where the Iceberg tables live ({@code chorus.catalog}). {@code hadoop}: a Hadoop catalog under the warehouse
 * (the embedded default). {@code jdbc}: a JDBC catalog (e.g. PostgreSQL) at {@code uri}, table files under the
 * warehouse. {@code rest}: an Iceberg REST catalog at {@code uri}. Extra Iceberg catalog properties pass through
 * from {@code chorus.catalog.properties}.
 */
public final class CatalogConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final List<String> TYPES = List.of("hadoop", "jdbc", "rest");

  public final String name;
  public final String type;
  public final String uri;
  public final String user;
  public final String password;
  public final Map<String, String> properties;

  CatalogConfig(Config c, List<String> errors) {
    this.name = Values.string(c, "chorus.catalog.name", errors, true);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      errors.add("chorus.catalog.name = '" + name + "' must be an identifier");
    }
    this.type = Values.oneOf(c, "chorus.catalog.type", TYPES, errors);
    this.uri = Values.string(c, "chorus.catalog.uri", errors, false);
    this.user = Values.string(c, "chorus.catalog.user", errors, false);
    this.password = Values.string(c, "chorus.catalog.password", errors, false);
    this.properties = Values.flatMap(c, "chorus.catalog.properties", errors);
    if (type.equals("jdbc") && !uri.startsWith("jdbc:")) {
      errors.add("chorus.catalog.uri must be a jdbc: URL when chorus.catalog.type = jdbc (got '" + uri + "')");
    }
    if (type.equals("rest") && !uri.matches("^https?://.*")) {
      errors.add("chorus.catalog.uri must be an http(s) URL when chorus.catalog.type = rest (got '" + uri + "')");
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "catalog " + name + " (" + type + (uri.isEmpty() ? "" : ", " + uri) + ")";
  }
}
