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
 * @param featuresCol the features column's name, for messages
 * @param featuresIndex its position in the input rows
 * @param featuresKind how that column stores the values
 */
public record ScoringTask(
    Broadcast<JavaSerialized<Scorer>> scorer,
    OutputColumns columns,
    String featuresCol,
    int featuresIndex,
    FeaturesKind featuresKind)
    implements Serializable {

  public <T> Iterator<T> score(Iterator<T> rows, RowFormat<T> format) {
    return new ScoringIterator<>(
        rows, format, scorer.value().get(), columns, featuresCol, TaskContext.getPartitionId());
  }
}
