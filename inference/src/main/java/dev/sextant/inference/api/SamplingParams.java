package dev.sextant.inference.api;

/**
 * How the next token is chosen. {@code temperature == 0} is greedy decoding; the other knobs then do nothing.
 *
 * @param temperature       logits are divided by this before softmax; 0 means greedy
 * @param topK              keep only the k most likely tokens; 0 keeps all
 * @param topP              keep the smallest set of tokens whose probability reaches p; 1 keeps all
 * @param repetitionPenalty divide positive (multiply negative) logits of tokens already in the sequence by this;
 *                          1 disables it (the CTRL / Hugging Face definition)
 * @param presencePenalty   subtracted once from the logit of every token already generated (OpenAI, -2..2)
 * @param frequencyPenalty  subtracted from a token's logit once per time it was generated (OpenAI, -2..2)
 * @param seed              random seed for reproducible sampling; {@code null} picks one per request
 */
public record SamplingParams(double temperature, int topK, double topP, double repetitionPenalty,
                             double presencePenalty, double frequencyPenalty, Long seed) {

    public static final SamplingParams GREEDY = new SamplingParams(0, 0, 1, 1, null);

    public SamplingParams(double temperature, int topK, double topP, double repetitionPenalty, Long seed) {
        this(temperature, topK, topP, repetitionPenalty, 0, 0, seed);
    }

    public SamplingParams {
        if (!(temperature >= 0) || temperature > 100) {
            throw new IllegalArgumentException("temperature must be in [0, 100], got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0) || topP > 1) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0) || repetitionPenalty > 10) {
            throw new IllegalArgumentException("repetition_penalty must be in (0, 10], got " + repetitionPenalty);
        }
        if (!(Math.abs(presencePenalty) <= 2) || !(Math.abs(frequencyPenalty) <= 2)) {
            throw new IllegalArgumentException("presence_penalty and frequency_penalty must be in [-2, 2], got "
                    + presencePenalty + " and " + frequencyPenalty);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
