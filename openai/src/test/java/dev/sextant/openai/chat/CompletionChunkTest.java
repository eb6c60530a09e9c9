package dev.sextant.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.openai.WireJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompletionChunkTest {

    private static CompletionChunk chunk(String json) {
        return CompletionChunk.of(WireJson.parse(json.getBytes(StandardCharsets.UTF_8), "chunk"));
    }

    @Test
    void chatDeltasTextCompletionsAndRoleOnlyChunks() {
        CompletionChunk chat = chunk("{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}");
        assertThat(chat.text()).isEqualTo("Hi");
        assertThat(chat.hasText()).isTrue();
        assertThat(chat.model()).isEqualTo("m");
        assertThat(chat.finishReason()).isNull();
        assertThat(chat.usage()).isNull();

        CompletionChunk role = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}");
        assertThat(role.text()).as("null content is no text").isEmpty();
        assertThat(role.hasText()).isFalse();

        CompletionChunk text = chunk("{\"choices\":[{\"index\":0,\"text\":\" world\",\"finish_reason\":null}]}");
        assertThat(text.text()).isEqualTo(" world");
        assertThat(text.finishReason()).isNull();
    }

    @Test
    void theFinishChunkAndTheUsageChunk() {
        CompletionChunk finish = chunk("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}");
        assertThat(finish.finishReason()).isEqualTo("length");
        assertThat(finish.hasText()).isFalse();

        CompletionChunk usage = chunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"
                + "\"total_tokens\":15,\"cost_usd\":0.5},\"cached\":true}");
        assertThat(usage.usage()).isEqualTo(new Usage(12, 3, 15));
        assertThat(usage.json().path("usage").path("cost_usd").asDouble()).as("extensions stay in the JSON")
                .isEqualTo(0.5);
        assertThat(usage.json().path("cached").asBoolean()).isTrue();
        assertThat(chunk("{\"choices\":[],\"usage\":null}").usage()).isNull();
        assertThat(chunk("{\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}").usage())
                .as("total computed when missing").isEqualTo(Usage.of(2, 1));
        assertThat(Usage.of(2, 1).toJsonNode().toString())
                .isEqualTo("{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}");
    }

    @Test
    void severalChoicesKeepTheirIndexAndText() {
        CompletionChunk two = chunk("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}]}");
        assertThat(two.choices()).containsExactly(new CompletionChunk.Choice(1, "b", null),
                new CompletionChunk.Choice(0, "a", "stop"));
        assertThat(two.finishReason()).isEqualTo("stop");
    }
}
