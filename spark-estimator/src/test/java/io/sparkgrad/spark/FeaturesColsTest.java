package io.sparkgrad.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * featuresCols reads a list of numeric columns of any readable type straight into the float rows:
 * the fit and both scoring paths give what VectorAssembler's vectors of the same columns give.
 */
class FeaturesColsTest {
  /** One column of each type featuresCols reads; the dot checks the name is not a struct path. */
  static final String[] COLS = {"x.0", "x1", "x2", "x3", "x4", "x5", "x6"};

  static final String OUTPUTS = "rawPrediction, probability, prediction";

  @TempDir static Path tmp;
  static Dataset<Row> columns;
  static Dataset<Row> assembled;
  static MLPModel fromVectors;
  static MLPModel fromColumns;

  static MLPEstimator estimator() {
    return new MLPEstimator()
        .setLayers(new int[] {COLS.length, 8, 3})
        .setMaxEpochs(3)
        .setSeed(4)
        .setNumWorkers(2);
  }

  /** The features of {@code vectors}, one column per feature; the integers in [-4, 4]. */
  static Dataset<Row> asColumns(Dataset<Row> vectors) {
    Column x = org.apache.spark.ml.functions.vector_to_array(col("features"), "float64");
    return vectors.select(
        x.getItem(0).as("x.0"),
        x.getItem(1).cast("float").as("x1"),
        x.getItem(2).cast("decimal(12,6)").as("x2"),
        x.getItem(3).multiply(4).cast("int").as("x3"),
        x.getItem(4).multiply(4).cast("long").as("x4"),
        x.getItem(5).multiply(4).cast("short").as("x5"),
        x.getItem(6).multiply(4).cast("byte").as("x6"),
        col("label"),
        monotonically_increasing_id().as("id"));
  }

  @BeforeAll
  static void fit() {
    columns = asColumns(SparkTestSession.ordered(SparkTestSession.rows(300, 7, 3, 3), 3)).cache();
    assembled = assemble(columns);
    fromVectors = estimator().fit(assembled);
    // One partition in another order: the fit does not depend on the partitioning.
    fromColumns = estimator().setFeaturesCols(COLS).fit(columns.coalesce(1).orderBy("x4"));
  }

  /** The same columns assembled by VectorAssembler (renamed: it reads "x.0" as a struct path). */
  static Dataset<Row> assemble(Dataset<Row> df) {
    return new VectorAssembler()
        .setInputCols(new String[] {"x0", "x1", "x2", "x3", "x4", "x5", "x6"})
        .setOutputCol("features")
        .transform(df.withColumnRenamed("x.0", "x0"));
  }

  @Test
  void fitOnColumnsEqualsFitOnAssembledVectors() {
    fromVectors
        .weightArrays()
        .forEach((k, v) -> assertArrayEquals(v, fromColumns.weightArrays().get(k), k));
    assertArrayEquals(COLS, fromColumns.getFeaturesCols());
  }

  @Test
  void transformOfColumnsEqualsTransformOfVectorsOnBothPaths() throws Exception {
    assertEquals(scored(fromVectors, assembled), scored(fromColumns, columns)); // binary rows
    SparkSession spark = SparkTestSession.get();
    String dir = tmp.resolve("columns").toString();
    columns.write().parquet(dir);
    Dataset<Row> batch = spark.read().parquet(dir);
    Dataset<Row> stream = spark.readStream().schema(batch.schema()).parquet(dir);
    List<Row> streamed = // Rows
        SparkTestSession.runStream(fromColumns.transform(stream), "featurescols", OUTPUTS);
    assertEquals(scored(fromVectors, assemble(batch)), streamed);
  }

  private static List<Row> scored(MLPModel model, Dataset<Row> df) {
    return model.transform(df).orderBy("id").selectExpr(OUTPUTS.split(", ")).collectAsList();
  }

  @Test
  void saveAndLoadOfModelEstimatorAndPipelineKeepFeaturesCols() throws Exception {
    List<Row> expected = scored(fromColumns, columns);
    String modelDir = tmp.resolve("model").toString();
    fromColumns.write().save(modelDir);
    MLPModel loaded = MLPModel.load(modelDir);
    assertArrayEquals(COLS, loaded.getFeaturesCols());
    assertEquals(expected, scored(loaded, columns));

    String estimatorDir = tmp.resolve("estimator").toString();
    estimator().setFeaturesCols(COLS).write().save(estimatorDir);
    assertArrayEquals(COLS, MLPEstimator.load(estimatorDir).getFeaturesCols());

    String pipelineDir = tmp.resolve("pipeline").toString();
    new Pipeline()
        .setStages(new PipelineStage[] {estimator().setFeaturesCols(COLS)})
        .fit(columns)
        .write()
        .save(pipelineDir);
    PipelineModel pipeline = PipelineModel.load(pipelineDir);
    assertArrayEquals(COLS, ((MLPModel) pipeline.stages()[0]).getFeaturesCols());
    assertEquals(
        expected,
        pipeline.transform(columns).orderBy("id").selectExpr(OUTPUTS.split(", ")).collectAsList());
  }

  @Test
  void badColumnsAndParamsFailBeforeAnyJobNamingWhatToFix() {
    String missing =
        ErrorChain.thrownBy(() -> estimator().setFeaturesCols("x1", "nope").fit(columns));
    assertTrue(
        missing.contains("Param featuresCols names column 'nope', which the DataFrame does not"),
        missing);
    Dataset<Row> withText = columns.withColumn("s", lit("a"));
    String text = ErrorChain.thrownBy(() -> estimator().setFeaturesCols("x1", "s").fit(withText));
    assertTrue(
        text.contains("Column 's' (featuresCols) has type string; expected byte, short, int,"),
        text);
    Dataset<Row> wide = columns.withColumn("big", col("x2").cast("decimal(20,2)"));
    String decimal = ErrorChain.thrownBy(() -> estimator().setFeaturesCols("x1", "big").fit(wide));
    assertTrue(
        decimal.contains("has type decimal(20,2); expected")
            && decimal.contains("Cast the column to double"),
        decimal);
    String count =
        ErrorChain.thrownBy(
            () -> estimator().setLayers(new int[] {6, 3}).setFeaturesCols(COLS).fit(columns));
    assertTrue(count.contains("lists 7 columns, one feature each, but layers[0] is 6"), count);
    String both =
        "Params featuresCol ('features') and featuresCols ([x.0, x1, x2, x3, x4, x5, x6]) are"
            + " both set";
    String fit =
        ErrorChain.thrownBy(
            () -> estimator().setFeaturesCol("features").setFeaturesCols(COLS).fit(columns));
    assertTrue(fit.contains(both), fit);
    MLPModel model = fromColumns.copy(ParamMap.empty()).setFeaturesCol("features");
    String transform = ErrorChain.thrownBy(() -> model.transform(columns));
    assertTrue(transform.contains(both), transform);
  }

  @Test
  void nullsAndNaNsStopTheFitOrAreSkippedAsHandleInvalidSays() {
    Dataset<Row> withNull =
        columns.withColumn(
            "x3", when(col("label").equalTo(1), lit(null).cast("int")).otherwise(col("x3")));
    String fit = ErrorChain.thrownBy(() -> estimator().setFeaturesCols(COLS).fit(withNull));
    assertTrue(fit.contains("Column 'x3' at partition") && fit.contains("has null"), fit);
    String score = ErrorChain.thrownBy(() -> fromColumns.transform(withNull).collectAsList());
    assertTrue(score.contains("Column 'x3' at partition") && score.contains("has null"), score);
    MLPModel skipped = estimator().setFeaturesCols(COLS).setHandleInvalid("skip").fit(withNull);
    assertEquals(columns.filter(col("label").equalTo(1)).count(), skipped.summary().skippedRows());
    Dataset<Row> withNaN =
        columns.withColumn(
            "x1", when(col("label").equalTo(2), lit(Float.NaN)).otherwise(col("x1")));
    String nan = ErrorChain.thrownBy(() -> estimator().setFeaturesCols(COLS).fit(withNaN));
    assertTrue(nan.contains("Column 'x1' at partition") && nan.contains("has NaN"), nan);
  }
}
