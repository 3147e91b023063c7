package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.Checkpointer;
import io.sparkgrad.engine.train.DataParallelFit;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.FitResult;
import io.sparkgrad.engine.train.LocalWorkers;
import io.sparkgrad.engine.train.TrainSettings;
import io.sparkgrad.engine.train.TrainState;
import io.sparkgrad.spark.JavaSerialized;
import io.sparkgrad.spark.SparkErrors;
import io.sparkgrad.spark.TrainingSummary;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fit on Spark, top to bottom: choose the worker count, pack the rows into one cached partition
 * per worker, run the engine's epoch loop with the workers as Spark tasks (or, for one worker
 * without checkpoints, the whole loop inside one task), and summarise.
 */
public final class SparkFit {
  private static final Logger LOG = LoggerFactory.getLogger(SparkFit.class);

  /** Where and how often to checkpoint; {@code fingerprint} identifies the params of the fit. */
  public record CheckpointSpec(String dir, int interval, String fingerprint) {}

  /** The fit's outcome: the state to keep and its summary. */
  public record Result(TrainState state, TrainingSummary summary) {}

  private SparkFit() {}

  /**
   * @param numWorkers workers to train with; 0 chooses (see {@link WorkerCount})
   * @param checkpoint where to checkpoint, or null for no checkpoints
   */
  public static Result run(
      Dataset<?> dataset,
      ColumnPlan plan,
      TrainSettings s,
      int numWorkers,
      TrainState init,
      CheckpointSpec checkpoint) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    CachedSize cached = new CachedSize();
    sc.sc().addSparkListener(cached);
    try {
      sc.setJobDescription("sparkgrad fit: choosing workers and packing rows");
      int workers = WorkerCount.resolve(numWorkers, sc, dataset, s);
      PackedInput input = Packing.pack(dataset, plan, s.seed(), workers);
      try {
        if (input.skippedRows() > 0) {
          LOG.warn("sparkgrad: skipped {} invalid rows (handleInvalid=skip)", input.skippedRows());
        }
        s = resolveClassWeights(s, input);
        Checkpointer checkpoints =
            checkpoints(checkpoint, input, workers, sc.hadoopConfiguration());
        FitResult r =
            workers == 1 && checkpoints == null
                ? inOneTask(input, s, init)
                : new DataParallelFit(s, new SparkWorkers(sc, input, s), checkpoints, progress(sc))
                    .run(init);
        if (r.warning() != null) {
          LOG.warn("sparkgrad: {}", r.warning());
        }
        return new Result(r.state(), summary(r, plan, input, cached.bytes(input.workers().id())));
      } finally {
        input.release();
      }
    } catch (Exception e) { // Spark's SparkException is checked in Java terms but undeclared.
      throw SparkErrors.unwrap(e);
    } finally {
      sc.sc().removeSparkListener(cached);
      sc.setJobDescription(null);
    }
  }

  /** Balanced class weights from the packed rows' class counts; other settings as they are. */
  static TrainSettings resolveClassWeights(TrainSettings s, PackedInput input) {
    if (s.classWeights() == null || !s.classWeights().isBalanced()) {
      return s;
    }
    TrainSettings resolved = s.withClassWeights(s.classWeights().resolve(input.classCounts()));
    LOG.info(
        "sparkgrad: balanced class weights {} from class counts {}",
        resolved.classWeights(),
        Arrays.toString(input.classCounts()));
    return resolved;
  }

  /** One worker: the whole epoch loop runs in one task, exactly the engine's own loop. */
  private static FitResult inOneTask(PackedInput input, TrainSettings s, TrainState init) {
    input
        .workers()
        .context()
        .setJobDescription("sparkgrad fit: " + s.maxEpochs() + " epochs in one task");
    FitResult r =
        input
            .workers()
            .map(
                w -> {
                  LocalWorkers one =
                      new LocalWorkers(s, List.of(w.train()), List.of(w.validation()));
                  return JavaSerialized.of(
                      new DataParallelFit(s, one, null, new DataParallelFit.Progress() {})
                          .run(init));
                })
            .collect()
            .get(0)
            .get();
    r.epochs().forEach(SparkFit::log);
    return r;
  }

  private static Checkpointer checkpoints(
      CheckpointSpec spec, PackedInput input, int workers, Configuration conf) {
    if (spec == null) {
      return null;
    }
    // A checkpoint resumes only the same fit: same params, workers and data.
    String fingerprint = spec.fingerprint() + "|numWorkers=" + workers + "|" + input.fingerprint();
    return new Checkpoints(spec.dir(), spec.interval(), fingerprint, conf);
  }

  private static DataParallelFit.Progress progress(JavaSparkContext sc) {
    return new DataParallelFit.Progress() {
      @Override
      public void epochStarted(int epoch, int maxEpochs) {
        sc.setJobDescription("sparkgrad fit: epoch " + (epoch + 1) + "/" + maxEpochs);
      }

      @Override
      public void epochDone(EpochStats stats) {
        log(stats);
      }
    };
  }

  private static TrainingSummary summary(
      FitResult r, ColumnPlan plan, PackedInput input, long cachedBytes) {
    return new TrainingSummary(
        r.epochs(),
        r.epochsRun(),
        plan.loss().metricName(),
        r.workers(),
        r.syncInterval(),
        r.learningRate(),
        r.stoppedEarly(),
        r.bestEpoch(),
        input.skippedRows(),
        cachedBytes,
        input.float32Bytes(),
        r.warning(),
        Identifiable.randomUID("mlpSummary"));
  }

  private static void log(EpochStats e) {
    LOG.info(
        "sparkgrad epoch {}: train loss {}, validation loss {}, metric {}, {} rows, lr {}, {} s",
        e.epoch(),
        String.format("%.5f", e.trainLoss()),
        String.format("%.5f", e.validationLoss()),
        String.format("%.4f", e.validationMetric()),
        e.rows(),
        String.format("%.4g", e.learningRate()),
        String.format("%.3f", e.seconds()));
  }
}
