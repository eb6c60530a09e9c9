package dev.sextant.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DJL tokenization and our ChatML rendering against what Python's tokenizers and Jinja produced. */
class ChatTokenizerTest {

    static ChatTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = ChatTokenizer.load(TinyModel.dir());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encodesAndDecodesLikePythonTokenizers() {
        for (JsonNode check : TinyModel.reference().get("tokenizer_checks")) {
            String text = check.get("text").asText();
            assertThat(tokenizer.encode(text)).as(text).containsExactly(TinyModel.longs(check.get("ids")));
            assertThat(tokenizer.decode(TinyModel.longs(check.get("ids")), false)).isEqualTo(check.get("decoded").asText());
        }
    }

    @Test
    void rendersChatLikeTheJinjaTemplate() {
        int checked = 0;
        for (JsonNode check : TinyModel.reference().get("chat_template_checks")) {
            if (!check.get("add_generation_prompt").asBoolean()) {
                continue;
            }
            List<ChatMessage> messages = new ArrayList<>();
            check.get("messages").forEach(m -> messages.add(new ChatMessage(m.get("role").asText(),
                    m.get("content").asText())));
            assertThat(tokenizer.renderChat(messages)).isEqualTo(check.get("rendered").asText());
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    @Test
    void specialTokensInTheRenderedPromptBecomeSingleIds() {
        long[] ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>\n");
        assertThat(ids[0]).isEqualTo(1L);
        assertThat(ids).contains(2L);
    }
}
