package dev.sextant.rag.rerank;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * A linear ranker over {@link RankingFeatures}: a candidate scores {@code w . features}, candidates are sorted by
 * it. The weights are a conditional-logit (softmax over each question's candidates) fit to labelled questions of one
 * corpus by the {@code train-ranker} tool, and read from a properties file ({@code weight.<feature>=...}).
 * With a non-zero MaxSim weight it computes MaxSim for the candidates too, and costs what that costs.
 */
public final class LearnedReranker implements Reranker {

    /** The shipped weights, trained on one corpus and measured on another (see the rag-pipeline README). */
    public static final String DEFAULT_WEIGHTS = "learned-ranker.properties";

    private final double[] weights;
    private final String trainedOn;
    private final MaxSimReranker maxSim;

    /**
     * @param weights one per {@link RankingFeatures#NAMES}
     * @param maxSim  computes the MaxSim feature; may be {@code null} when its weight is 0
     */
    public LearnedReranker(double[] weights, String trainedOn, MaxSimReranker maxSim) {
        if (weights.length != RankingFeatures.NAMES.size()) {
            throw new IllegalArgumentException("expected " + RankingFeatures.NAMES.size() + " weights, got "
                    + weights.length);
        }
        if (weights[RankingFeatures.MAXSIM] != 0 && maxSim == null) {
            throw new IllegalArgumentException("these weights use the maxsim feature; give a MaxSimReranker");
        }
        this.weights = weights.clone();
        this.trainedOn = Objects.requireNonNullElse(trainedOn, "unknown");
        this.maxSim = weights[RankingFeatures.MAXSIM] != 0 ? maxSim : null;
    }

    /** The shipped weights. */
    public static LearnedReranker shipped(MaxSimReranker maxSim) {
        try (InputStream in = LearnedReranker.class.getResourceAsStream(DEFAULT_WEIGHTS)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_WEIGHTS + " is missing");
            }
            return read(in, DEFAULT_WEIGHTS, maxSim);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_WEIGHTS, e);
        }
    }

    public static LearnedReranker read(Path file, MaxSimReranker maxSim) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), maxSim);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ranker weights " + file + ": " + e.getMessage(), e);
        }
    }

    private static LearnedReranker read(InputStream in, String name, MaxSimReranker maxSim) throws IOException {
        Properties p = new Properties();
        p.load(in);
        double[] w = new double[RankingFeatures.NAMES.size()];
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("weight.")) {
                continue;
            }
            int i = RankingFeatures.NAMES.indexOf(key.substring("weight.".length()));
            if (i < 0) {
                throw new IllegalArgumentException(name + ": unknown feature '" + key + "' (known: "
                        + RankingFeatures.NAMES + ")");
            }
            try {
                w[i] = Double.parseDouble(p.getProperty(key).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": " + key + " is not a number", e);
            }
        }
        return new LearnedReranker(w, p.getProperty("trained.on"), maxSim);
    }

    public String trainedOn() {
        return trainedOn;
    }

    @Override
    public RerankResult rerank(RerankRequest request) {
        List<ScoredChunk> candidates = request.candidates();
        if (candidates.isEmpty()) {
            return new RerankResult(List.of());
        }
        double[] sims = maxSim != null ? maxSim.scores(request.query(), candidates) : null;
        double[][] features = RankingFeatures.of(request, sims);
        List<ScoredChunk> out = new ArrayList<>(candidates.size());
        for (int i = 0; i < features.length; i++) {
            out.add(new ScoredChunk(candidates.get(i).chunk(), score(weights, features[i])));
        }
        return new RerankResult(PageOrder.of(out));
    }

    public static double score(double[] weights, double[] features) {
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i] * features[i];
        }
        return s;
    }
}
