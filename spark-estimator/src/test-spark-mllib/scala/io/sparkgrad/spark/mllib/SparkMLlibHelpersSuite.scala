package io.sparkgrad.spark.mllib

import scala.jdk.CollectionConverters._

import io.sparkgrad.spark.{MLPEstimator, MLPModel}

import org.apache.spark.SparkFunSuite
import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util.{DefaultReadWriteTest, MLTestingUtils}
import org.apache.spark.mllib.util.MLlibTestSparkContext
import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.types.DoubleType

/**
 * The checks Spark's own MLlib suites run on every estimator, from Spark's test jars: copy and
 * uids, every numeric label (and weight) type giving the same model, Spark's message for a string
 * label, and save and load of estimator and model (on Spark 4.1 and later also through the local
 * file system path, saveToLocal and loadFromLocal). For each loss, and once with a weight column.
 */
class SparkMLlibHelpersSuite
    extends SparkFunSuite
    with MLlibTestSparkContext
    with DefaultReadWriteTest {

  private case class Case(name: String, loss: String, layers: Array[Int], weighted: Boolean) {
    def classification: Boolean = loss != "mse"
  }

  // Layers fit the helpers' data: 3 features and labels 0 and 1 for classification, 1 feature
  // and labels 1 to 4 for regression.
  private val cases = Seq(
    Case("cross_entropy", "cross_entropy", Array(3, 4, 2), weighted = false),
    Case("bce", "bce", Array(3, 4, 1), weighted = false),
    Case("mse", "mse", Array(1, 4, 1), weighted = false),
    Case("cross_entropy with weightCol", "cross_entropy", Array(3, 4, 2), weighted = true))

  private def estimator(c: Case): MLPEstimator = {
    val e = new MLPEstimator()
      .setLayers(c.layers)
      .setLoss(c.loss)
      .setOptimizer("adam")
      .setLearningRate(0.05)
      .setBatchSize(2)
      .setMaxEpochs(3)
      .setSeed(7L)
    if (c.weighted) e.setWeightCol("weight") else e
  }

  /** The helpers' data with a Double label (and a 0/1 weight column). */
  private def data(c: Case): DataFrame = {
    val dfs = if (c.classification) {
      MLTestingUtils.genClassifDFWithNumericLabelCol(spark)
    } else {
      MLTestingUtils.genRegressionDFWithNumericLabelCol(spark)
    }
    dfs(DoubleType)
  }

  private def weights(m: MLPModel): Map[String, Seq[Float]] =
    m.weightArrays.asScala.map { case (k, v) => k -> v.toSeq }.toMap

  /** Same layers and the same weights, bit for bit. */
  private def assertSameWeights(expected: MLPModel, actual: MLPModel): Unit = {
    assert(expected.getLayers.toSeq === actual.getLayers.toSeq)
    val (a, b) = (weights(expected), weights(actual))
    assert(a.keySet === b.keySet)
    assert(a.keySet.nonEmpty)
    a.keys.foreach(k => assert(a(k) === b(k), s"weights $k differ"))
  }

  for (c <- cases) {
    test(s"${c.name}: checkCopyAndUids") {
      val e = estimator(c)
      val model = e.fit(data(c))
      MLTestingUtils.checkCopyAndUids(e, model)
      assert(model.parent eq e)
    }

    test(s"${c.name}: checkNumericTypes") {
      val e = estimator(c)
      // The weights before training, so equal weights below mean equal training, not none.
      val initial = weights(e.copy(ParamMap.empty).setMaxEpochs(0).fit(data(c)))
      var checked = 0
      MLTestingUtils.checkNumericTypes[MLPModel, MLPEstimator](e, spark, c.classification) {
        (expected, actual) =>
          assert(weights(expected) !== initial, "the fit left the initial weights")
          assertSameWeights(expected, actual)
          checked += 1
      }
      assert(checked === 6, "one model per numeric label type other than Double")
      if (c.weighted) {
        // Spark's helper checks a string weight column only for stages mixing in its HasWeightCol
        // trait, which a Java class cannot; the same check, with Spark's message:
        val stringWeights = spark
          .createDataFrame(Seq((0, "1", Vectors.dense(0, 2, 3), 0.0)))
          .toDF("label", "weight", "features", "censor")
        val thrown = intercept[IllegalArgumentException](e.fit(stringWeights))
        assert(thrown.getMessage.contains(
          "Column weight must be of type numeric but was actually of type string"))
      }
    }

    test(s"${c.name}: testEstimatorAndModelReadWrite") {
      val df = data(c)
      val outputs =
        if (c.classification) {
          Map("predictionCol" -> "pred", "probabilityCol" -> "prob", "rawPredictionCol" -> "raw")
        } else {
          Map("predictionCol" -> "pred")
        }
      val estimatorParams = Map[String, Any](
        "layers" -> c.layers,
        "loss" -> c.loss,
        "optimizer" -> "adamw",
        "learningRate" -> 0.05,
        "weightDecay" -> 0.001,
        "batchSize" -> 2,
        "maxEpochs" -> 2,
        "seed" -> 11L) ++ outputs ++ (if (c.weighted) Map("weightCol" -> "weight") else Map())
      testEstimatorAndModelReadWrite[MLPEstimator, MLPModel](
        new MLPEstimator(),
        df,
        estimatorParams,
        outputs,
        (model: MLPModel, loaded: MLPModel) => {
          assertSameWeights(model, loaded)
          assert(model.spec === loaded.spec)
          assert(
            model.transform(df).select("pred").collect() ===
              loaded.transform(df).select("pred").collect())
        })
    }
  }
}
