package dev.sextant.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuestionGuardTest {

    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(delimiter = '|', value = {
        "How do I make a Python list into a heap? | how can I turn a list into a heap in Python",
        "What does VACUUM do? | Explain what VACUUM does",
        "how do i rebase my branch onto main | How can I rebase a branch onto main?",
        "Could you tell me how WAL mode works in SQLite? | how does WAL mode work in SQLite",
        "How do I set a key with an expiry in Redis | In Redis, how can I set a key that expires",
    })
    void paraphrasesAreInterchangeable(String a, String b) {
        assertThat(QuestionGuard.difference(a, b)).isNull();
        assertThat(QuestionGuard.interchangeable(a, b)).isTrue();
    }

    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(delimiter = '|', value = {
        "How do I enable WAL mode? | How do I disable WAL mode?",
        "How do I run a query with an index? | How do I run a query without an index?",
        "Why does my container get killed? | Why doesn't my container get killed?",
        "What is the default port 5432 used for? | What is the default port 5433 used for?",
        "What does heapq.heappush do? | What does heapq.heappop do?",
        "What does VACUUM FULL do? | What does VACUUM ANALYZE do?",
        "What is the maximum size of a Redis key? | What is the minimum size of a Redis key?",
        "How do I convert a string to bytes? | How do I convert bytes to a string?",
        "Does SIGTERM stop the pod? | Does SIGKILL stop the pod?",
        "How do I read a file before the commit? | How do I read a file after the commit?",
    })
    void nearMissesAreNot(String a, String b) {
        assertThat(QuestionGuard.interchangeable(a, b)).as(QuestionGuard.difference(a, b)).isFalse();
    }
}
