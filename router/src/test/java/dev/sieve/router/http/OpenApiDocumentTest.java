package dev.sieve.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.sieve.proto.v1.ClassifyBatchRequest;
import dev.sieve.proto.v1.ClassifyBatchResponse;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ListCategoriesResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI description (docs/openapi.json) is the one generated from the proto, and it
 * names every field of every message the API carries. Regenerate after a proto change with {@code
 * SIEVE_WRITE_OPENAPI=1} (or -Dsieve.write.openapi=true) on this test.
 */
class OpenApiDocumentTest {

  private static final Path COMMITTED = Path.of("..", "docs", "openapi.json");

  @Test
  void theCommittedDescriptionIsTheGeneratedOne() throws Exception {
    String generated = OpenApiDocument.json();
    if ("1".equals(System.getenv("SIEVE_WRITE_OPENAPI"))
        || Boolean.getBoolean("sieve.write.openapi")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as(
            "docs/openapi.json is stale: regenerate it (SIEVE_WRITE_OPENAPI=1 on OpenApiDocumentTest)")
        .isEqualTo(generated);
  }

  @Test
  void everyFieldOfEveryReachableMessageIsDescribedWithItsNumber() throws Exception {
    JsonNode schemas =
        new ObjectMapper().readTree(OpenApiDocument.json()).path("components").path("schemas");
    Deque<Descriptor> todo = new ArrayDeque<>();
    todo.add(ClassifyRequest.getDescriptor());
    todo.add(ClassifyResponse.getDescriptor());
    todo.add(ClassifyBatchRequest.getDescriptor());
    todo.add(ClassifyBatchResponse.getDescriptor());
    todo.add(ListCategoriesResponse.getDescriptor());
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Descriptor message = todo.poll();
      if (!seen.add(message.getFullName())) {
        continue;
      }
      JsonNode properties = schemas.path(message.getFullName()).path("properties");
      assertThat(properties.isObject()).as(message.getFullName()).isTrue();
      assertThat(properties.size())
          .as(message.getFullName() + " has no extra properties")
          .isEqualTo(message.getFields().size());
      for (FieldDescriptor field : message.getFields()) {
        JsonNode property = properties.path(field.getJsonName());
        assertThat(property.path("x-proto-field").asText())
            .as(message.getFullName() + "." + field.getName())
            .isEqualTo(field.getName() + " = " + field.getNumber());
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          todo.add(field.getMessageType());
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
          JsonNode values =
              field.isRepeated() ? property.path("items").path("enum") : property.path("enum");
          assertThat(values.size())
              .as(field.getFullName())
              .isEqualTo(field.getEnumType().getValues().size());
        }
      }
    }
    assertThat(seen)
        .contains(
            "sieve.v1.Evidence",
            "sieve.v1.ModelInfo",
            "sieve.v1.CategoryInfo",
            "sieve.v1.ItemError");
  }
}
