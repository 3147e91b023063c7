package io.sparkgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.engine.train.EpochStats;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveTest {
  private static final List<EpochStats> EPOCHS =
      List.of(
          new EpochStats(1, 0.5, 0.4, 0.9, 100, 0.01, 1.5, 0.25),
          new EpochStats(2, 0.25, Double.NaN, Double.NaN, 100, 0.02, 1.0, 0));

  @Test
  void csvHasOneRowPerEpochAndEmptyCellsWithoutValidation() {
    assertEquals(
        "epoch,train_loss,validation_loss,validation_accuracy,rows,learning_rate,seconds,"
            + "validation_seconds\n"
            + "1,0.5,0.4,0.9,100,0.01,1.5,0.25\n"
            + "2,0.25,,,100,0.02,1.0,0.0\n",
        LearningCurve.csv(EPOCHS, "accuracy"));
  }

  @Test
  void writesAChartAndTheCsv(@TempDir Path dir) throws Exception {
    LearningCurve.write(EPOCHS, "rmse", dir);
    BufferedImage png = ImageIO.read(dir.resolve("learning-curve.png").toFile());
    assertEquals(800, png.getWidth());
    assertEquals(500, png.getHeight());
    assertEquals(3, Files.readAllLines(dir.resolve("history.csv")).size());
  }
}
