/**
 * Reading and writing model and data files: state dicts as safetensors ({@link
 * io.sparkgrad.engine.io.SafeTensors}), MNIST's IDX files ({@link
 * io.sparkgrad.engine.io.IdxReader}) and numeric CSV ({@link io.sparkgrad.engine.io.CsvReader});
 * {@link io.sparkgrad.engine.io.MnistFiles} finds MNIST's files or fetches them once.
 *
 * <p>Files are untrusted input. Every size a header claims is checked against the bytes actually
 * present and against a bound before anything of that size is allocated, and every way content can
 * be wrong surfaces as a {@link io.sparkgrad.engine.io.ModelFileException} whose message names the
 * file, the position in it, what was expected and how to fix it. Operating-system failures (a
 * missing file, a denied permission) stay {@link java.io.UncheckedIOException}s.
 */
package io.sparkgrad.engine.io;
