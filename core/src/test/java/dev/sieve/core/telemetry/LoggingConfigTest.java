package dev.sieve.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The shared logback.xml selects a real appender for each documented SIEVE_LOG_FORMAT value. */
class LoggingConfigTest {

  @AfterEach
  void clear() {
    System.clearProperty("SIEVE_LOG_FORMAT");
  }

  @Test
  void textByDefaultAndJsonWhenAsked() throws Exception {
    assertThat(rootAppenders()).containsExactly("text");
    System.setProperty("SIEVE_LOG_FORMAT", "json");
    assertThat(rootAppenders()).containsExactly("json");
  }

  private static List<String> rootAppenders() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL config = LoggingConfigTest.class.getResource("/logback.xml");
    configurator.doConfigure(config);
    List<String> names = new ArrayList<>();
    context
        .getLogger(Logger.ROOT_LOGGER_NAME)
        .iteratorForAppenders()
        .forEachRemaining(a -> names.add(a.getName()));
    return names;
  }
}
