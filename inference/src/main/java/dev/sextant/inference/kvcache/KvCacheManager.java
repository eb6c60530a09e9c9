package dev.sextant.inference.kvcache;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.sextant.inference.model.DecoderConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The KV cache of all running sequences: per layer one key and one value buffer of shape
 * {@code [slots, kvHeads, maxSeqLen, headSize]}, allocated once. A sequence owns one row (slot). The graph's
 * GroupQueryAttention gets the same tensor as past input and as present output and writes each new token's keys and
 * values in place, so a decode step copies no cache.
 *
 * <p>Rows in use are always {@code 0..active-1}: a decode step runs over that prefix only. When a sequence leaves,
 * the last row moves into its place (one copy of the moved sequence's valid keys/values, not per step).
 *
 * <p>Not thread-safe: owned by the engine thread.
 */
public final class KvCacheManager implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final DecoderConfig config;
    private final int slots;
    private final int maxSeqLen;
    private final FloatBuffer[] keys;
    private final FloatBuffer[] values;
    private final OnnxTensor[][] keyPrefix;
    private final OnnxTensor[][] valuePrefix;
    private final OnnxTensor[][] keyRow;
    private final OnnxTensor[][] valueRow;
    private final int rowFloats;
    private int active;

    /** Bytes of cache one token takes across all layers (keys and values). */
    public static long bytesPerToken(DecoderConfig config) {
        return 2L * config.numLayers() * config.numKvHeads() * config.headSize() * Float.BYTES;
    }

    /**
     * As many slots of {@code maxSeqLen} tokens as fit in {@code budgetBytes}, at most {@code maxSlots}.
     *
     * @throws IllegalArgumentException if not even one sequence fits
     */
    public static KvCacheManager forBudget(DecoderConfig config, long budgetBytes, int maxSeqLen, int maxSlots) {
        long perSlot = bytesPerToken(config) * maxSeqLen;
        long fit = budgetBytes / perSlot;
        if (fit < 1) {
            throw new IllegalArgumentException("KV cache budget of " + budgetBytes + " bytes holds no sequence of "
                    + maxSeqLen + " tokens (" + perSlot + " bytes each)");
        }
        return new KvCacheManager(config, (int) Math.min(fit, maxSlots), maxSeqLen);
    }

    public KvCacheManager(DecoderConfig config, int slots, int maxSeqLen) {
        if (maxSeqLen > config.contextLength()) {
            throw new IllegalArgumentException("maxSeqLen " + maxSeqLen + " exceeds the model's context length "
                    + config.contextLength());
        }
        this.config = config;
        this.slots = slots;
        this.maxSeqLen = maxSeqLen;
        this.rowFloats = config.numKvHeads() * maxSeqLen * config.headSize();
        int layers = config.numLayers();
        this.keys = new FloatBuffer[layers];
        this.values = new FloatBuffer[layers];
        this.keyPrefix = new OnnxTensor[layers][slots + 1];
        this.valuePrefix = new OnnxTensor[layers][slots + 1];
        this.keyRow = new OnnxTensor[layers][slots];
        this.valueRow = new OnnxTensor[layers][slots];
        for (int layer = 0; layer < layers; layer++) {
            keys[layer] = allocate((long) slots * rowFloats);
            values[layer] = allocate((long) slots * rowFloats);
        }
    }

    private static FloatBuffer allocate(long floats) {
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("one layer's KV buffer would exceed 2 GiB; lower the slots or "
                    + "max sequence length");
        }
        return ByteBuffer.allocateDirect((int) (floats * Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    public int slots() {
        return slots;
    }

    public int maxSeqLen() {
        return maxSeqLen;
    }

    public int active() {
        return active;
    }

    public boolean hasFreeSlot() {
        return active < slots;
    }

    public long capacityBytes() {
        return bytesPerToken(config) * maxSeqLen * slots;
    }

    /** Takes the next free row; its previous contents are garbage and are overwritten by the prefill. */
    public int allocate() {
        if (!hasFreeSlot()) {
            throw new IllegalStateException("no free KV cache slot");
        }
        return active++;
    }

    /**
     * Frees {@code row}. If it was not the last row, the last row's first {@code lastRowLength} positions move into
     * it; the return value is the row that moved (its sequence now lives at {@code row}), or -1 if none moved.
     */
    public int free(int row, int lastRowLength) {
        if (row < 0 || row >= active) {
            throw new IllegalArgumentException("row " + row + " is not in use");
        }
        int last = active - 1;
        active--;
        if (row == last) {
            return -1;
        }
        int heads = config.numKvHeads();
        int headSize = config.headSize();
        int valid = lastRowLength * headSize;
        for (int layer = 0; layer < config.numLayers(); layer++) {
            for (FloatBuffer buffer : new FloatBuffer[] {keys[layer], values[layer]}) {
                for (int h = 0; h < heads; h++) {
                    int from = last * rowFloats + h * maxSeqLen * headSize;
                    int to = row * rowFloats + h * maxSeqLen * headSize;
                    buffer.put(to, buffer, from, valid);
                }
            }
        }
        return last;
    }

    /** Keys of rows {@code 0..count-1}, shaped {@code [count, kvHeads, maxSeqLen, headSize]}. */
    public OnnxTensor keysOfFirst(int layer, int count) {
        if (keyPrefix[layer][count] == null) {
            keyPrefix[layer][count] = view(keys[layer], 0, count);
        }
        return keyPrefix[layer][count];
    }

    public OnnxTensor valuesOfFirst(int layer, int count) {
        if (valuePrefix[layer][count] == null) {
            valuePrefix[layer][count] = view(values[layer], 0, count);
        }
        return valuePrefix[layer][count];
    }

    /** Keys of one row, shaped {@code [1, kvHeads, maxSeqLen, headSize]} (for a batch-of-one prefill). */
    public OnnxTensor keysOfRow(int layer, int row) {
        if (keyRow[layer][row] == null) {
            keyRow[layer][row] = view(keys[layer], row, 1);
        }
        return keyRow[layer][row];
    }

    public OnnxTensor valuesOfRow(int layer, int row) {
        if (valueRow[layer][row] == null) {
            valueRow[layer][row] = view(values[layer], row, 1);
        }
        return valueRow[layer][row];
    }

    /** Layer {@code layer}'s key storage; position p of head h in row r is at {@link #offset}. */
    public FloatBuffer keyBuffer(int layer) {
        return keys[layer];
    }

    public FloatBuffer valueBuffer(int layer) {
        return values[layer];
    }

    /** Index of {@code (row, head, position, 0)} in a layer's buffer. */
    public int offset(int row, int head, int position) {
        return row * rowFloats + (head * maxSeqLen + position) * config.headSize();
    }

    /** Reads one cached value, for tests. */
    public float keyAt(int layer, int row, int head, int position, int dim) {
        return keys[layer].get(row * rowFloats + (head * maxSeqLen + position) * config.headSize() + dim);
    }

    private OnnxTensor view(FloatBuffer buffer, int firstRow, int rows) {
        // slice() keeps native byte order for FloatBuffers (unlike ByteBuffer.slice()).
        FloatBuffer slice = buffer.slice(firstRow * rowFloats, rows * rowFloats);
        try {
            return OnnxTensor.createTensor(env, slice, new long[] {rows, config.numKvHeads(), maxSeqLen,
                config.headSize()});
        } catch (OrtException e) {
            throw new IllegalStateException("cannot wrap the KV cache buffer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (OnnxTensor[][] views : new OnnxTensor[][][] {keyPrefix, valuePrefix, keyRow, valueRow}) {
            for (OnnxTensor[] layer : views) {
                for (OnnxTensor t : layer) {
                    if (t != null) {
                        t.close();
                    }
                }
            }
        }
    }
}
