package dev.sieve.url.table;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A binary snapshot of a compiled {@link KnownDomainTable}: the table's arrays written as they are,
 * so a restart maps ~30 MB back into memory in well under a second instead of re-parsing a million
 * JSON lines (several CPU seconds).
 *
 * <p>A snapshot is only a cache: it carries the key it was built for (SHA-256 of the dataset's
 * {@code domains.jsonl.gz}, dataset id and the loader's excluded flags) and is ignored when the key
 * differs, unreadable or of another format; the dataset version stays the source of truth.
 */
final class TableSnapshot {

  private static final int MAGIC = 0x53555431; // "SUT1"
  private static final int FORMAT = 1;

  private TableSnapshot() {}

  /** Counters of the original load, kept so a cached load reports the same numbers. */
  record Counts(
      int recordsRead, int recordsWithoutLabels, int recordsExcludedByFlag, int recordsRejected) {}

  /** Writes atomically (temp file + move); errors are the caller's to log, never fatal. */
  static void write(Path file, String key, KnownDomainTable table, Counts counts)
      throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(header);
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeUTF(key);
    out.writeInt(counts.recordsRead());
    out.writeInt(counts.recordsWithoutLabels());
    out.writeInt(counts.recordsExcludedByFlag());
    out.writeInt(counts.recordsRejected());
    LabelSet[] sets = table.labelSets();
    out.writeInt(sets.length);
    for (LabelSet set : sets) {
      out.writeInt(set.labels().size());
      for (String label : set.labels()) {
        out.writeUTF(label);
        out.writeUTF(set.sourcesOf(label));
      }
    }
    Map<String, Integer> perCategory = table.entriesPerCategory();
    out.writeInt(perCategory.size());
    for (Map.Entry<String, Integer> e : perCategory.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue());
    }
    out.writeInt(table.hostBytes().length);
    out.writeInt(table.hostStart().length);
    out.writeInt(table.slots().length);
    out.flush();
    int n = table.entryHash().length;
    ByteBuffer body =
        ByteBuffer.allocate(
            table.hostBytes().length
                + 4 * (table.hostStart().length + 2 * n + table.slots().length));
    body.put(table.hostBytes());
    body.asIntBuffer().put(table.hostStart());
    body.position(body.position() + 4 * table.hostStart().length);
    body.asIntBuffer().put(table.entryHash());
    body.position(body.position() + 4 * n);
    body.asIntBuffer().put(table.entryLabelSet());
    body.position(body.position() + 4 * n);
    body.asIntBuffer().put(table.slots());
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      try (var channel = Files.newOutputStream(tmp)) {
        channel.write(header.toByteArray());
        channel.write(body.array());
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The table in {@code file} when it was built for {@code key}; empty otherwise. */
  static Optional<Map.Entry<KnownDomainTable, Counts>> read(Path file, String key)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    if (in.remaining() < 8 || in.getInt() != MAGIC || in.getInt() != FORMAT) {
      return Optional.empty();
    }
    if (!readUtf(in).equals(key)) {
      return Optional.empty();
    }
    Counts counts = new Counts(in.getInt(), in.getInt(), in.getInt(), in.getInt());
    int setCount = in.getInt();
    LabelSet[] sets = new LabelSet[setCount];
    for (int i = 0; i < setCount; i++) {
      int labels = in.getInt();
      List<String> ids = new ArrayList<>(labels);
      Map<String, String> sources = new TreeMap<>();
      for (int k = 0; k < labels; k++) {
        String label = readUtf(in);
        ids.add(label);
        sources.put(label, readUtf(in));
      }
      sets[i] = new LabelSet(ids, sources);
    }
    int categories = in.getInt();
    Map<String, Integer> perCategory = new TreeMap<>();
    for (int i = 0; i < categories; i++) {
      String id = readUtf(in);
      perCategory.put(id, in.getInt());
    }
    byte[] hostBytes = new byte[in.getInt()];
    int[] hostStart = new int[in.getInt()];
    int[] slots = new int[in.getInt()];
    int n = hostStart.length - 1;
    int[] entryHash = new int[n];
    int[] entryLabelSet = new int[n];
    in.get(hostBytes);
    in.asIntBuffer().get(hostStart);
    in.position(in.position() + 4 * hostStart.length);
    in.asIntBuffer().get(entryHash);
    in.position(in.position() + 4 * n);
    in.asIntBuffer().get(entryLabelSet);
    in.position(in.position() + 4 * n);
    in.asIntBuffer().get(slots);
    if (Integer.bitCount(slots.length) != 1) {
      return Optional.empty();
    }
    KnownDomainTable table =
        new KnownDomainTable(
            hostBytes,
            hostStart,
            entryHash,
            entryLabelSet,
            slots,
            sets,
            Collections.unmodifiableMap(perCategory));
    return Optional.of(Map.entry(table, counts));
  }

  private static String readUtf(ByteBuffer in) {
    int length = in.getShort() & 0xffff;
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(
        bytes,
        StandardCharsets.UTF_8); // writeUTF's modified UTF-8 equals UTF-8 for these ASCII ids
  }
}
