package dev.sextant.eval.answers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether an answer declines to answer ("I don't know", "the context does not say"): the refusal rate of
 * unanswerable questions and the false-refusal rate of answerable ones count these, and groundedness judges no
 * refusal sentence, since it claims nothing a chunk could support.
 */
public final class RefusalDetector {

    /**
     * The phrases {@link #isRefusal} looks for, as case-insensitive regular expressions over the answer with curly
     * apostrophes straightened and whitespace collapsed. In words: "I/we (really) don't know"; "cannot / can't /
     * unable to / not able to answer", "cannot be answered"; "could not / did not find the answer / information";
     * "I don't have (enough) information", "there is / I have no information", "not enough / insufficient
     * information", "no information about this"; "the (provided) context / documents / sources / passages do(es)
     * not contain / mention / say / specify / cover / ..."; "the context / documents contain(s) / provide(s) no
     * information"; "not (mentioned) in the (provided) context / documents". Each is a first-person admission or
     * a statement about the context, never a bare "don't" or "not", so "I know that you don't need ..." and "The
     * documents do not need re-indexing" are no refusals.
     */
    public static final List<String> REFUSAL_PATTERNS = List.of(
            // I don't know / we do not know / I really don't know
            "\\b(?:i|we)(?: really| simply)? (?:do not|don't|dont) know\\b",
            // cannot answer / can't answer / unable to answer / not able to answer / cannot be answered
            "\\b(?:cannot|can not|can't|unable to|not able to) (?:fully |confidently |reliably )?answer\\b",
            "\\bcannot be answered\\b",
            // I could not find the answer / any information
            "\\b(?:could not|couldn't|cannot|can't|unable to|did not|didn't) find (?:the |an |any )?"
                    + "(?:answer|information|mention)\\b",
            // I don't have enough information / there is no information / not enough information
            "\\b(?:i|we) (?:do not|don't|dont) have (?:enough |sufficient |any |the |that )?(?:relevant )?"
                    + "information\\b",
            "\\b(?:there is|there's|i have|i found|i could find|i can find|we have) no (?:relevant |specific |such )?"
                    + "information\\b",
            "\\b(?:not enough|insufficient) information\\b",
            "\\bno (?:mention|information) (?:of|about|on|regarding) (?:this|that|it)\\b",
            // the (provided) context / the documents do not mention ... ; the context has no information
            "\\bthe (?:provided |given |supplied |available |retrieved )?(?:context|documents?|sources?|passages?|"
                    + "excerpts?|texts?) (?:does not|do not|doesn't|don't|did not|didn't) (?:seem to |appear to )?"
                    + "(?:contain|provide|mention|include|say|specify|state|describe|cover|explain|give|discuss|"
                    + "address|offer|indicate|answer|have|tell|detail|define|list)\\b",
            "\\b(?:context|documents?|sources?|passages?|excerpts?) (?:contains?|provides?|gives?|has|have) no "
                    + "(?:relevant |specific |such |direct )?(?:information|mention|details?|answer)\\b",
            // (is) not (mentioned) in the context / documents
            "\\bnot (?:\\w+ )?(?:in|within|from) the (?:provided |given |supplied |available |retrieved )?"
                    + "(?:context|documents|sources|passages|excerpts)\\b");

    private static final List<Pattern> REFUSALS = REFUSAL_PATTERNS.stream()
            .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)).toList();

    private RefusalDetector() {
    }

    /**
     * Whether the answer declines to answer: any of {@link #REFUSAL_PATTERNS} occurs anywhere in it (case-insensitive,
     * curly apostrophes read as straight ones). An answer that answers and then adds "the documents do not say
     * ..." as a caveat counts as a refusal too; a blank answer does not.
     */
    public static boolean isRefusal(String answer) {
        String text = Words.collapseWhitespace(answer.replace('\u2019', '\''));
        return REFUSALS.stream().anyMatch(p -> p.matcher(text).find());
    }
}
