package io.sparkgrad.engine;

import io.sparkgrad.engine.ops.Elementwise;
import io.sparkgrad.engine.ops.MatMul;
import io.sparkgrad.engine.ops.Reduce;
import io.sparkgrad.engine.ops.Softmax;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A float32 row-major tensor of rank 0 (scalar), 1 or 2, with reverse-mode autograd.
 *
 * <p>An op's output remembers its inputs and a {@link Backward} closure written next to the op's
 * forward. {@link #backward()} walks the graph in reverse topological order; gradients accumulate
 * with {@code +=}, so a tensor used twice (fan-out) receives the sum of both contributions. {@link
 * #grad()} is that sum, except after {@link #seedGrad} (SGD's fused momentum), as it says.
 */
public final class Tensor {

  /**
   * Propagates the gradient of an op's output to its inputs. The closure owns {@code gradOutput}:
   * it is dropped afterwards, so the closure may overwrite it or hand it on to an input.
   */
  @FunctionalInterface
  public interface Backward {
    void apply(float[] gradOutput);
  }

  private final float[] data;
  private final int[] shape;
  private boolean requiresGrad;
  private float[] grad;
  // False after zeroGrad(): the buffer is kept but the next gradient overwrites it.
  private boolean hasGrad;
  // Set by seedGrad: the buffer is borrowed, and the first contribution is added to its content
  // scaled by seedScale.
  private boolean seeded;
  private float seedScale;
  private final Tensor[] inputs;
  private final Backward backward;

  private Tensor(float[] data, int[] shape, Tensor[] inputs, Backward backward, boolean req) {
    this.data = data;
    this.shape = shape;
    this.inputs = inputs;
    this.backward = backward;
    this.requiresGrad = req;
  }

  /** A leaf tensor over {@code data} (not copied) with the given shape. */
  public static Tensor of(float[] data, int... shape) {
    checkShape(shape);
    if (numel(shape) != data.length) {
      throw new IllegalArgumentException(
          "Shape "
              + Arrays.toString(shape)
              + " needs "
              + numel(shape)
              + " values but the data has "
              + data.length
              + "; pass data of length product(shape).");
    }
    return new Tensor(data, shape.clone(), null, null, false);
  }

  public static Tensor zeros(int... shape) {
    checkShape(shape);
    return new Tensor(new float[numel(shape)], shape.clone(), null, null, false);
  }

  public static Tensor scalar(float value) {
    return new Tensor(new float[] {value}, new int[0], null, null, false);
  }

  /**
   * The output of an op. It takes part in autograd when grad mode is on and any input requires a
   * gradient; otherwise the graph is not recorded.
   */
  public static Tensor fromOp(float[] data, int[] shape, Backward backward, Tensor... inputs) {
    boolean req = false;
    if (GradMode.isEnabled()) {
      for (Tensor t : inputs) {
        req |= t.requiresGrad;
      }
    }
    return req
        ? new Tensor(data, shape, inputs, backward, true)
        : new Tensor(data, shape, null, null, false);
  }

  private static void checkShape(int[] shape) {
    if (shape.length > 2) {
      throw new IllegalArgumentException(
          "Tensors have rank 0, 1 or 2 (batch x features); got shape " + Arrays.toString(shape));
    }
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("Negative dimension in shape " + Arrays.toString(shape));
      }
    }
  }

  static int numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " is too large");
    }
    return (int) n;
  }

  // ---- accessors -------------------------------------------------------------------------------

  /** The values, row-major; the array itself, not a copy. */
  public float[] data() {
    return data;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int dim() {
    return shape.length;
  }

  public int size(int d) {
    return shape[d];
  }

  public int numel() {
    return data.length;
  }

  /** Rows of a 2-D tensor, the length of a 1-D one, 1 for a scalar. */
  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Columns of a 2-D tensor; 1 otherwise. */
  public int cols() {
    return shape.length == 2 ? shape[1] : 1;
  }

  public float item() {
    if (data.length != 1) {
      throw new IllegalStateException(
          "item() needs a tensor with one element; this one has shape " + Arrays.toString(shape));
    }
    return data[0];
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf tensor as a parameter whose gradient is accumulated. */
  public Tensor requiresGrad(boolean value) {
    if (inputs != null) {
      throw new IllegalStateException(
          "requiresGrad can only be set on leaf tensors; call detach() first");
    }
    requiresGrad = value;
    return this;
  }

  public boolean isLeaf() {
    return inputs == null;
  }

  /**
   * The accumulated gradient, or null when none has been computed since the last zeroGrad.
   *
   * <p>The one exception: once an optimizer has seeded this tensor ({@link #seedGrad}, as {@code
   * SGD.fuseMomentum(true)} does), backward writes onto the optimizer's buffer and this returns it,
   * {@code scale * buffer + dL/dthis} (SGD's new momentum buffer), until {@link #zeroGrad()}. The
   * bare gradient is never formed, which saves a pass over the weights per step; code that reads or
   * changes gradients before the step (clipping, averaging) must leave fusion off.
   */
  public float[] grad() {
    return hasGrad ? grad : null;
  }

  /** Forgets the gradient; its buffer is reused by the next backward (unless it was borrowed). */
  public void zeroGrad() {
    hasGrad = false;
    if (seeded) {
      grad = null;
      seeded = false;
    }
  }

  /**
   * Makes the next backward accumulate onto {@code scale * buffer} instead of a zero gradient: once
   * a gradient arrives, {@link #grad()} is {@code buffer}, holding {@code scale * buffer +
   * dL/dthis} (before that it is null, as after zeroGrad). An optimizer uses it to let the backward
   * GEMM write its update straight into its own state (SGD's momentum buffer). {@link #zeroGrad()}
   * gives the buffer back.
   */
  public void seedGrad(float[] buffer, float scale) {
    if (!isLeaf() || !requiresGrad || buffer.length != data.length) {
      throw new IllegalArgumentException(
          "seedGrad needs a leaf that requires grad and a buffer of "
              + data.length
              + " values; got "
              + buffer.length);
    }
    grad = buffer;
    hasGrad = false;
    seeded = true;
    seedScale = scale;
  }

  /** A new leaf sharing this tensor's data, cut from the graph. */
  public Tensor detach() {
    return new Tensor(data, shape, null, null, false);
  }

  /** A leaf holding a copy of the data. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape, null, null, false);
  }

  // ---- gradient accumulation, used by ops' backward closures --------------------------------

  /**
   * Prepares the gradient buffer for a write and returns the BLAS beta to use: 0 when the buffer
   * holds no gradient yet (overwrite), 1 when the new contribution must be added, or the scale
   * given to {@link #seedGrad} for the first contribution after it.
   */
  public float gradBeta() {
    if (grad == null) {
      grad = new float[data.length];
    }
    float beta = hasGrad ? 1f : seeded ? seedScale : 0f;
    hasGrad = true;
    return beta;
  }

  /** The gradient buffer after {@link #gradBeta()} was called. */
  public float[] gradBuffer() {
    return grad;
  }

  /**
   * Adds {@code contribution} to the gradient. When there is none yet and this tensor is not a
   * leaf, the array is adopted without a copy; the caller must not reuse it.
   */
  public void accumulateGrad(float[] contribution) {
    if (!hasGrad && grad == null && !isLeaf()) {
      grad = contribution;
      hasGrad = true;
      return;
    }
    float beta = gradBeta();
    if (beta == 0f) {
      System.arraycopy(contribution, 0, grad, 0, grad.length);
    } else {
      for (int i = 0; i < grad.length; i++) {
        grad[i] = beta * grad[i] + contribution[i];
      }
    }
  }

  // ---- autograd --------------------------------------------------------------------------------

  /** Back-propagates from this scalar with gradient 1. */
  public void backward() {
    if (data.length != 1) {
      throw new IllegalStateException(
          "backward() without a gradient needs a scalar, but this tensor has shape "
              + Arrays.toString(shape)
              + "; reduce it (sum or mean) first or call backward(gradient).");
    }
    backward(new float[] {1f});
  }

  /** Back-propagates {@code gradient} (same shape as this tensor) through the graph. */
  public void backward(float[] gradient) {
    if (gradient.length != data.length) {
      throw new IllegalArgumentException(
          "Gradient has "
              + gradient.length
              + " values but the tensor has shape "
              + Arrays.toString(shape));
    }
    if (!requiresGrad) {
      throw new IllegalStateException(
          "This tensor does not require a gradient: none of its inputs has requiresGrad(true), "
              + "or it was computed under GradMode.noGrad().");
    }
    List<Tensor> order = topologicalOrder();
    accumulateGrad(gradient.clone());
    for (int i = order.size() - 1; i >= 0; i--) {
      Tensor t = order.get(i);
      if (t.isLeaf() || !t.hasGrad) {
        continue;
      }
      t.backward.apply(t.grad);
      // Intermediate gradients are not kept, as in PyTorch; leaves accumulate.
      t.grad = null;
      t.hasGrad = false;
    }
  }

  /** Tensors reachable from this one, each after all of its inputs. */
  private List<Tensor> topologicalOrder() {
    List<Tensor> order = new ArrayList<>();
    Set<Tensor> visited = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {this, 0});
    visited.add(this);
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Tensor t = (Tensor) frame[0];
      int next = (Integer) frame[1];
      if (t.inputs != null && next < t.inputs.length) {
        frame[1] = next + 1;
        Tensor in = t.inputs[next];
        if (in.requiresGrad && visited.add(in)) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(t);
      }
    }
    return order;
  }

  // ---- ops as methods, PyTorch style -----------------------------------------------------------

  public Tensor matmul(Tensor other) {
    return MatMul.apply(this, other, false, false);
  }

  public Tensor add(Tensor other) {
    return Elementwise.add(this, other);
  }

  public Tensor sub(Tensor other) {
    return Elementwise.sub(this, other);
  }

  public Tensor mul(Tensor other) {
    return Elementwise.mul(this, other);
  }

  public Tensor relu() {
    return Elementwise.relu(this);
  }

  public Tensor sigmoid() {
    return Elementwise.sigmoid(this);
  }

  public Tensor tanh() {
    return Elementwise.tanh(this);
  }

  public Tensor sum() {
    return Reduce.sum(this);
  }

  public Tensor mean() {
    return Reduce.mean(this);
  }

  public Tensor softmax() {
    return Softmax.softmax(this);
  }

  public Tensor logSoftmax() {
    return Softmax.logSoftmax(this);
  }

  @Override
  public String toString() {
    int shown = Math.min(data.length, 8);
    StringBuilder sb = new StringBuilder("Tensor(shape=").append(Arrays.toString(shape));
    sb.append(", data=[");
    for (int i = 0; i < shown; i++) {
      sb.append(i == 0 ? "" : ", ").append(data[i]);
    }
    sb.append(data.length > shown ? ", ...])" : "])");
    return sb.toString();
  }
}
