package dev.sieve.core.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void validUtf8Decodes() throws Exception {
    assertThat(Utf8.decode(ByteString.copyFromUtf8("héllo €"), "text")).isEqualTo("héllo €");
    assertThat(Utf8.decode(ByteString.EMPTY, "text")).isEmpty();
  }

  @Test
  void invalidUtf8IsInvalidArgumentWithOffset() {
    ByteString bad = ByteString.copyFrom(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> Utf8.decode(bad, "html"))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("html is not valid UTF-8")
        .hasMessageContaining("offset 2")
        .extracting(e -> ((ScoringException) e).code())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void binaryDetection() {
    assertThat(Utf8.looksBinary(ByteString.copyFrom(new byte[] {'G', 'I', 'F', 0, 1}))).isTrue();
    assertThat(Utf8.looksBinary(ByteString.copyFromUtf8("<html></html>"))).isFalse();
  }
}
