package org.chorus.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.spark.ScalaMaps;
import org.chorus.core.tables.TableSchemas;
import org.chorus.records.BadRecord;

/**
 * The two quota layouts of the sortition tools ({@code category,feature,min,max} from the Flanigan et al.
 * replication; {@code feature,value,min,max,min_flex,max_flex} from sortition-algorithms) and the respondents file.
 */
final class SortitionParsers {
  private SortitionParsers() {}

  static final String QUOTA = "quota";
  static final String PERSON = "person";

  static final StructType QUOTA_ROWS = TableParsers.rowsSchema(TableSchemas.input("quotas"));
  static final StructType POOL_ROWS = TableParsers.rowsSchema(TableSchemas.input("pool"));

  static final class Quotas extends CsvFileParser {
    private static final long serialVersionUID = 1L;
    private final String pool;
    private final int category;
    private final int feature;
    private final int min;
    private final int max;
    private final int minFlex;
    private final int maxFlex;

    Quotas(QuarantineContext ctx, CsvHeader h, String file, String pool) {
      super(ctx, h, "input.quotas");
      this.pool = pool;
      boolean replication = h.has("category");
      if (replication) {
        h.require(file, "category", "feature", "min", "max");
        category = h.index("category");
        feature = h.index("feature");
      } else {
        h.require(file, "feature", "value", "min", "max");
        category = h.index("feature");
        feature = h.index("value");
      }
      min = h.index("min");
      max = h.index("max");
      minFlex = h.index("min_flex");
      maxFlex = h.index("max_flex");
    }

    @Override
    protected void convert(String file, long line, String raw, String[] f, Consumer<Outcome> out) throws BadRecord {
      String c = requireId(f[category], "category");
      String v = requireId(f[feature], "feature");
      int lo = count(f[min], "min");
      int hi = count(f[max], "max");
      if (lo > hi) {
        throw new BadRecord("min " + lo + " > max " + hi);
      }
      Integer loFlex = minFlex < 0 ? null : optionalInt(f[minFlex], "min_flex");
      Integer hiFlex = maxFlex < 0 ? null : optionalInt(f[maxFlex], "max_flex");
      if (loFlex != null && (loFlex < 0 || loFlex > lo)) {
        throw new BadRecord("min_flex " + loFlex + " must be between 0 and min " + lo);
      }
      if (hiFlex != null && hiFlex < hi) {
        throw new BadRecord("max_flex " + hiFlex + " must be at least max " + hi);
      }
      out.accept(new Outcome(QUOTA, TableParsers.withOrder(RowFactory.create(pool, c, v, lo, hi, loFlex, hiFlex),
          line, raw)));
    }

    private static int count(String value, String what) throws BadRecord {
      Integer n = optionalInt(value, what);
      if (n == null) {
        throw new BadRecord("empty " + what);
      }
      if (n < 0) {
        throw new BadRecord(what + " must not be negative: " + n);
      }
      return n;
    }
  }

  static final class Respondents extends CsvFileParser {
    private static final long serialVersionUID = 1L;
    private final String pool;
    private final int idColumn;
    private final Map<String, Integer> categoryColumns;
    private final Map<String, Set<String>> features;
    private final Map<String, Integer> keptColumns;

    /**
     * @param idColumn the id column's index, or -1 for the 0-based row number
     * @param categoryColumns quota category -> column index
     * @param features quota category -> the feature values that have a quota
     */
    Respondents(QuarantineContext ctx, CsvHeader h, String pool, int idColumn, Map<String, Integer> categoryColumns,
        Map<String, Set<String>> features, Map<String, Integer> keptColumns) {
      super(ctx, h, "input.pool");
      this.pool = pool;
      this.idColumn = idColumn;
      this.categoryColumns = categoryColumns;
      this.features = features;
      this.keptColumns = keptColumns;
    }

    @Override
    protected void convert(String file, long line, String raw, String[] f, Consumer<Outcome> out) throws BadRecord {
      String id = idColumn < 0 ? String.valueOf(recordIndex) : requireId(f[idColumn], "person id");
      Map<String, String> attributes = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> c : categoryColumns.entrySet()) {
        String value = f[c.getValue()].trim();
        if (value.isEmpty()) {
          throw new BadRecord("no value for quota category '" + c.getKey() + "'");
        }
        if (!features.get(c.getKey()).contains(value)) {
          throw new BadRecord("value '" + value + "' of category '" + c.getKey() + "' has no quota (quotas: "
              + String.join(", ", features.get(c.getKey())) + ")");
        }
        attributes.put(c.getKey(), value);
      }
      for (Map.Entry<String, Integer> k : keptColumns.entrySet()) {
        attributes.put(k.getKey(), f[k.getValue()]);
      }
      out.accept(new Outcome(PERSON, TableParsers.withOrder(RowFactory.create(pool, id, ScalaMaps.of(attributes)),
          line, raw)));
    }
  }

  static List<String> layouts() {
    return List.of("category,feature,min,max", "feature,value,min,max[,min_flex,max_flex]");
  }
}
