package dev.sieve.core.cli;

import java.util.concurrent.Callable;

/**
 * A top-level {@code ./sieve} sub-command contributed by a module (data, eval, release, train ...).
 *
 * <p>Modules register implementations in {@code META-INF/services/dev.sieve.core.cli.SieveCommand}
 * and annotate them with picocli's {@code @Command}; the cli module discovers them with {@link
 * java.util.ServiceLoader}. This keeps the dependency direction clean: offline tooling lives beside
 * the code it drives (one featurizer for training and serving), and the cli never needs to know a
 * module's internals to offer its commands.
 */
public interface SieveCommand extends Callable<Integer> {}
