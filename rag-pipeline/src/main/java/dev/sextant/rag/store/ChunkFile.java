package dev.sextant.rag.store;

import dev.sextant.rag.chunk.Chunk;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Binary file format of {@link ExactCosineChunkStore}: a header, then chunks with their unit vectors. */
final class ChunkFile {

    private static final int MAGIC = 0x53585443; // "SXTC"
    private static final int VERSION = 1;

    record Entry(Chunk chunk, float[] vector) {
    }

    private ChunkFile() {
    }

    /** Writes to a temporary file, then renames it over the old one, so readers never see half a file. */
    static void write(Path file, int dimension, List<Entry> entries) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(dimension);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                Chunk c = e.chunk();
                writeString(out, c.id());
                writeString(out, c.tenant());
                writeString(out, c.source());
                writeString(out, c.title());
                out.writeInt(c.headingPath().size());
                for (String h : c.headingPath()) {
                    writeString(out, h);
                }
                writeString(out, c.text());
                out.writeInt(c.ordinal());
                writeString(out, c.documentHash() == null ? "" : c.documentHash());
                for (float f : e.vector()) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static List<Entry> read(Path file, int dimension) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a sextant chunk file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has format version " + version + ", expected " + VERSION);
            }
            int fileDimension = in.readInt();
            if (fileDimension != dimension) {
                throw new IOException(file + " holds " + fileDimension + "-dimensional vectors but the embedding "
                        + "model has " + dimension + "; re-ingest into a new data dir");
            }
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String id = readString(in);
                String tenant = readString(in);
                String source = readString(in);
                String title = readString(in);
                int headings = in.readInt();
                List<String> path = new ArrayList<>(headings);
                for (int h = 0; h < headings; h++) {
                    path.add(readString(in));
                }
                String text = readString(in);
                int ordinal = in.readInt();
                String hash = readString(in);
                float[] vector = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    vector[d] = in.readFloat();
                }
                entries.add(new Entry(new Chunk(id, tenant, source, title, path, text, ordinal, hash), vector));
            }
            return entries;
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (64 << 20)) {
            throw new IOException("corrupt chunk file: string length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
