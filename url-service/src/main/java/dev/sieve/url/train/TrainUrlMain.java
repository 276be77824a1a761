package dev.sieve.url.train;

import picocli.CommandLine;

/**
 * Runs {@link TrainUrlCommand} directly (without the cli module):
 * {@code java -cp url-service/target/sieve-url-service-0.1.0-SNAPSHOT.jar:url-service/target/lib/*
 * dev.sieve.url.train.TrainUrlMain --seed 17}.
 */
public final class TrainUrlMain {

  private TrainUrlMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainUrlCommand()).execute(args));
  }
}
