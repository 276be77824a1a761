package dev.sieve.cli.testing;

import java.util.HashMap;
import java.util.Map;

/** Sets system properties (Settings reads them first) for one test and restores them after. */
public final class SystemProperties implements AutoCloseable {

  private final Map<String, String> previous = new HashMap<>();

  public SystemProperties set(String key, String value) {
    if (!previous.containsKey(key)) {
      previous.put(key, System.getProperty(key));
    }
    System.setProperty(key, value);
    return this;
  }

  @Override
  public void close() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
  }
}
