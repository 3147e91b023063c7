package io.sparkgrad.examples;

import io.sparkgrad.engine.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A fit's history for people and for other tools: a PNG chart (JFreeChart) of training and
 * validation loss on the left axis and the validation metric on the right, by epoch, and the same
 * figures as CSV.
 */
final class LearningCurve {
  private LearningCurve() {}

  /** Writes {@code learning-curve.png} and {@code history.csv} into {@code folder}. */
  static void write(List<EpochStats> epochs, String metric, Path folder) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries train = new XYSeries("train loss");
    XYSeries validation = new XYSeries("validation loss");
    XYSeries score = new XYSeries("validation " + metric);
    for (EpochStats e : epochs) {
      train.add(e.epoch(), e.trainLoss());
      if (!Double.isNaN(e.validationLoss())) {
        validation.add(e.epoch(), e.validationLoss());
        score.add(e.epoch(), e.validationMetric());
      }
    }
    XYSeriesCollection losses = new XYSeriesCollection(train);
    losses.addSeries(validation);
    NumberAxis epochAxis = new NumberAxis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epochAxis.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(losses, epochAxis, new NumberAxis("loss"), renderer(Color.BLUE));
    plot.getRenderer().setSeriesPaint(1, new Color(0, 150, 0));
    plot.getRenderer().setSeriesStroke(1, new BasicStroke(2f));
    plot.setDataset(1, new XYSeriesCollection(score));
    NumberAxis metricAxis = new NumberAxis(metric);
    metricAxis.setAutoRangeIncludesZero(false);
    plot.setRangeAxis(1, metricAxis);
    plot.mapDatasetToRangeAxis(1, 1);
    plot.setRenderer(1, renderer(Color.RED));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart("Learning curve", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(folder.resolve("learning-curve.png").toFile(), chart, 800, 500);
    Files.writeString(folder.resolve("history.csv"), csv(epochs, metric), StandardCharsets.UTF_8);
  }

  /** One row per epoch; empty cells where a fit had no validation set. */
  static String csv(List<EpochStats> epochs, String metric) {
    StringBuilder out =
        new StringBuilder(
            "epoch,train_loss,validation_loss,validation_"
                + metric
                + ",rows,learning_rate,seconds,validation_seconds\n");
    for (EpochStats e : epochs) {
      out.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%d,%s,%s,%s\n",
              e.epoch(),
              cell(e.trainLoss()),
              cell(e.validationLoss()),
              cell(e.validationMetric()),
              e.rows(),
              cell(e.learningRate()),
              cell(e.seconds()),
              cell(e.validationSeconds())));
    }
    return out.toString();
  }

  private static String cell(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static XYLineAndShapeRenderer renderer(Color color) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, color);
    r.setSeriesStroke(0, new BasicStroke(2f));
    return r;
  }
}
