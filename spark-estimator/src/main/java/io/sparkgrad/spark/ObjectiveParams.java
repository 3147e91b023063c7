package io.sparkgrad.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The estimator's params that change what training optimises but not the model it returns: dropout
 * during training and the classifiers' class weights. Declared once with docs, ranges and defaults;
 * {@link HasObjectiveParams} exposes them.
 */
public final class ObjectiveParams implements Serializable {
  private static final long serialVersionUID = 1L;

  public final DoubleParam dropout;
  public final DoubleArrayParam classWeights;
  public final BooleanParam balancedClassWeights;

  ObjectiveParams(Params owner) {
    dropout =
        new DoubleParam(
            owner,
            "dropout",
            "dropout rate after each hidden activation during training, as torch.nn.Dropout (in"
                + " [0, 1); 0 = off); never applied by transform",
            ParamValidators.inRange(0, 1, true, false));
    classWeights =
        new DoubleArrayParam(
            owner,
            "classWeights",
            "one weight per class (each > 0): cross_entropy, one per output, as"
                + " CrossEntropyLoss(weight=...); bce, [negative, positive] as per-row weights;"
                + " times weightCol when set; empty = off");
    balancedClassWeights =
        new BooleanParam(
            owner,
            "balancedClassWeights",
            "class weights from the training rows' class counts, n_samples / (n_classes *"
                + " count_c) as scikit-learn's 'balanced' (rows counted by weightCol when set);"
                + " excludes classWeights");
    owner.setDefault(dropout, 0.0);
    owner.setDefault(classWeights, new double[0]);
    owner.setDefault(balancedClassWeights, false);
  }
}
