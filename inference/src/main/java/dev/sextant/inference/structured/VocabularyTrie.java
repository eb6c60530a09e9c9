package dev.sextant.inference.structured;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary's byte strings as a trie laid out breadth-first (the children of a node are contiguous and node
 * {@code c + 1} is the child in slot {@code c}), for an allocation-free walk. Built once per model, shared by every
 * schema's {@link TokenMasker}.
 */
public final class VocabularyTrie {
    final byte[] label;
    final int[] firstChild;
    final int[] childCount;
    final int[] child;
    /** Tokens ending at node n: {@code tokens[tokenStart[n] .. tokenStart[n + 1])}. */
    final int[] tokenStart;
    final int[] tokens;
    final int depth;
    final int vocabularySize;

    public VocabularyTrie(TokenVocabulary vocabulary) {
        vocabularySize = vocabulary.size();
        // Build with maps, then lay out breadth-first.
        List<Map<Byte, Integer>> children = new ArrayList<>();
        List<List<Integer>> ending = new ArrayList<>();
        List<Byte> labels = new ArrayList<>();
        children.add(new HashMap<>());
        ending.add(new ArrayList<>());
        labels.add((byte) 0);
        int deepest = 0;
        for (int id = 0; id < vocabulary.size(); id++) {
            byte[] b = vocabulary.bytes(id);
            if (b == null || b.length == 0) {
                continue;
            }
            deepest = Math.max(deepest, b.length);
            int n = 0;
            for (byte x : b) {
                Integer next = children.get(n).get(x);
                if (next == null) {
                    next = children.size();
                    children.add(new HashMap<>());
                    ending.add(new ArrayList<>());
                    labels.add(x);
                    children.get(n).put(x, next);
                }
                n = next;
            }
            ending.get(n).add(id);
        }
        int count = children.size();
        label = new byte[count];
        firstChild = new int[count];
        childCount = new int[count];
        child = new int[Math.max(1, count - 1)];
        tokenStart = new int[count + 1];
        int[] order = new int[count];
        int head = 0;
        int tail = 1;
        order[0] = 0;
        int childSlots = 0;
        // Breadth-first renumbering: node order[i] becomes i.
        while (head < tail) {
            int old = order[head];
            List<Map.Entry<Byte, Integer>> kids = new ArrayList<>(children.get(old).entrySet());
            kids.sort(Map.Entry.comparingByKey());
            firstChild[head] = childSlots;
            childCount[head] = kids.size();
            for (Map.Entry<Byte, Integer> k : kids) {
                order[tail++] = k.getValue();
                childSlots++;
            }
            head++;
        }
        for (int i = 0; i < count; i++) {
            label[i] = labels.get(order[i]);
        }
        // Children of node i are the nodes firstChild[i] + 1 .. in breadth-first numbering.
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < childCount[i]; k++) {
                child[firstChild[i] + k] = firstChild[i] + k + 1;
            }
        }
        int total = 0;
        for (int i = 0; i < count; i++) {
            tokenStart[i] = total;
            total += ending.get(order[i]).size();
        }
        tokenStart[count] = total;
        tokens = new int[total];
        for (int i = 0; i < count; i++) {
            List<Integer> ids = ending.get(order[i]);
            for (int k = 0; k < ids.size(); k++) {
                tokens[tokenStart[i] + k] = ids.get(k);
            }
        }
        depth = deepest;
    }
}
