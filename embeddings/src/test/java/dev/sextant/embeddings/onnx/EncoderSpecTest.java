package dev.sextant.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderSpecTest {

    @Test
    void shippedModelsByIdWithTheirPooling() {
        assertThat(EncoderSpec.forModel("all-minilm-l6-v2-q").pooling()).isEqualTo(Pooling.MEAN);
        assertThat(EncoderSpec.forModel("bge-small-en-v1.5-q").pooling()).isEqualTo(Pooling.CLS);
        assertThat(EncoderSpec.forModel("bge-small-en-v1.5-q").maxTokens()).isEqualTo(512);
    }

    @Test
    void aSentenceTransformersDirectoryGivesItsPoolingAndLength(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("model.onnx"), EncoderSpec.allMiniLmL6V2Quantized().modelBytes());
        try (var in = EncoderSpec.allMiniLmL6V2Quantized().tokenizer().open()) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"),
                "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 200}");
        EncoderSpec spec = EncoderSpec.forModel(dir.toString());
        assertThat(spec.pooling()).isEqualTo(Pooling.CLS);
        assertThat(spec.maxTokens()).isEqualTo(200);
        assertThat(spec.name()).isEqualTo(dir.getFileName().toString());
    }

    @Test
    void unknownModelsAndIncompleteDirectoriesAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> EncoderSpec.forModel("no-such-model"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> EncoderSpec.forModel(dir.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.onnx");
    }
}
