package io.sparkgrad.spark.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A child JVM whose stdout and stderr go to one log file. */
final class JvmProcess {
  private static final int TAIL_BYTES = 16 * 1024;

  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static JvmProcess start(String name, List<String> command, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.directory(log.getParent().toFile());
    Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new JvmProcess(name, builder.start(), log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /**
   * SIGKILLs this JVM and every process it started (a Worker's executors), then waits for them to
   * exit. The children are listed before the kill: once their parent is gone they are reparented
   * and no longer its descendants.
   */
  void killTree(Duration timeout) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    CompletableFuture<?>[] exits =
        all.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A process that outlives SIGKILL plus the timeout is reported by the caller's checks.
    }
  }

  /** The last lines of the log, for error messages. */
  String tail() {
    return tailOf(log);
  }

  static String tailOf(Path file) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return start == 0 ? text : "...\n" + text.substring(text.indexOf('\n') + 1);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
