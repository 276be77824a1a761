package dev.sieve.content.model;

import dev.sieve.core.util.Settings;

/**
 * DJL/PyTorch process settings that must be in place before the engine first loads.
 *
 * <p>Offline operation: the {@code pytorch-native-cpu} jar is on the classpath, so DJL extracts
 * libtorch from it instead of downloading; {@code ai.djl.offline=true} makes any attempt to
 * download fail fast instead of hanging. Threads: the head is tiny and the encoder's ONNX Runtime
 * sessions already use every core, so libtorch gets one intra-op and one inter-op thread by default
 * (SIEVE_CONTENT_TORCH_THREADS to change).
 */
public final class DjlRuntime {

  private static volatile boolean configured;

  private DjlRuntime() {}

  public static synchronized void configure() {
    if (configured) {
      return;
    }
    setIfAbsent("ai.djl.offline", "true");
    String threads = String.valueOf(Settings.getInt("SIEVE_CONTENT_TORCH_THREADS", 1));
    setIfAbsent("ai.djl.pytorch.num_threads", threads);
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    configured = true;
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
