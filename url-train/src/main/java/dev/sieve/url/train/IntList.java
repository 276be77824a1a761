package dev.sieve.url.train;

import java.util.Arrays;

/** A growable int array (no boxing) for columns and feature indices of a million examples. */
final class IntList {
  private int[] data = new int[1024];
  private int size;

  void add(int value) {
    if (size == data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size++] = value;
  }

  void addAll(int[] values, int count) {
    if (size + count > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + count));
    }
    System.arraycopy(values, 0, data, size, count);
    size += count;
  }

  int size() {
    return size;
  }

  int get(int i) {
    return data[i];
  }

  int[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
