package dev.sieve.cli.fleet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on {@code .sieve/run/.lock} held while `up` or `down` changes the fleet, so two
 * terminals cannot start two fleets on the same ports or stop a fleet that is still starting.
 */
public final class FleetLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private FleetLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or returns empty when another process holds it. */
  public static Optional<FleetLock> tryAcquire(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    FileChannel channel =
        FileChannel.open(
            runDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new FleetLock(channel, lock));
    } catch (OverlappingFileLockException e) {
      channel.close();
      return Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
