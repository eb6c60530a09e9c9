package dev.sextant.eval.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;

/**
 * The mapper for load results. Figures that do not exist (latency of a step without successes, the target rate
 * of a closed-loop step) are NaN in Java; plain Jackson writes them as the string {@code "NaN"}, which breaks
 * numeric consumers (jq, pandas), so this mapper writes {@code null} and reads {@code null} back as NaN.
 */
public final class LoadJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("load-nan-as-null")
                    .addSerializer(Double.class, new NonFiniteAsNull())
                    .addSerializer(Double.TYPE, new NonFiniteAsNull())
                    .addDeserializer(Double.class, new NullAsNaN())
                    .addDeserializer(Double.TYPE, new NullAsNaN()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private LoadJson() {
    }

    private static final class NonFiniteAsNull extends StdScalarSerializer<Double> {
        NonFiniteAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    private static final class NullAsNaN extends StdScalarDeserializer<Double> {
        NullAsNaN() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return parser.getValueAsDouble();
        }

        @Override
        public Double getNullValue(DeserializationContext context) {
            return Double.NaN;
        }
    }
}
