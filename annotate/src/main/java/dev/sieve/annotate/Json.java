package dev.sieve.annotate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON the app stores in text columns and reads from import files. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Double> scores(String json) {
    if (json == null || json.isBlank()) {
      return new TreeMap<>();
    }
    try {
      return MAPPER.readValue(json, new TypeReference<TreeMap<String, Double>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored scores are not JSON", e);
    }
  }

  static Map<String, Map<String, Double>> tierScores(String json) {
    if (json == null || json.isBlank()) {
      return new TreeMap<>();
    }
    try {
      return MAPPER.readValue(json, new TypeReference<TreeMap<String, Map<String, Double>>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored tier scores are not JSON", e);
    }
  }

  static List<String> strings(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return MAPPER.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored list is not JSON", e);
    }
  }
}
