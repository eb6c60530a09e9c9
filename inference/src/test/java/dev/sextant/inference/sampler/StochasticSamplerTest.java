package dev.sextant.inference.sampler;

import dev.sextant.inference.api.SamplingParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StochasticSamplerTest {

    static float[] logits(float... values) {
        return values.clone();
    }

    static TokenHistory empty() {
        return new TokenHistory(8);
    }

    @Test
    void temperatureZeroIsGreedy() {
        var sampler = new StochasticSampler(SamplingParams.GREEDY);
        assertThat(sampler.sample(logits(0.1f, 3f, 2.9f), empty())).isEqualTo(1);
    }

    @Test
    void topKOfOneIsGreedyAtAnyTemperature() {
        var sampler = new StochasticSampler(new SamplingParams(2.0, 1, 1.0, 1.0, 7L));
        for (int i = 0; i < 100; i++) {
            assertThat(sampler.sample(logits(1f, 0.5f, 1.2f, 0f), empty())).isEqualTo(2);
        }
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        // probabilities ~ 0.84, 0.11, 0.04, ...: top_p 0.5 keeps only the first token
        var sampler = new StochasticSampler(new SamplingParams(1.0, 0, 0.5, 1.0, 3L));
        for (int i = 0; i < 200; i++) {
            assertThat(sampler.sample(logits(3f, 1f, 0f, -1f), empty())).isEqualTo(0);
        }
    }

    @Test
    void samplesFollowTheSoftmaxDistribution() {
        // logits 0 and ln 3 give probabilities 1/4 and 3/4
        var sampler = new StochasticSampler(new SamplingParams(1.0, 0, 1.0, 1.0, 11L));
        int ones = 0;
        int draws = 8000;
        for (int i = 0; i < draws; i++) {
            ones += (int) sampler.sample(logits(0f, (float) Math.log(3)), empty());
        }
        assertThat((double) ones / draws).isBetween(0.72, 0.78);
    }

    @Test
    void sameSeedSameTokensDifferentSeedDifferentTokens() {
        float[] flat = new float[64];
        long[] a = new long[50];
        long[] b = new long[50];
        long[] c = new long[50];
        var s1 = new StochasticSampler(new SamplingParams(1.0, 0, 1.0, 1.0, 5L));
        var s2 = new StochasticSampler(new SamplingParams(1.0, 0, 1.0, 1.0, 5L));
        var s3 = new StochasticSampler(new SamplingParams(1.0, 0, 1.0, 1.0, 6L));
        for (int i = 0; i < 50; i++) {
            a[i] = s1.sample(flat.clone(), new TokenHistory(64));
            b[i] = s2.sample(flat.clone(), new TokenHistory(64));
            c[i] = s3.sample(flat.clone(), new TokenHistory(64));
        }
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void repetitionPenaltyPushesSeenTokensDown() {
        TokenHistory seen = new TokenHistory(8);
        seen.add(0);
        var sampler = new StochasticSampler(new SamplingParams(0, 0, 1.0, 2.0, null));
        // token 0 (2.0 -> 1.0) loses to token 1 (1.5); a negative seen logit gets more negative
        assertThat(sampler.sample(logits(2f, 1.5f, 0f), seen)).isEqualTo(1);
        float[] negative = logits(-1f, -3f);
        StochasticSampler.applyRepetitionPenalty(negative, seen, 2.0);
        assertThat(negative[0]).isEqualTo(-2f);
    }

    @Test
    void presenceAndFrequencyPenaltiesCountOnlyGeneratedTokens() {
        TokenHistory history = new TokenHistory(8);
        history.addAll(new long[] {1});
        history.addGenerated(0);
        history.addGenerated(0);
        history.addGenerated(2);
        float[] logits = logits(5f, 5f, 5f, 5f);
        StochasticSampler.applyPresenceAndFrequency(logits, history, 0.5, 1.0);
        // token 0: generated twice -> 5 - (0.5 + 2); token 2: once -> 5 - 1.5; token 1 only in the prompt: unchanged
        assertThat(logits).containsExactly(2.5f, 5f, 3.5f, 5f);
        var sampler = new StochasticSampler(new SamplingParams(0, 0, 1, 1, 0, 2.0, null));
        assertThat(sampler.sample(logits(3f, 2f), history)).isEqualTo(1);
    }

    @Test
    void invalidParametersAreRefused() {
        assertThatThrownBy(() -> new SamplingParams(0, 0, 1, 1, 3, 0, null)).hasMessageContaining("presence_penalty");
        assertThatThrownBy(() -> new SamplingParams(-1, 0, 1, 1, null)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingParams(1, -2, 1, 1, null)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 0, 1, null)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new SamplingParams(1, 0, 1, 0, null)).hasMessageContaining("repetition_penalty");
    }
}
