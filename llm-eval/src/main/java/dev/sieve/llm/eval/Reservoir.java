package dev.sieve.llm.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Uniform sample of at most {@code capacity} items from a stream (Algorithm R), seeded. */
final class Reservoir<T> {

  private final int capacity;
  private final Random random;
  private final List<T> items = new ArrayList<>();
  private long seen;

  Reservoir(int capacity, long seed) {
    this.capacity = capacity;
    this.random = new Random(seed);
  }

  void offer(T item) {
    seen++;
    if (items.size() < capacity) {
      items.add(item);
    } else {
      long j = (long) (random.nextDouble() * seen);
      if (j < capacity) {
        items.set((int) j, item);
      }
    }
  }

  List<T> items() {
    return items;
  }

  long seen() {
    return seen;
  }
}
