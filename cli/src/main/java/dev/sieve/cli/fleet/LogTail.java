package dev.sieve.cli.fleet;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a service log, read from the end so a huge log costs nothing. */
public final class LogTail {

  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  public static List<String> lastLines(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return List.of("(no log file at " + file + ")");
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] buffer = new byte[size];
      raf.seek(length - size);
      raf.readFully(buffer);
      String[] all = new String(buffer, StandardCharsets.UTF_8).split("\r?\n");
      if (all.length == 1 && all[0].isEmpty()) {
        return List.of("(log is empty)");
      }
      return Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length);
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }
}
