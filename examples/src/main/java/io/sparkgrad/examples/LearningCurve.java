package io.sparkgrad.examples;

import io.sparkgrad.engine.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A PNG of training loss (blue, left scale) and validation metric (red, right scale) by epoch. */
final class LearningCurve {
  private LearningCurve() {}

  static void write(List<EpochStats> epochs, String metric, Path png) throws IOException {
    int w = 640;
    int h = 400;
    int m = 50;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.drawRect(m, m, w - 2 * m, h - 2 * m);
    g.drawString("epoch", w / 2 - 15, h - 15);
    g.setColor(Color.BLUE);
    g.drawString("train loss", m, m - 20);
    g.setColor(Color.RED);
    g.drawString("validation " + metric, w - m - 120, m - 20);
    double[] loss = epochs.stream().mapToDouble(EpochStats::trainLoss).toArray();
    double[] val = epochs.stream().mapToDouble(EpochStats::validationMetric).toArray();
    plot(g, loss, Color.BLUE, w, h, m);
    plot(g, val, Color.RED, w, h, m);
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  private static void plot(Graphics2D g, double[] ys, Color c, int w, int h, int m) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double y : ys) {
      if (Double.isFinite(y)) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
    }
    if (!(hi >= lo)) {
      return;
    }
    double span = hi > lo ? hi - lo : 1;
    g.setColor(c);
    g.setStroke(new BasicStroke(2f));
    int n = ys.length;
    for (int i = 0; i < n; i++) {
      int x = m + (n == 1 ? 0 : i * (w - 2 * m) / (n - 1));
      int y = h - m - (int) ((ys[i] - lo) / span * (h - 2 * m));
      g.fillOval(x - 3, y - 3, 6, 6);
      if (i > 0) {
        int px = m + (i - 1) * (w - 2 * m) / (n - 1);
        int py = h - m - (int) ((ys[i - 1] - lo) / span * (h - 2 * m));
        g.drawLine(px, py, x, y);
      }
    }
    g.drawString(String.format("%.4f", hi), c == Color.BLUE ? 5 : w - m + 3, m + 5);
    g.drawString(String.format("%.4f", lo), c == Color.BLUE ? 5 : w - m + 3, h - m);
  }
}
