/**
 * ONNX export of MLPs ({@link io.sparkgrad.engine.onnx.MlpOnnx}): the graph is built with ONNX's
 * own protobuf schema classes and Tribuo's graph builders, so any ONNX runtime can score rows
 * without Spark or the JVM.
 */
package io.sparkgrad.engine.onnx;
