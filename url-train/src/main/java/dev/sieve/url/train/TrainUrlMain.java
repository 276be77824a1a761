package dev.sieve.url.train;

import picocli.CommandLine;

/**
 * Runs {@link TrainUrlCommand} directly (without the picocli front of the cli): {@code java -cp
 * "cli/target/lib/*" dev.sieve.url.train.TrainUrlMain --seed 17}.
 */
public final class TrainUrlMain {

  private TrainUrlMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainUrlCommand()).execute(args));
  }
}
