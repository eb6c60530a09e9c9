package dev.sextant.inference.api;

import java.util.Objects;

/**
 * What the output must be (OpenAI's {@code response_format}): free text, any JSON object, or a document of a JSON
 * Schema. The JSON kinds are enforced while decoding, token by token, not asked for in the prompt.
 */
public sealed interface ResponseFormat {

    ResponseFormat TEXT = new Text();
    ResponseFormat JSON_OBJECT = new JsonObject();

    record Text() implements ResponseFormat {
    }

    record JsonObject() implements ResponseFormat {
    }

    /**
     * @param name   the schema's name (OpenAI requires one; it is reported, not used)
     * @param schema the JSON Schema, as JSON text
     * @param strict OpenAI's flag; decoding enforces the schema either way
     */
    record JsonSchema(String name, String schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }
}
