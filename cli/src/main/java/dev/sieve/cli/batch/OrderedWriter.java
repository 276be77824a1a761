package dev.sieve.cli.batch;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Writes results in input order although they complete in any order. Finished results wait in a
 * reorder buffer until every earlier one is written; the {@code window} semaphore (one permit per
 * submitted item, returned when the item is written) bounds that buffer when one slow item holds
 * everything behind it.
 */
final class OrderedWriter implements Closeable {

  private final BufferedWriter out;
  private final Semaphore window;
  private final Map<Integer, String> pending = new HashMap<>();
  private int nextIndex;
  private IOException failure;

  OrderedWriter(BufferedWriter out, Semaphore window) {
    this.out = out;
    this.window = window;
  }

  /** Accepts the line for item {@code index} and writes every line that is now in order. */
  synchronized void complete(int index, String line) {
    pending.put(index, line);
    while (pending.containsKey(nextIndex)) {
      String next = pending.remove(nextIndex);
      nextIndex++;
      if (failure == null) {
        try {
          out.write(next);
          out.write('\n');
        } catch (IOException e) {
          failure = e;
        }
      }
      window.release();
    }
  }

  /** Number of lines written (the first {@code written()} items, in order). */
  synchronized int written() {
    return nextIndex;
  }

  synchronized IOException failure() {
    return failure;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      out.flush();
    } finally {
      out.close();
    }
  }
}
