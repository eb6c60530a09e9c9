package dev.sextant.inference.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON Schema {@code pattern} (or a {@code format} written as one) as an NFA over code points ({@link
 * PatternParser} builds it), run on all its states at once while a string is decoded. The subset: literals and escapes ({@code \d \w \s \D \W \S},
 * {@code \.} and the like), classes ({@code [a-z_]}, {@code [^"]}), {@code .}, groups ({@code (...)},
 * {@code (?:...)}), alternation, the quantifiers {@code * + ? {n} {n,} {n,m}}, and {@code ^}/{@code $} at the ends.
 * A pattern is unanchored, as JSON Schema says: without {@code ^} anything may come before a match, without
 * {@code $} anything after. Backreferences, lookaround, lazy quantifiers and Unicode classes are refused.
 */
final class StringPattern {

    /** Per state: the code point ranges it consumes (pairs lo, hi; null: none) and the state it leads to. */
    private final List<int[]> ranges;
    private final List<Integer> target;
    /** Per state: the states it reaches without consuming. */
    private final List<int[]> epsilon;
    private final int accept;
    private final Bits start;
    /** Fewest code points from each state to acceptance. */
    private int[] toAccept;

    StringPattern(List<int[]> ranges, List<Integer> target, List<int[]> epsilon, int startState, int accept) {
        this.ranges = ranges.stream().map(r -> r == null ? NONE : r).toList();
        this.target = List.copyOf(target);
        this.epsilon = List.copyOf(epsilon);
        this.accept = accept;
        long[] first = new long[words()];
        close(startState, first);
        this.start = new Bits(first);
        distances();
    }

    private static final int[] NONE = new int[0];

    /** @throws IllegalArgumentException naming what in the pattern is not supported */
    static StringPattern compile(String pattern) {
        return PatternParser.parse(pattern);
    }

    private int words() {
        return (ranges.size() + 63) >>> 6;
    }

    /** The NFA states before the first character. */
    Bits start() {
        return start;
    }

    /** The states after code point {@code cp}, or null when no match continues so. */
    Bits step(Bits states, int cp) {
        long[] next = new long[words()];
        boolean any = false;
        for (int s = states.bits.length == 0 ? -1 : states.nextSet(0); s >= 0; s = states.nextSet(s + 1)) {
            int[] r = ranges.get(s);
            if (r.length == 0) {
                continue;
            }
            for (int i = 0; i < r.length; i += 2) {
                if (cp >= r[i] && cp <= r[i + 1]) {
                    any |= close(target.get(s), next);
                    break;
                }
            }
        }
        return any ? new Bits(next) : null;
    }

    /**
     * Whether some character in {@code lo..hi} continues a match from {@code states} that can still be completed in
     * {@code budget} more characters (after it): decides a UTF-8 lead or continuation byte before the character is
     * whole.
     */
    boolean canStep(Bits states, int lo, int hi, int budget) {
        for (int s = states.nextSet(0); s >= 0; s = states.nextSet(s + 1)) {
            int[] r = ranges.get(s);
            if (r.length == 0 || toAccept[target.get(s)] > budget) {
                continue;
            }
            for (int i = 0; i < r.length; i += 2) {
                if (r[i] <= hi && r[i + 1] >= lo) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Fewest characters after one in {@code lo..hi} that completes a match from {@code states}. */
    int minCharsAfter(Bits states, int lo, int hi) {
        int best = Integer.MAX_VALUE;
        for (int s = states.nextSet(0); s >= 0; s = states.nextSet(s + 1)) {
            int[] r = ranges.get(s);
            if (r.length == 0) {
                continue;
            }
            for (int i = 0; i < r.length; i += 2) {
                if (r[i] <= hi && r[i + 1] >= lo) {
                    best = Math.min(best, toAccept[target.get(s)]);
                    break;
                }
            }
        }
        return best;
    }

    boolean accepts(Bits states) {
        return states.get(accept);
    }

    /** Fewest code points that complete a match from {@code states}. */
    int minChars(Bits states) {
        int best = Integer.MAX_VALUE;
        for (int s = states.nextSet(0); s >= 0; s = states.nextSet(s + 1)) {
            best = Math.min(best, toAccept[s]);
        }
        return best;
    }

    /** Adds {@code s} and every state it reaches by epsilon edges; true (the caller records that it moved). */
    private boolean close(int s, long[] into) {
        int[] todo = new int[16];
        int top = 0;
        todo[top++] = s;
        while (top > 0) {
            int t = todo[--top];
            if ((into[t >>> 6] & 1L << t) != 0) {
                continue;
            }
            into[t >>> 6] |= 1L << t;
            for (int u : epsilon.get(t)) {
                if (top == todo.length) {
                    todo = Arrays.copyOf(todo, top * 2);
                }
                todo[top++] = u;
            }
        }
        return true;
    }

    /** Fewest code points to acceptance: a breadth-first walk backwards, epsilon edges costing nothing. */
    private void distances() {
        int n = ranges.size();
        List<List<int[]>> into = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            into.add(new ArrayList<>());
        }
        for (int s = 0; s < n; s++) {
            for (int t : epsilon.get(s)) {
                into.get(t).add(new int[] {s, 0});
            }
            if (ranges.get(s).length > 0) {
                into.get(target.get(s)).add(new int[] {s, 1});
            }
        }
        toAccept = new int[n];
        Arrays.fill(toAccept, Integer.MAX_VALUE);
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        toAccept[accept] = 0;
        queue.add(accept);
        while (!queue.isEmpty()) {
            int t = queue.pollFirst();
            for (int[] e : into.get(t)) {
                int d = toAccept[t] + e[1];
                if (d < toAccept[e[0]]) {
                    toAccept[e[0]] = d;
                    if (e[1] == 0) {
                        queue.addFirst(e[0]);
                    } else {
                        queue.addLast(e[0]);
                    }
                }
            }
        }
    }

    /** An immutable set of NFA states, compared by content. */
    static final class Bits {
        final long[] bits;
        private final int hash;

        Bits(long[] bits) {
            this.bits = bits;
            this.hash = Arrays.hashCode(bits);
        }

        boolean get(int i) {
            return (i >>> 6) < bits.length && (bits[i >>> 6] & 1L << i) != 0;
        }

        int nextSet(int from) {
            for (int w = from >>> 6; w < bits.length; w++) {
                long word = bits[w] & (w == from >>> 6 ? -1L << from : -1L);
                if (word != 0) {
                    return (w << 6) + Long.numberOfTrailingZeros(word);
                }
            }
            return -1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bits b && hash == b.hash && Arrays.equals(bits, b.bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
