package dev.sextant.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LangChain4j 1.19's OpenAI client, a client no one here wrote, pointed at the server over a real socket. */
@QuarkusTest
class LangChain4jClientTest {

    /** What LangChain4j turns into a strict JSON schema from the record's components. */
    record Ticket(String title, Severity severity, boolean reproducible, List<String> labels) {
    }

    enum Severity { LOW, MEDIUM, HIGH }

    interface Triage {
        Ticket triage(String report);
    }

    interface Assistant {
        String answer(String question);
    }

    static final class Clock {
        @Tool("The current time")
        String now() {
            return "12:00";
        }
    }

    private static String baseUrl() {
        return "http://localhost:" + RestAssured.port + "/v1";
    }

    private static OpenAiChatModel.OpenAiChatModelBuilder model(int maxTokens) {
        return OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-unused").maxTokens(maxTokens)
                .timeout(Duration.ofSeconds(60)).maxRetries(0);
    }

    @Test
    void plainAndStreamedChat() throws Exception {
        assertThat(model(8).build().chat("How do I rebase a branch?")).isNotBlank();
        StringBuilder partials = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey("sk-unused").maxTokens(12)
                .timeout(Duration.ofSeconds(60)).build()
                .chat("How do I rebase a branch?", new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        partials.append(partial);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);
        assertThat(response.aiMessage().text()).isNotBlank().isEqualTo(partials.toString());
    }

    @Test
    void aRecordReturnTypeIsDecodedUnderItsStrictSchema() {
        Triage triage = AiServices.create(Triage.class, model(300)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true).build());
        // Random weights behind it (the test decoder) or SmolLM2: either way the answer parses into a Ticket
        // (LangChain4j makes every component nullable in the schema, so nulls are valid answers).
        Ticket ticket = triage.triage("The export button crashes the app on every click since 2.3.");
        assertThat(ticket).isNotNull();
    }

    @Test
    void toolsAreRefusedByNameUntilToolCallingLands() {
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model(8).build()).tools(new Clock())
                .build();
        assertThatThrownBy(() -> assistant.answer("What time is it?")).hasMessageContaining("tools");
    }
}
