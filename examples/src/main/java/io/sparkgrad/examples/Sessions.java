package io.sparkgrad.examples;

import org.apache.spark.sql.SparkSession;

/** The examples' Spark session: spark-submit's master when given, else an embedded local one. */
final class Sessions {
  private Sessions() {}

  static SparkSession start(String app, String localMaster) {
    SparkSession.Builder b = SparkSession.builder().appName(app);
    if (System.getProperty("spark.master") == null) {
      b = b.master(localMaster).config("spark.ui.enabled", "false");
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
