package dev.sieve.eval.card;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The JSON dialects of evaluation files, both deterministic: keys sorted, no timestamps, NaN and
 * infinities written as {@code null} (JSON has no NaN; "undefined" must stay visibly undefined).
 *
 * <ul>
 *   <li>{@link #exact()}: full double precision (calibration and threshold files, which serving
 *       loads and must reproduce bit for bit).
 *   <li>{@link #card()}: doubles rounded half-even to {@value #CARD_DECIMALS} decimals in plain
 *       notation (model cards: stable, diff-friendly, byte-identical on regeneration).
 * </ul>
 */
public final class Json {

  public static final int CARD_DECIMALS = 6;

  private static final ObjectMapper EXACT = build(false);
  private static final ObjectMapper CARD = build(true);

  private Json() {}

  public static ObjectMapper exact() {
    return EXACT;
  }

  public static ObjectMapper card() {
    return CARD;
  }

  private static ObjectMapper build(boolean rounded) {
    SimpleModule numbers = new SimpleModule("sieve-numbers");
    DoubleWriter writer = new DoubleWriter(rounded);
    numbers.addSerializer(Double.class, writer);
    numbers.addSerializer(double.class, writer);
    numbers.addSerializer(double[].class, new DoubleArrayWriter(writer));
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .defaultPrettyPrinter(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .addModule(numbers)
        .build();
  }

  /** Rounds like the card writer does (renderers and tests use it to compare). */
  public static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return new BigDecimal(Double.toString(v))
        .setScale(CARD_DECIMALS, RoundingMode.HALF_EVEN)
        .doubleValue();
  }

  private static final class DoubleWriter extends StdSerializer<Double> {
    private final boolean rounded;

    DoubleWriter(boolean rounded) {
      super(Double.class);
      this.rounded = rounded;
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      write(value, gen);
    }

    void write(double v, JsonGenerator gen) throws IOException {
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        gen.writeNull();
      } else if (rounded) {
        BigDecimal d =
            new BigDecimal(Double.toString(v))
                .setScale(CARD_DECIMALS, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        if (d.signum() == 0) {
          d = BigDecimal.ZERO;
        }
        gen.writeNumber(d);
      } else {
        gen.writeNumber(v);
      }
    }
  }

  private static final class DoubleArrayWriter extends StdSerializer<double[]> {
    private final DoubleWriter element;

    DoubleArrayWriter(DoubleWriter element) {
      super(double[].class);
      this.element = element;
    }

    @Override
    public void serialize(double[] value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray();
      for (double v : value) {
        element.write(v, gen);
      }
      gen.writeEndArray();
    }
  }
}
