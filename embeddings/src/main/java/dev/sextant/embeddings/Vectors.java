package dev.sextant.embeddings;

/** Small vector helpers shared by embedders and stores. */
public final class Vectors {

    private Vectors() {
    }

    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
        }
        float sum = 0f;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    public static float cosine(float[] a, float[] b) {
        float norms = (float) Math.sqrt(dot(a, a) * (double) dot(b, b));
        return norms == 0f ? 0f : dot(a, b) / norms;
    }

    /** Scales {@code v} to unit length in place; a zero vector stays zero. */
    public static float[] normalizeInPlace(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }
}
