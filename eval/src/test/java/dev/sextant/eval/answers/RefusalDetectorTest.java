package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-picked refusals and near misses. */
class RefusalDetectorTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "I don't know.",
            "I DO NOT KNOW the answer.",
            "I don\u2019t know based on these passages.",
            "Sorry, I cannot answer that from the provided documents.",
            "I am unable to answer this question.",
            "This question cannot be answered with the given context.",
            "The context does not mention the default port.",
            "The provided documents don\u2019t specify this.",
            "The documents do not contain any information about replication slots.",
            "This is not mentioned in the context.",
            "The answer is not in the provided context.",
            "There is no information about this in the sources.",
            "I don't have enough information to answer.",
            "I couldn't find the answer in the sources.",
            "The passages contain no information about it.",
            "Use VACUUM [1]. The documents do not say how long it takes.",
            // the router's default sextant.answerability.message, answered without the model
            "The documents do not cover this question, so I cannot answer it from them.",
    })
    void refusalsAreDetected(String answer) {
        assertThat(RefusalDetector.isRefusal(answer)).as(answer).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I know that you don't need to restart the server.",
            "If you don't know the port, run SHOW port.",
            "The documents do not need to be re-indexed after an update.",
            "The context switch does not block readers.",
            "No, autovacuum is not in the critical path.",
            "The source has no primary key.",
            "Set max_connections to 200 [1].",
            "",
    })
    void answersAreNotRefusals(String answer) {
        assertThat(RefusalDetector.isRefusal(answer)).as(answer).isFalse();
    }
}
