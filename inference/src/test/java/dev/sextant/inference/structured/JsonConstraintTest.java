package dev.sextant.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.sextant.inference.TinyModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decoding under a constraint by a "model" that picks any allowed token at random: every output, whether it ended
 * itself or ran out of tokens, parses and validates against the schema (a real validator, networknt's).
 */
class JsonConstraintTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader STRICT = JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Formats asserted, not only annotated (2020-12's default), so a wrong date fails validation. */
    static final SchemaRegistry VALIDATORS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    /** The tiny test model's end of text and end of turn. */
    private static final long[] END = {0, 2};

    static final List<String> SCHEMAS = List.of(
            JsonStateTest.PERSON,
            """
            {"$defs": {"Step": {"properties": {"title": {"type": "string", "maxLength": 12},
               "done": {"anyOf": [{"type": "boolean"}, {"type": "null"}]}}, "required": ["title"], "type": "object"}},
             "properties": {"steps": {"items": {"$ref": "#/$defs/Step"}, "type": "array", "maxItems": 3},
               "priority": {"enum": ["low", "high", null, 1.5]}, "score": {"type": "number"}},
             "required": ["steps", "score"], "type": "object", "additionalProperties": false}""",
            """
            {"type": "array", "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2},
             "minItems": 1, "maxItems": 4}""",
            "{\"const\": {\"answer\": 42, \"unit\": \"m/s\"}}",
            "{\"type\": \"string\", \"minLength\": 3, \"maxLength\": 8}",
            "{\"type\": [\"integer\", \"boolean\"]}",
            """
            {"type": "object", "properties": {
               "id": {"type": "string", "format": "uuid"}, "born": {"type": "string", "format": "date"},
               "seen": {"type": "string", "format": "date-time"}, "mail": {"type": "string", "format": "email"},
               "ip": {"type": "string", "format": "ipv4"}, "home": {"type": "string", "format": "uri"},
               "host": {"type": "string", "format": "hostname"}, "at": {"type": "string", "format": "time"},
               "code": {"type": "string", "pattern": "^[A-Z]{2}-\\\\d{3}(?:/[a-z]+)?$"},
               "tag": {"type": "string", "pattern": "v[0-9]+", "maxLength": 12}},
             "required": ["id", "born", "seen", "mail", "ip", "home", "host", "at", "code", "tag"]}""");

    static TokenVocabulary tinyVocabulary() {
        return TokenVocabulary.load(TinyModel.dir().resolve("tokenizer.json"));
    }

    @Test
    void randomDecodingAlwaysEndsInAValidDocument() throws Exception {
        TokenVocabulary vocabulary = tinyVocabulary();
        fuzz(vocabulary, 1024, 60);
    }

    @Test
    void aMaskerPastItsMemoryBoundStartsOverAndStaysCorrect() throws Exception {
        TokenVocabulary vocabulary = tinyVocabulary();
        VocabularyTrie trie = new VocabularyTrie(vocabulary);
        Random random = new Random(3);
        String schemaJson = SCHEMAS.get(1);
        SchemaNode root = JsonSchemaCompiler.compile(JSON.readTree(schemaJson));
        Schema validator = VALIDATORS.getSchema(schemaJson);
        // 40 states and 4 masks at most: the cache starts over many times within one document.
        TokenMasker masker = new TokenMasker(root, trie, 40, 4 * ((1024 + 63) / 64) * 8L);
        for (int run = 0; run < 20; run++) {
            String out = decode(masker, vocabulary, 1024, root.minBytes() + 1 + random.nextInt(40), random);
            assertThat(validator.validate(STRICT.<JsonNode>readValue(out))).as(out).isEmpty();
        }
        assertThat(masker.generations()).isGreaterThan(5);
    }

    @Test
    void theValidatorAssertsFormats() throws Exception {
        Schema date = VALIDATORS.getSchema("{\"type\": \"string\", \"format\": \"date\"}");
        assertThat(date.validate(JSON.readTree("\"2024-02-30\""))).isNotEmpty();
        assertThat(date.validate(JSON.readTree("\"2024-02-28\""))).isEmpty();
    }

    @Test
    void smolLm2VocabularyToo() throws Exception {
        Path tokenizer = Path.of(System.getProperty("user.home"), ".sextant", "models",
                "smollm2-135m-instruct-int8", "tokenizer.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(tokenizer), "SmolLM2 not prepared");
        fuzz(TokenVocabulary.load(tokenizer), 49152, 15);
    }

    private static void fuzz(TokenVocabulary vocabulary, int logitsWidth, int runsPerSchema) throws Exception {
        Random random = new Random(7);
        VocabularyTrie trie = new VocabularyTrie(vocabulary);
        for (String schemaJson : SCHEMAS) {
            SchemaNode root = JsonSchemaCompiler.compile(JSON.readTree(schemaJson));
            Schema validator = VALIDATORS.getSchema(schemaJson);
            TokenMasker masker = new TokenMasker(root, trie);
            for (int run = 0; run < runsPerSchema; run++) {
                int maxTokens = root.minBytes() + 1 + random.nextInt(40);
                String out = decode(masker, vocabulary, logitsWidth, maxTokens, random);
                JsonNode doc = STRICT.readValue(out);
                assertThat(validator.validate(doc)).as(schemaJson + "\n" + out).isEmpty();
            }
        }
    }

    /** Picks uniformly among the allowed tokens (end of sequence a third of the time once allowed). */
    static String decode(TokenMasker masker, TokenVocabulary vocabulary, int width, int maxTokens, Random random)
            throws Exception {
        JsonConstraint constraint = new JsonConstraint(masker, vocabulary, END);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder trace = new StringBuilder();
        for (int step = 0; step < maxTokens; step++) {
            trace.append(maxTokens - step).append('/').append(constraint.minBytes()).append(' ');
            float[] logits = new float[width];
            constraint.mask(logits, maxTokens - step);
            List<Integer> allowed = new ArrayList<>();
            boolean endAllowed = false;
            for (int i = 0; i < width; i++) {
                if (logits[i] != Float.NEGATIVE_INFINITY) {
                    if (i == END[0] || i == END[1]) {
                        endAllowed = true;
                    } else {
                        allowed.add(i);
                    }
                }
            }
            assertThat(endAllowed).isEqualTo(constraint.complete());
            if (endAllowed && (allowed.isEmpty() || random.nextInt(3) == 0)) {
                constraint.accept(END[random.nextInt(2)]);
                break;
            }
            assertThat(allowed).as("some token continues " + bytes.toString(StandardCharsets.UTF_8)).isNotEmpty();
            int token = allowed.get(random.nextInt(allowed.size()));
            constraint.accept(token);
            bytes.write(vocabulary.bytes(token));
        }
        assertThat(constraint.complete()).as(bytes.toString(StandardCharsets.UTF_8) + "\n" + trace).isTrue();
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    }

    @Test
    void aDisallowedTokenIsRefusedAndTheEndOnlyComesWithAWholeDocument() throws Exception {
        TokenVocabulary vocabulary = tinyVocabulary();
        SchemaNode root = JsonSchemaCompiler.compile(JSON.readTree("{\"type\": \"boolean\"}"));
        JsonConstraint constraint = new JsonConstraint(new TokenMasker(root, new VocabularyTrie(vocabulary)),
                vocabulary, END);
        int brace = tokenOf(vocabulary, "{");
        assertThatThrownBy(() -> constraint.accept(brace)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> constraint.accept(END[0])).hasMessageContaining("before the document is complete");
        for (char c : "true".toCharArray()) {
            constraint.accept(tokenOf(vocabulary, String.valueOf(c)));
        }
        assertThat(constraint.finished()).isTrue();
        float[] logits = new float[1024];
        logits[(int) END[1]] = 3f;
        constraint.mask(logits, 5);
        for (int i = 0; i < logits.length; i++) {
            assertThat(logits[i]).as("token " + i).isEqualTo(i == END[0] ? 0f : i == END[1] ? 3f
                    : Float.NEGATIVE_INFINITY);
        }
    }

    static int tokenOf(TokenVocabulary vocabulary, String text) {
        byte[] want = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < vocabulary.size(); i++) {
            if (java.util.Arrays.equals(vocabulary.bytes(i), want)) {
                return i;
            }
        }
        throw new AssertionError("no token for " + text);
    }
}
