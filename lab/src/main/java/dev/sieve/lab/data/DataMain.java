package dev.sieve.lab.data;

import dev.sieve.lab.data.cli.DataCommand;
import picocli.CommandLine;

/**
 * Runs the data pipeline without the cli module: {@code java -cp
 * lab/target/sieve-lab-0.1.0-SNAPSHOT.jar:lab/target/lib/* dev.sieve.lab.data.DataMain build}.
 */
public final class DataMain {

  private DataMain() {}

  public static void main(String[] args) {
    int code = new CommandLine(new DataCommand()).execute(args);
    System.exit(code);
  }
}
