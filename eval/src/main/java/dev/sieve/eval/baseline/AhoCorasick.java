package dev.sieve.eval.baseline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-pattern substring search (Aho-Corasick): finds which of thousands of phrases occur in a
 * text in one pass over the text, as a content filter must.
 */
final class AhoCorasick {

  private final List<Map<Character, Integer>> next = new ArrayList<>();
  private final List<List<Integer>> output = new ArrayList<>();
  private int[] fail;
  private final int patterns;

  AhoCorasick(List<String> patterns) {
    this.patterns = patterns.size();
    newNode();
    for (int p = 0; p < patterns.size(); p++) {
      int node = 0;
      for (char c : patterns.get(p).toCharArray()) {
        Integer child = next.get(node).get(c);
        if (child == null) {
          child = newNode();
          next.get(node).put(c, child);
        }
        node = child;
      }
      output.get(node).add(p);
    }
    fail = new int[next.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int child : next.get(0).values()) {
      fail[child] = 0;
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      for (Map.Entry<Character, Integer> e : next.get(node).entrySet()) {
        int child = e.getValue();
        int f = fail[node];
        while (f != 0 && !next.get(f).containsKey(e.getKey())) {
          f = fail[f];
        }
        Integer target = next.get(f).get(e.getKey());
        fail[child] = target != null && target != child ? target : 0;
        output.get(child).addAll(output.get(fail[child]));
        queue.add(child);
      }
    }
  }

  private int newNode() {
    next.add(new HashMap<>());
    output.add(new ArrayList<>());
    return next.size() - 1;
  }

  /** Indices of the patterns occurring in {@code text}. */
  BitSet find(String text) {
    BitSet found = new BitSet(patterns);
    int node = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      while (node != 0 && !next.get(node).containsKey(c)) {
        node = fail[node];
      }
      Integer child = next.get(node).get(c);
      node = child == null ? 0 : child;
      for (int p : output.get(node)) {
        found.set(p);
      }
    }
    return found;
  }
}
