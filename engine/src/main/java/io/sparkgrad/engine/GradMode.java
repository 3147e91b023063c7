package io.sparkgrad.engine;

/**
 * Whether ops record the autograd graph on the current thread. Inference runs inside {@code try
 * (GradMode.Scope s = GradMode.noGrad()) { ... }}, like PyTorch's {@code torch.no_grad()}.
 */
public final class GradMode {
  private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> true);

  private GradMode() {}

  public static boolean isEnabled() {
    return ENABLED.get();
  }

  /** Disables graph recording until the returned scope is closed, then restores the old mode. */
  public static Scope noGrad() {
    boolean previous = ENABLED.get();
    ENABLED.set(false);
    return () -> ENABLED.set(previous);
  }

  /** A scope that restores the previous grad mode; closing it never throws. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
