package io.sparkgrad.spark.training;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.storage.BlockUpdatedInfo;
import org.apache.spark.storage.RDDBlockId;

/**
 * Listens for cached RDD blocks while a fit runs and sums what Spark's block managers report for
 * one RDD's, in memory and on disk: the cached-size figure of a fit, gathered without polling or
 * waiting (a block reported after the fit ends is not counted).
 */
final class CachedSize extends SparkListener {
  private final ConcurrentHashMap<RDDBlockId, Long> blocks = new ConcurrentHashMap<>();

  @Override
  public void onBlockUpdated(SparkListenerBlockUpdated update) {
    BlockUpdatedInfo info = update.blockUpdatedInfo();
    if (info.blockId() instanceof RDDBlockId b) {
      blocks.put(b, info.memSize() + info.diskSize());
    }
  }

  long bytes(int rddId) {
    return blocks.entrySet().stream()
        .filter(e -> e.getKey().rddId() == rddId)
        .mapToLong(e -> e.getValue())
        .sum();
  }
}
