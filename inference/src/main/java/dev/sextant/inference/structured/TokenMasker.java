package dev.sextant.inference.structured;

import java.util.HashMap;
import java.util.Map;

/**
 * Which tokens may come next under a schema: a walk of a trie of the vocabulary's byte strings from the current
 * {@link JsonState}, pruned at the first byte no document continues with. States are interned per masker, each with
 * its byte transitions and its mask cached, so a state met again (the middle of a string, the same key of the next
 * array item) costs a lookup. One masker per compiled schema; not thread-safe (the engine steps on one thread).
 */
public final class TokenMasker {

    /** States and mask bytes one masker keeps at most; past either, its cache starts over. */
    static final int MAX_STATES = 8_192;
    static final long MAX_MASK_BYTES = 16L << 20;

    private final VocabularyTrie trie;
    private final int vocabularySize;
    private final JsonState startState;
    private final int maxStates;
    private final long maxMaskBytes;
    /**
     * The current generation of the cache. Nodes link to the nodes after them, so starting over means a new map and
     * a new start node: the old graph is then held only by the sequences still on it, and goes with them.
     */
    private Map<JsonState, Node> interned = new HashMap<>();
    private Node start;
    private long maskBytes;
    private int generations = 1;

    /** One interned state: its transitions by byte, its mask once computed. */
    static final class Node {
        final JsonState state;
        final int minBytes;
        private final Node[] next = new Node[256];
        private long[] mask;
        /** The largest and the smallest {@code minBytes} of the states the allowed tokens lead to. */
        private int maxMinBytesAfter;
        private int minMinBytesAfter = Integer.MAX_VALUE;

        Node(JsonState state) {
            this.state = state;
            this.minBytes = state.minBytes();
        }

        public boolean complete() {
            return state.complete();
        }
    }

    /** Stands for "no document continues so" in {@link Node#next}. */
    private static final Node DEAD = new Node(JsonState.start(new SchemaNode.NumberSchema(true)));

    public TokenMasker(SchemaNode root, VocabularyTrie trie) {
        this(root, trie, MAX_STATES, MAX_MASK_BYTES);
    }

    TokenMasker(SchemaNode root, VocabularyTrie trie, int maxStates, long maxMaskBytes) {
        this.trie = trie;
        this.vocabularySize = trie.vocabularySize;
        this.startState = JsonState.start(root);
        this.maxStates = maxStates;
        this.maxMaskBytes = maxMaskBytes;
        this.start = intern(startState);
    }

    /** Where a new sequence starts: the current generation's start node. */
    public Node start() {
        return start;
    }

    /** How many times the cache has started (1 until a bound was first reached). */
    int generations() {
        return generations;
    }

    /** The node after {@code bytes} from {@code from}, or null when no document continues so. */
    public Node advance(Node from, byte[] bytes) {
        Node node = from;
        for (int i = 0; i < bytes.length && node != null; i++) {
            node = step(node, bytes[i] & 0xFF);
        }
        return node;
    }

    Node step(Node from, int b) {
        Node known = from.next[b];
        if (known == null) {
            JsonState s = from.state.advance(b);
            known = s == null ? DEAD : intern(s);
            from.next[b] = known;
        }
        return known == DEAD ? null : known;
    }

    private Node intern(JsonState state) {
        if (interned.size() >= maxStates || maskBytes > maxMaskBytes) {
            interned = new HashMap<>();
            maskBytes = 0;
            generations++;
            start = new Node(startState);
            interned.put(startState, start);
        }
        return interned.computeIfAbsent(state, Node::new);
    }

    /**
     * The tokens allowed after {@code node} (a bit per token id over {@link TokenVocabulary#size()}), such that the
     * document can still be completed within {@code tokensLeft - 1} more tokens (a byte a token at worst). When no
     * token fits the budget, the budget is ignored (the grammar alone decides), so the mask is empty only when the
     * document is finished.
     */
    public long[] allowed(Node node, int tokensLeft) {
        if (node.mask == null) {
            node.mask = walk(node, Integer.MAX_VALUE);
            maskBytes += node.mask.length * 8L;
        }
        long budget = tokensLeft - 1L;
        if (budget >= node.maxMinBytesAfter || budget < node.minMinBytesAfter) {
            // Every allowed token fits the budget, or none does (then the grammar alone decides).
            return node.mask;
        }
        long[] tight = walk(node, (int) Math.max(0, budget));
        for (long w : tight) {
            if (w != 0) {
                return tight;
            }
        }
        return node.mask;
    }

    /** Tokens whose bytes lead from {@code node} to a state completable within {@code budget} bytes. */
    private long[] walk(Node node, int budget) {
        long[] mask = new long[(vocabularySize + 63) >>> 6];
        int maxAfter = 0;
        int minAfter = Integer.MAX_VALUE;
        int[] trieStack = new int[trie.depth + 1];
        Node[] nodeStack = new Node[trie.depth + 1];
        int[] childIndex = new int[trie.depth + 1];
        int top = 0;
        trieStack[0] = 0;
        nodeStack[0] = node;
        childIndex[0] = trie.firstChild[0];
        while (top >= 0) {
            int t = trieStack[top];
            int c = childIndex[top];
            if (c >= trie.firstChild[t] + trie.childCount[t]) {
                top--;
                continue;
            }
            childIndex[top] = c + 1;
            int child = trie.child[c];
            Node after = step(nodeStack[top], trie.label[child] & 0xFF);
            if (after == null) {
                continue;
            }
            if (after.minBytes <= budget) {
                for (int k = trie.tokenStart[child]; k < trie.tokenStart[child + 1]; k++) {
                    int id = trie.tokens[k];
                    mask[id >>> 6] |= 1L << id;
                    maxAfter = Math.max(maxAfter, after.minBytes);
                    minAfter = Math.min(minAfter, after.minBytes);
                }
            }
            if (trie.childCount[child] > 0) {
                top++;
                trieStack[top] = child;
                nodeStack[top] = after;
                childIndex[top] = trie.firstChild[child];
            }
        }
        if (budget == Integer.MAX_VALUE) {
            node.maxMinBytesAfter = maxAfter;
            node.minMinBytesAfter = minAfter;
        }
        return mask;
    }
}
