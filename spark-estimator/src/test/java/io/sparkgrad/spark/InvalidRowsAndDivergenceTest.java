package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** handleInvalid=skip drops and counts bad rows; a diverging fit stops and names where. */
class InvalidRowsAndDivergenceTest {

  @Test
  void skipDropsBadRowsAndCountsThem() {
    List<Row> rows = new ArrayList<>(SparkTestSession.rows(40, 4, 3, 1));
    rows.set(3, RowFactory.create(Vectors.dense(1, Double.NaN, 0, 0), 1.0, 1.0));
    rows.set(9, RowFactory.create(Vectors.dense(1, 2, 3, 4), 7.0, 1.0));
    rows.set(30, RowFactory.create(null, 1.0, 1.0));
    MLPModel m =
        new MLPEstimator()
            .setLayers(new int[] {4, 5, 3})
            .setHandleInvalid("skip")
            .setMaxEpochs(2)
            .fit(SparkTestSession.ordered(rows, 2));
    assertEquals(3, m.summary().skippedRows());
    assertEquals(37, m.summary().epochs().get(0).rows());
  }

  @Test
  void divergenceStopsTheFitWithWhereAndWhat() {
    List<Row> rows = SparkTestSession.rows(64, 4, 1, 2);
    MLPEstimator e =
        new MLPEstimator()
            .setLayers(new int[] {4, 8, 1})
            .setLoss("mse")
            .setLearningRate(1e30)
            .setBatchSize(8)
            .setMaxEpochs(5);
    var ex =
        assertThrows(
            TrainingDivergedException.class, () -> e.fit(SparkTestSession.ordered(rows, 1)));
    assertTrue(ex.getMessage().contains("at epoch 1, step"), ex.getMessage());
    assertTrue(ex.getMessage().contains("learning rate 1.0E30"), ex.getMessage());
  }
}
