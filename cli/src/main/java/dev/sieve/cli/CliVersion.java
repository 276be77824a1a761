package dev.sieve.cli;

import picocli.CommandLine.IVersionProvider;

/** The cli's version, from the jar manifest (Implementation-Version) written by the build. */
public final class CliVersion implements IVersionProvider {

  /** The version, or "dev" when running from classes (tests, IDE). */
  public static String current() {
    String version = CliVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? "dev" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"sieve " + current()};
  }
}
