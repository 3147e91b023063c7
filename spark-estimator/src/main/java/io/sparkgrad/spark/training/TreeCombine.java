package io.sparkgrad.spark.training;

import io.sparkgrad.spark.JavaSerialized;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Combines one value per partition in a tree of fixed shape, so the driver receives at most {@link
 * #FAN_IN} values however many workers there are, and the result is bitwise the same on every run.
 * Spark's {@code treeAggregate} merges partial results in the order tasks finish; float sums are
 * not associative, so that order would leak into the weights. Here every level groups {@code
 * FAN_IN} neighbouring partitions with a shuffle and merges each group in partition order.
 */
final class TreeCombine {
  static final int FAN_IN = 8;

  private TreeCombine() {}

  /** How two partial results merge; it may reuse its first argument. */
  interface Merge<T> extends Serializable {
    T apply(T a, T b);
  }

  /** The merge of {@code values} (one per partition) in partition order. */
  static <T extends Serializable> T combine(JavaRDD<JavaSerialized<T>> values, Merge<T> merge) {
    JavaRDD<JavaSerialized<T>> level = values;
    int n = level.getNumPartitions();
    while (n > FAN_IN) {
      int groups = (n + FAN_IN - 1) / FAN_IN;
      JavaPairRDD<Integer, Tuple2<Integer, JavaSerialized<T>>> keyed =
          level
              .mapPartitionsWithIndex(
                  (i, it) -> {
                    List<Tuple2<Integer, Tuple2<Integer, JavaSerialized<T>>>> out =
                        new ArrayList<>(1);
                    it.forEachRemaining(v -> out.add(new Tuple2<>(i / FAN_IN, new Tuple2<>(i, v))));
                    return out.iterator();
                  },
                  true)
              .mapToPair(t -> t);
      level =
          keyed
              .groupByKey(new HashPartitioner(groups))
              .values()
              .map(group -> JavaSerialized.of(mergeInOrder(group, merge)));
      n = groups;
    }
    List<JavaSerialized<T>> top = level.collect(); // collect keeps partition order
    T acc = top.get(0).get();
    for (int i = 1; i < top.size(); i++) {
      acc = merge.apply(acc, top.get(i).get());
    }
    return acc;
  }

  private static <T extends Serializable> T mergeInOrder(
      Iterable<Tuple2<Integer, JavaSerialized<T>>> group, Merge<T> merge) {
    List<Tuple2<Integer, JavaSerialized<T>>> sorted = new ArrayList<>();
    group.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Tuple2::_1));
    T acc = sorted.get(0)._2().get();
    for (int i = 1; i < sorted.size(); i++) {
      acc = merge.apply(acc, sorted.get(i)._2().get());
    }
    return acc;
  }
}
