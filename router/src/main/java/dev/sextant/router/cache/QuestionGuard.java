package dev.sextant.router.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check a semantic cache hit must pass beyond embedding similarity. Sentence embeddings put "how do I X" and
 * "how do I not X", "port 5432" and "port 5433", "heappush" and "heappop" almost on top of each other; GPTCache
 * serves such near misses as hits. Two questions are interchangeable here only if they agree on:
 * <ul>
 *   <li>negation: both negated ({@code not}, {@code without}, {@code never}, {@code -n't} ...) or neither;</li>
 *   <li>numbers with their units, in order ({@code 30 seconds} is not {@code 30 ms});</li>
 *   <li>key terms (identifiers, code, options, hyphenated names, acronyms, capitalised names): one question may
 *       name fewer than the other, but not a different one ({@code heappush} vs {@code heappop});</li>
 *   <li>polar words: not one side of an opposite pair ({@code min/max}, {@code enable/disable},
 *       {@code before/after} ...) in one question and the other side in the other;</li>
 *   <li>direction: not "x to y" in one and "y to x" in the other.</li>
 * </ul>
 * Paraphrases (word order, synonyms, politeness, typos in ordinary words) pass; the rules only look at words that
 * change the answer.
 */
public final class QuestionGuard {

    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "without", "none", "nothing",
            "cannot", "neither", "nor", "avoid", "prevent", "disallow", "except", "excluding", "unless");

    private static final List<Set<String>> POLAR = List.of(
            Set.of("min", "minimum", "smallest", "lowest", "least", "fewest"),
            Set.of("max", "maximum", "largest", "highest", "most", "biggest"),
            Set.of("enable", "enabled", "enabling", "turn on", "switch on", "activate", "on"),
            Set.of("disable", "disabled", "disabling", "turn off", "switch off", "deactivate", "off"),
            Set.of("before", "earlier", "prior"),
            Set.of("after", "later"),
            Set.of("first", "earliest", "oldest", "start", "begin", "beginning", "head"),
            Set.of("last", "latest", "newest", "end", "ending", "tail"),
            Set.of("increase", "raise", "grow", "more", "higher", "bigger", "larger", "up"),
            Set.of("decrease", "reduce", "lower", "shrink", "less", "smaller", "fewer", "down"),
            Set.of("add", "insert", "create", "push", "append"),
            Set.of("remove", "delete", "drop", "pop", "erase"),
            Set.of("client", "clients"),
            Set.of("server", "servers"),
            Set.of("read", "reads", "reading", "reader"),
            Set.of("write", "writes", "writing", "writer"),
            Set.of("import", "restore", "load"),
            Set.of("export", "dump", "backup", "save"),
            Set.of("encrypt", "encryption", "encode"),
            Set.of("decrypt", "decryption", "decode"),
            Set.of("lock", "locking", "locked"),
            Set.of("unlock", "unlocking", "unlocked"),
            Set.of("upper", "uppercase"),
            Set.of("lower", "lowercase"),
            Set.of("local", "locally"),
            Set.of("remote", "remotely"),
            Set.of("inner"),
            Set.of("outer"),
            Set.of("ascending", "asc"),
            Set.of("descending", "desc"),
            Set.of("upgrade", "upgrading"),
            Set.of("downgrade", "downgrading"),
            Set.of("newer", "new"),
            Set.of("older", "old"),
            Set.of("into", "in"),
            Set.of("out of", "out"),
            Set.of("active"),
            Set.of("passive"),
            Set.of("send", "sending", "sent", "sender"),
            Set.of("receive", "receiving", "received", "receiver"));

    private static final Pattern WORD = Pattern.compile("-{0,2}[\\p{L}\\p{N}_][\\p{L}\\p{N}_.'/:+#-]*");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(\\d+(?:[.,]\\d+)*)(?:\\s*([a-z%]+))?");
    private static final Set<String> SENTENCE_STARTERS = Set.of("how", "what", "why", "when", "where", "which",
            "who", "can", "could", "should", "is", "are", "does", "do", "i", "explain", "tell", "show", "give",
            "please", "in", "the", "a", "an", "my", "with", "for", "to", "hey", "hi", "hello", "i'm", "im");

    private QuestionGuard() {
    }

    /** Whether a stored answer to {@code cached} may answer {@code incoming}. */
    public static boolean interchangeable(String incoming, String cached) {
        Features a = features(incoming);
        Features b = features(cached);
        return a.negated == b.negated && a.numbers.equals(b.numbers) && !conflicting(a.keyTerms, b.keyTerms)
                && !codeDiffers(a, b) && !opposed(a.polar, b.polar) && !reversed(a.sides, b.sides);
    }

    /** Why two questions are not interchangeable, for logs and tests; null when they are. */
    public static String difference(String incoming, String cached) {
        Features a = features(incoming);
        Features b = features(cached);
        if (a.negated != b.negated) {
            return "negation " + a.negated + " vs " + b.negated;
        }
        if (!a.numbers.equals(b.numbers)) {
            return "numbers " + a.numbers + " vs " + b.numbers;
        }
        if (conflicting(a.keyTerms, b.keyTerms)) {
            return "key terms " + a.keyTerms + " vs " + b.keyTerms;
        }
        if (codeDiffers(a, b)) {
            return "code terms " + a.codeTerms + " vs " + b.codeTerms;
        }
        if (opposed(a.polar, b.polar)) {
            return "polar words " + a.polar + " vs " + b.polar;
        }
        if (reversed(a.sides, b.sides)) {
            return "direction " + a.sides + " vs " + b.sides;
        }
        return null;
    }

    private record Features(boolean negated, List<String> numbers, Set<String> keyTerms, Set<String> codeTerms,
                            Set<Integer> polar, List<Set<String>> sides, Set<String> words) {
    }

    /**
     * Code terms must match, except that {@code heapq heappush} or {@code server sent} (the parts written apart)
     * count as {@code heapq.heappush} and {@code server-sent}.
     */
    private static boolean codeDiffers(Features a, Features b) {
        return missing(a.codeTerms, b) || missing(b.codeTerms, a);
    }

    private static boolean missing(Set<String> terms, Features other) {
        for (String term : terms) {
            if (!other.codeTerms.contains(term)
                    && !other.words.containsAll(List.of(term.split("[-._/:#]+")))) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> STOPWORDS = Set.of("the", "a", "an", "my", "your", "its", "their", "our", "of",
            "in", "on", "for", "with", "and", "or", "do", "does", "how", "what", "which", "can", "could", "i", "you",
            "is", "are", "be", "it", "this", "that", "there", "way", "should", "would", "please", "tell", "me");

    private static final Set<String> UNITS = Set.of("ms", "millisecond", "milliseconds", "s", "sec", "second",
            "seconds", "min", "minute", "minutes", "h", "hour", "hours", "day", "days", "week", "weeks", "b", "byte",
            "bytes", "kb", "kib", "mb", "mib", "gb", "gib", "tb", "tib", "percent", "%", "rows", "connections");

    /** Names written more than one way. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.of("postgres", "postgresql",
            "k8s", "kubernetes", "py", "python", "pg", "postgresql");

    /** Each side names something the other does not: a swap (heappush vs heappop), not an omission. */
    private static boolean conflicting(Set<String> a, Set<String> b) {
        return !b.containsAll(a) && !a.containsAll(b);
    }

    /** One side uses a word whose opposite (min/max, enable/disable ...) the other uses, and not the word itself. */
    private static boolean opposed(Set<Integer> a, Set<Integer> b) {
        for (int group : a) {
            int opposite = group ^ 1;
            if (b.contains(opposite) && !b.contains(group) && !a.contains(opposite)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether one question goes x to y where the other goes y to x: the words before "to"/"into" in one appear after
     * it in the other, and the other way round.
     */
    private static boolean reversed(List<Set<String>> a, List<Set<String>> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        return intersects(a.get(0), b.get(1)) && intersects(a.get(1), b.get(0));
    }

    private static boolean intersects(Set<String> x, Set<String> y) {
        return x.stream().anyMatch(y::contains);
    }

    /** "convert a string to bytes" vs "bytes to a string": x to/into/from y, swapped, asks the opposite. */
    private static final Pattern DIRECTION = Pattern.compile("\\s(?:to|into)\\s");
    /** Identifiers and options: digits, underscores, dots, dashes, slashes, inner capitals. */
    private static final Pattern CODE = Pattern.compile("[0-9_./:#-]");


    private static Features features(String question) {
        boolean negated = false;
        List<String> numbers = new ArrayList<>();
        Set<String> keyTerms = new HashSet<>();
        Set<Integer> polar = new HashSet<>();
        String lower = question.toLowerCase(Locale.ROOT);
        Matcher numbersIn = NUMBER_WITH_UNIT.matcher(lower);
        while (numbersIn.find()) {
            String unit = numbersIn.group(2);
            numbers.add(numbersIn.group(1).replace(",", "")
                    + (unit != null && UNITS.contains(unit) ? " " + unit.replaceAll("s$", "") : ""));
        }
        Matcher words = WORD.matcher(question);
        boolean first = true;
        while (words.find()) {
            String raw = trimPunctuation(words.group());
            if (raw.isEmpty()) {
                continue;
            }
            String word = raw.toLowerCase(Locale.ROOT);
            if (word.endsWith("n't")) {
                negated = true;
                word = word.substring(0, word.length() - 3);
            }
            if (word.endsWith("'s") || word.endsWith("'m") || word.endsWith("'re")) {
                word = word.substring(0, word.lastIndexOf('\''));
                raw = raw.substring(0, raw.lastIndexOf('\''));
            }
            if (NEGATIONS.contains(word)) {
                negated = true;
            }
            if (!raw.isEmpty() && isKeyTerm(raw, first)) {
                keyTerms.add(ALIASES.getOrDefault(word, word));
            }
            for (int i = 0; i < POLAR.size(); i++) {
                if (POLAR.get(i).contains(word)) {
                    polar.add(i);
                }
            }
            first = false;
        }
        for (int i = 0; i < POLAR.size(); i++) {
            for (String phrase : POLAR.get(i)) {
                if (phrase.contains(" ") && lower.contains(phrase)) {
                    polar.add(i);
                }
            }
        }
        List<Set<String>> sides = new ArrayList<>();
        Matcher direction = DIRECTION.matcher(lower);
        if (direction.find()) {
            sides.add(contentWords(lower.substring(0, direction.start())));
            sides.add(contentWords(lower.substring(direction.end())));
        }
        Set<String> codeTerms = new HashSet<>();
        keyTerms.removeIf(term -> {
            boolean code = CODE.matcher(term).find();
            if (code) {
                codeTerms.add(term);
            }
            return code;
        });
        Set<String> plainWords = new HashSet<>(List.of(lower.split("[^\\p{L}\\p{N}]+")));
        return new Features(negated, numbers, keyTerms, codeTerms, polar, sides, plainWords);
    }

    private static Set<String> contentWords(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.split("[^\\p{L}\\p{N}_]+")) {
            if (w.length() > 1 && !STOPWORDS.contains(w)) {
                words.add(ALIASES.getOrDefault(w, w));
            }
        }
        return words;
    }

    /**
     * Identifiers and names: anything with a digit, underscore, dot, slash, colon, hash or inner capital
     * ({@code pg_dump}, {@code heapq.heappush}, {@code SIGTERM}, {@code IPv6}, {@code --force}), or a capitalised
     * word that does not start the sentence ({@code Redis}, {@code SQLite}).
     */
    private static boolean isKeyTerm(String raw, boolean sentenceStart) {
        if (raw.chars().anyMatch(Character::isDigit) && !NUMBER.matcher(raw).matches()) {
            return true;
        }
        if (raw.contains("_") || raw.contains("/") || raw.contains(":") || raw.contains("#") || raw.contains("-")
                || (raw.contains(".") && raw.length() > 2)) {
            return true;
        }
        boolean innerCapital = raw.substring(1).chars().anyMatch(Character::isUpperCase);
        if (innerCapital) {
            return true;
        }
        return Character.isUpperCase(raw.charAt(0)) && raw.length() > 1 && !sentenceStart
                && !SENTENCE_STARTERS.contains(raw.toLowerCase(Locale.ROOT));
    }

    private static String trimPunctuation(String word) {
        int end = word.length();
        while (end > 0 && ".,:;'/-#+".indexOf(word.charAt(end - 1)) >= 0) {
            end--;
        }
        return word.substring(0, end);
    }
}
