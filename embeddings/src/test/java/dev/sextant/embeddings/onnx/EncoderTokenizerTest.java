package dev.sextant.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncoderTokenizerTest {

    @Test
    void countsExactlyAsTheEncoderDoesWithoutTruncating() throws IOException {
        List<String> sentences;
        try (InputStream in = getClass().getResourceAsStream("/sentences.txt")) {
            sentences = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        String longText = String.join(" ", sentences.subList(0, 10));
        List<String> texts = List.of("hello world", "", "Ünïcödé, punctuation!? and numbers 12345",
                sentences.get(3), longText);
        try (var encoder = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
             var tokenizer = EncoderTokenizer.forModel("all-minilm-l6-v2-q")) {
            for (String text : texts) {
                assertThat(tokenizer.countTokens(text)).as(text).isEqualTo(encoder.countTokens(text));
            }
            assertThat(tokenizer.countTokens(longText)).as("past the encoder's 128-token input")
                    .isGreaterThan(encoder.maxTokens());
            assertThat(tokenizer.maxTokens()).isEqualTo(encoder.maxTokens());
        }
    }

    @ParameterizedTest
    @CsvSource({"all-minilm-l6-v2-q, 128", "bge-small-en-v1.5-q, 512"})
    void loadsForEveryShippedModel(String id, int maxTokens) {
        try (var tokenizer = EncoderTokenizer.forModel(id)) {
            assertThat(tokenizer.name()).isEqualTo(id);
            assertThat(tokenizer.maxTokens()).isEqualTo(maxTokens);
            assertThat(tokenizer.countTokens("word ".repeat(600))).isEqualTo(600);
        }
    }

    @Test
    void aDirectoryNeedsOnlyItsTokenizerNotTheGraph(@TempDir Path dir) throws IOException {
        try (var in = EncoderSpec.allMiniLmL6V2Quantized().tokenizer().open()) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");
        try (var tokenizer = EncoderTokenizer.forModel(dir.toString())) {
            assertThat(tokenizer.maxTokens()).isEqualTo(256);
            assertThat(tokenizer.countTokens("the quick brown fox")).isEqualTo(4);
        }
        assertThatThrownBy(() -> EncoderSpec.forModel(dir.toString())).hasMessageContaining("model.onnx");
    }

    @Test
    void unknownModelsAndDirectoriesWithoutATokenizerAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> EncoderTokenizer.forModel("no-such-model"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-model")
                .hasMessageContaining("all-minilm-l6-v2-q");
        assertThatThrownBy(() -> EncoderTokenizer.forModel(dir.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenizer.json");
    }
}
