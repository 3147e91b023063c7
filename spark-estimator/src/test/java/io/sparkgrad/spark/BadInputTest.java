package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad row fails the fit with its column, partition, row and value named. */
class BadInputTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "cross_entropy",
            RowFactory.create(Vectors.dense(1, Double.NaN, 0, 0), 1.0, 1.0),
            "NaN at vector index 1"),
        Arguments.of(
            "cross_entropy",
            RowFactory.create(Vectors.dense(1, Double.POSITIVE_INFINITY, 0, 0), 1.0, 1.0),
            "Infinity at vector index 1"),
        Arguments.of(
            "cross_entropy",
            RowFactory.create(null, 1.0, 1.0),
            "'features' at partition 0, row 7 has null"),
        Arguments.of(
            "cross_entropy",
            RowFactory.create(Vectors.dense(1, 2, 3), 1.0, 1.0),
            "a vector of length 3"),
        Arguments.of(
            "cross_entropy",
            RowFactory.create(Vectors.dense(1, 2, 3, 4), 3.0, 1.0),
            "integer class index in [0, 3)"),
        Arguments.of(
            "cross_entropy", RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.5, 1.0), "has 1.5"),
        Arguments.of(
            "cross_entropy", RowFactory.create(Vectors.dense(1, 2, 3, 4), -1.0, 1.0), "has -1.0"),
        Arguments.of(
            "bce", RowFactory.create(Vectors.dense(1, 2, 3, 4), 2.0, 1.0), "0 or 1 for bce"),
        Arguments.of(
            "cross_entropy",
            RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0, -2.0),
            "'weight' at partition 0, row 7 has -2.0"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void badRowIsNamed(String loss, Row bad, String expected) {
    List<Row> rows = new ArrayList<>(SparkTestSession.rows(12, 4, 2, 1));
    rows.set(7, bad);
    MLPEstimator e =
        new MLPEstimator()
            .setLayers(new int[] {4, 3, loss.equals("bce") ? 1 : 3})
            .setLoss(loss)
            .setWeightCol("weight")
            .setMaxEpochs(1);
    var ex =
        assertThrows(InvalidInputException.class, () -> e.fit(SparkTestSession.ordered(rows, 1)));
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    assertTrue(ex.getMessage().contains("To fix"), ex.getMessage());
  }

  @ParameterizedTest
  @MethodSource("schemaCases")
  void badSchemaFailsBeforeAnyJob(String param, String value, String expected) {
    MLPEstimator e = new MLPEstimator().setLayers(new int[] {4, 3, 3});
    e.set(e.getParam(param), value);
    var ex =
        assertThrows(
            InvalidInputException.class,
            () -> e.fit(SparkTestSession.ordered(SparkTestSession.rows(10, 4, 3, 1), 1)));
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }

  static Stream<Arguments> schemaCases() {
    return Stream.of(
        Arguments.of("featuresCol", "nope", "does not have"),
        Arguments.of("featuresCol", "label", "expected a Vector"),
        Arguments.of("labelCol", "features", "expected a numeric type"),
        Arguments.of("predictionCol", "weight", "already exists"));
  }

  @org.junit.jupiter.api.Test
  void emptyFrameIsRefused() {
    var empty = SparkTestSession.ordered(new ArrayList<>(), 1);
    var ex =
        assertThrows(
            InvalidInputException.class,
            () -> new MLPEstimator().setLayers(new int[] {4, 3}).fit(empty));
    assertTrue(ex.getMessage().contains("no training rows"), ex.getMessage());
  }
}
