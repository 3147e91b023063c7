package io.sparkgrad.spark.scoring;

import io.sparkgrad.spark.JavaSerialized;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What each task of a transform runs: score its partition's rows, of whichever {@link RowFormat},
 * with the broadcast network, appending {@code columns}.
 *
 * @param features the columns the features come from and how they store them
 * @param featuresIndices their positions in the input rows, in {@code features}' order
 */
public record ScoringTask(
    Broadcast<JavaSerialized<Scorer>> scorer,
    OutputColumns columns,
    FeatureColumns features,
    int[] featuresIndices)
    implements Serializable {

  public <T> Iterator<T> score(Iterator<T> rows, RowFormat<T> format) {
    return new ScoringIterator<>(
        rows, format, scorer.value().get(), columns, features, TaskContext.getPartitionId());
  }
}
