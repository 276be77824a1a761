package dev.sieve.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class SupportTest {

  @Test
  void durationsAcceptWhatPeopleType() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(DurationConverter.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> DurationConverter.parse("soon"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("examples: 500ms, 10s");
  }

  @Test
  void targetsParseAndKnowWhetherTheyAreLoopback() {
    assertThat(HostPort.parse("127.0.0.1:50051")).isEqualTo(new HostPort("127.0.0.1", 50051));
    assertThat(HostPort.parse("[::1]:9")).isEqualTo(new HostPort("::1", 9));
    assertThat(HostPort.parse("[::1]:9").toString()).isEqualTo("[::1]:9");
    assertThat(HostPort.parse("50052")).isEqualTo(HostPort.loopback(50052));
    assertThat(HostPort.parse(":50053")).isEqualTo(HostPort.loopback(50053));
    assertThat(HostPort.parse("localhost:1").isLoopback()).isTrue();
    assertThat(HostPort.parse("[::1]:1").isLoopback()).isTrue();
    assertThat(HostPort.parse("192.0.2.1:1").isLoopback()).isFalse();
    assertThatThrownBy(() -> HostPort.parse("router"))
        .hasMessageContaining("is not a host:port target");
    assertThatThrownBy(() -> HostPort.parse("h:99999"))
        .hasMessageContaining("is not a host:port target");
  }
}
