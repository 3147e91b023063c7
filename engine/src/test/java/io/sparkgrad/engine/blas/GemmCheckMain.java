package io.sparkgrad.engine.blas;

/**
 * Runs the GEMM cases through the facade in a fresh JVM, where {@code -Dsparkgrad.blas} picks the
 * backend (it is read once, when {@link Blas} loads). Exits 0 when every case matches.
 */
public final class GemmCheckMain {
  private GemmCheckMain() {}

  public static void main(String[] args) {
    int count = 0;
    for (long seed = 1; seed <= 2; seed++) {
      count += GemmCases.runAll(Blas::gemm, seed);
    }
    System.out.println("backend=" + Blas.backend() + " cases=" + count);
  }
}
