package dev.sieve.cli.auth;

import dev.sieve.core.security.ApiKeys;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve auth}: tenant credentials for the router's client authentication
 * (docs/operations.md, "Client authentication").
 */
@Command(
    name = "auth",
    description = "Tenant credentials for the router's client authentication.",
    mixinStandardHelpOptions = true,
    subcommands = {AuthCommand.NewKey.class, CommandLine.HelpCommand.class})
public final class AuthCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** {@code ./sieve auth new-key --tenant T}: a new key and the entry for the client-auth file. */
  @Command(
      name = "new-key",
      description = {
        "Generate a tenant API key. Prints the key (give it to the tenant's filtering stack, it is shown",
        "only here) and the line to add under tenants.<tenant>.api_keys in the client-auth file",
        "(SIEVE_CLIENT_AUTH_FILE), which stores only the key's hash."
      },
      mixinStandardHelpOptions = true)
  static final class NewKey implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--tenant",
        required = true,
        description = "Tenant id the key authenticates as.")
    String tenant;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String key = ApiKeys.newKey();
      out.println("key:  " + key);
      out.println("hash: " + ApiKeys.hash(key));
      out.println();
      out.println("client-auth file entry:");
      out.println("tenants:");
      out.println("  " + tenant + ":");
      out.println("    api_keys:");
      out.println("      - " + ApiKeys.hash(key));
      out.println();
      out.println(
          "Callers send it as the gRPC header 'authorization: Bearer <key>' (./sieve: SIEVE_API_KEY).");
      out.flush();
      return 0;
    }
  }
}
