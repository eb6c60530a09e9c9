package dev.sextant.inference.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ResponseFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's structured outputs: its vocabulary and trie (built on the first JSON request, not at start), and the
 * compiled schemas of recent requests with their cached masks, so a client sending the same schema again pays for
 * compilation and masks once.
 */
public final class StructuredOutputs {

    /**
     * Compiled schemas kept, least recently used out first. With {@link TokenMasker}'s bounds (8,192 states, 16 MiB of
     * masks each) the cache holds at most ~0.5 GiB however many schemas clients send; sequences running on an evicted
     * schema keep theirs until they end.
     */
    static final int MAX_SCHEMAS = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path tokenizerJson;
    private final long[] endIds;
    private TokenVocabulary vocabulary;
    private VocabularyTrie trie;
    private final Map<String, TokenMasker> maskers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenMasker> eldest) {
            return size() > MAX_SCHEMAS;
        }
    };

    /**
     * @param endIds the model's end-of-sequence token ids
     */
    public StructuredOutputs(Path tokenizerJson, List<Long> endIds) {
        this.tokenizerJson = tokenizerJson;
        this.endIds = endIds.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A constraint for one sequence, or null for free text.
     *
     * @throws UnsupportedSchemaException naming what in the schema cannot be enforced, or that it is not JSON
     */
    public synchronized JsonConstraint constraint(ResponseFormat format) {
        JsonNode schema;
        String key;
        switch (format) {
            case ResponseFormat.Text t -> {
                return null;
            }
            case ResponseFormat.JsonObject o -> {
                schema = null;
                key = "json_object";
            }
            case ResponseFormat.JsonSchema s -> {
                schema = parse(s.schema());
                // Compact JSON: the same schema however the client spaced it.
                key = schema.toString();
            }
        }
        if (trie == null) {
            trie = new VocabularyTrie(vocabulary());
        }
        TokenMasker masker = maskers.get(key);
        if (masker == null) {
            SchemaNode root = schema != null ? JsonSchemaCompiler.compile(schema) : JsonSchemaCompiler.anyObject();
            masker = new TokenMasker(root, trie);
            maskers.put(key, masker);
        }
        return new JsonConstraint(masker, vocabulary, endIds);
    }

    /** The model's token bytes, read on first use. */
    public synchronized TokenVocabulary vocabulary() {
        if (vocabulary == null) {
            vocabulary = TokenVocabulary.load(tokenizerJson);
        }
        return vocabulary;
    }

    private static JsonNode parse(String schema) {
        try {
            return JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new UnsupportedSchemaException("", "not JSON (" + e.getOriginalMessage() + ")");
        }
    }
}
