package dev.sieve.router.feedback;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sieve.proto.v1.OverrideSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overrides from a file ({@code SIEVE_OVERRIDES_FILE}), for deployments without the annotation app:
 * one {@link OverrideSet} in protobuf JSON form, e.g. {@code
 * {"revision":"1","overrides":[{"id":"ov-1","tenantId":"school-1","host":"example.org",
 * "effect":"EFFECT_ALLOW","expiresAtMs":"1767225600000","createdBy":"admin","reason":"..."}]}}.
 * Re-read when its modification time changes; a file that does not parse leaves the previous set in
 * force (and says why in the log), a deleted file clears it.
 */
public final class OverridesFile {

  private static final Logger log = LoggerFactory.getLogger(OverridesFile.class);

  private final Path file;
  private final HostOverrideRegistry registry;
  private FileTime loaded;

  public OverridesFile(Path file, HostOverrideRegistry registry) {
    this.file = file;
    this.registry = registry;
  }

  /**
   * Loads the file when it changed since the last call; returns true when a new set was applied.
   */
  public synchronized boolean poll() {
    FileTime modified = null;
    try {
      modified = Files.getLastModifiedTime(file);
      if (modified.equals(loaded)) {
        return false;
      }
      OverrideSet.Builder set = OverrideSet.newBuilder();
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), set);
      registry.replace(HostOverrideRegistry.Source.FILE, set.build(), false);
      loaded = modified;
      log.info(
          "overrides file {}: {} override(s), revision {}",
          file,
          set.getOverridesCount(),
          set.getRevision());
      return true;
    } catch (NoSuchFileException e) {
      if (loaded != null) {
        log.warn("overrides file {} is gone: its overrides are dropped", file);
        registry.clear(HostOverrideRegistry.Source.FILE);
        loaded = null;
      }
      return false;
    } catch (InvalidProtocolBufferException e) {
      loaded = modified; // said once per change, not once per poll
      log.error(
          "overrides file {} is not an OverrideSet in JSON form, previous set kept: {}",
          file,
          e.getMessage());
      return false;
    } catch (IOException e) {
      log.error("overrides file {} cannot be read, previous set kept: {}", file, e.getMessage());
      return false;
    }
  }
}
