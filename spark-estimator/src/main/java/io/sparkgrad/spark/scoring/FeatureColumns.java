package io.sparkgrad.spark.scoring;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * Where a row's features come from, resolved from the params and the schema once: one column
 * holding a Vector or an array (featuresCol), or one number from each of several numeric columns
 * (featuresCols, kind {@link FeaturesKind#NUMBERS}), with the columns' types in the same order.
 */
public record FeatureColumns(FeaturesKind kind, List<String> names, List<DataType> types)
    implements Serializable {

  public FeatureColumns {
    names = List.copyOf(names);
    types = List.copyOf(types);
  }

  /** One Vector or array column. */
  public static FeatureColumns single(String name, DataType type, FeaturesKind kind) {
    return new FeatureColumns(kind, List.of(name), List.of(type));
  }

  /** One number per column, in the order of {@code names}. */
  public static FeatureColumns numbers(List<String> names, List<DataType> types) {
    return new FeatureColumns(FeaturesKind.NUMBERS, names, types);
  }

  public boolean isNumbers() {
    return kind == FeaturesKind.NUMBERS;
  }

  /** The name of the {@code i}-th column: for a Vector or array, its only column. */
  public String name(int i) {
    return names.get(i);
  }
}
