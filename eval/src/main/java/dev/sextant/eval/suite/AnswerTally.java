package dev.sextant.eval.suite;

import dev.sextant.eval.answers.CitationMetrics;
import dev.sextant.eval.answers.ReferenceMatch;
import dev.sextant.eval.retrieval.LabelledQuestion;
import java.util.List;

/** Sums of the per-answer figures, turned into the suite's answer and cost summaries. */
final class AnswerTally {

    private int answerable;
    private int unanswerable;
    private int withCitations;
    private int withContext;
    private double contextPrecision;
    private double contextRecall;
    private double precision;
    private double recall;
    private double groundedness;
    private int references;
    private double exact;
    private double f1;
    private int refusedUnanswerable;
    private int refusedAnswerable;
    private double costUsd;
    private long promptTokens;
    private long completionTokens;

    void add(LabelledQuestion q, List<String> cited, List<String> context, boolean refused, double grounded, Double tokenF1,
             TargetClient.Answer a) {
        groundedness += grounded;
        costUsd += a.costUsd();
        promptTokens += a.promptTokens();
        completionTokens += a.completionTokens();
        if (q.answerable()) {
            answerable++;
            recall += CitationMetrics.citationRecall(cited, q.gold());
            contextRecall += CitationMetrics.citationRecall(context, q.gold());
            var p = CitationMetrics.citationPrecision(cited, q.gold());
            if (p.isPresent()) {
                withCitations++;
                precision += p.getAsDouble();
            }
            var c = CitationMetrics.citationPrecision(context, q.gold());
            if (c.isPresent()) {
                withContext++;
                contextPrecision += c.getAsDouble();
            }
            refusedAnswerable += refused ? 1 : 0;
        } else {
            unanswerable++;
            refusedUnanswerable += refused ? 1 : 0;
        }
        if (tokenF1 != null) {
            references++;
            f1 += tokenF1;
            exact += ReferenceMatch.exactMatch(a.text(), q.reference()) ? 1 : 0;
        }
    }

    SuiteResult.AnswerSummary summary() {
        int all = answerable + unanswerable;
        return new SuiteResult.AnswerSummary(answerable, unanswerable,
                withCitations == 0 ? Double.NaN : precision / withCitations,
                answerable == 0 ? Double.NaN : recall / answerable,
                all == 0 ? Double.NaN : groundedness / all,
                references == 0 ? null : exact / references,
                references == 0 ? null : f1 / references,
                unanswerable == 0 ? null : (double) refusedUnanswerable / unanswerable,
                answerable == 0 ? Double.NaN : (double) refusedAnswerable / answerable,
                withContext == 0 ? null : contextPrecision / withContext,
                answerable == 0 ? null : contextRecall / answerable);
    }

    SuiteResult.CostSummary cost(int questions) {
        return new SuiteResult.CostSummary(costUsd, questions == 0 ? 0 : costUsd / questions, promptTokens,
                completionTokens);
    }
}
