package dev.sextant.rag.store;

import dev.sextant.embeddings.Vectors;
import dev.sextant.rag.chunk.Chunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Brute-force search over every chunk in memory (cosine, BM25, or both fused), persisted to one file in the data dir.
 * Exact and simple; fine up to some ten thousand chunks. Another process (the ingest CLI) may write the file while a server reads it:
 * writes take a file lock and replace the file atomically, and readers reload when the file changed.
 */
public final class ExactCosineChunkStore implements ChunkStore {

    private final Path file;
    private final Path lockFile;
    private final int dimension;
    private List<ChunkFile.Entry> entries = List.of();
    private FileTime loadedModified;
    private long loadedSize = -1;

    public ExactCosineChunkStore(Path directory, int dimension) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store directory " + directory, e);
        }
        this.file = directory.resolve("chunks.bin");
        this.lockFile = directory.resolve("chunks.lock");
        this.dimension = dimension;
        reloadIfChanged();
    }

    @Override
    public synchronized ReplaceResult replace(ReplaceRequest request) {
        request.check(dimension, "store");
        return underWriteLock(() -> {
            Set<String> replaced = new HashSet<>();
            request.documents().forEach(d -> replaced.add(key(d.tenant(), d.source())));
            List<ChunkFile.Entry> kept = new ArrayList<>();
            int removed = 0;
            for (ChunkFile.Entry e : entries) {
                if (replaced.contains(key(e.chunk().tenant(), e.chunk().source()))) {
                    removed++;
                } else {
                    kept.add(e);
                }
            }
            int written = 0;
            for (DocumentChunks doc : request.documents()) {
                for (EmbeddedChunk c : doc.chunks()) {
                    kept.add(new ChunkFile.Entry(c.chunk(), Vectors.normalizeInPlace(c.vector().clone())));
                    written++;
                }
            }
            entries = kept;
            return new ReplaceResult(request.documents().size(), written, removed);
        });
    }

    @Override
    public synchronized DeleteResult delete(DeleteRequest request) {
        Set<String> gone = new HashSet<>(request.sources());
        return underWriteLock(() -> {
            List<ChunkFile.Entry> kept = new ArrayList<>(entries.size());
            for (ChunkFile.Entry e : entries) {
                if (!(e.chunk().tenant().equals(request.tenant()) && gone.contains(e.chunk().source()))) {
                    kept.add(e);
                }
            }
            int removed = entries.size() - kept.size();
            entries = kept;
            return new DeleteResult(removed);
        });
    }

    @Override
    public SearchResult search(SearchRequest request) {
        List<ChunkFile.Entry> tenantEntries = new ArrayList<>();
        synchronized (this) {
            reloadIfChanged();
            for (ChunkFile.Entry e : entries) {
                if (e.chunk().tenant().equals(request.tenant())) {
                    tenantEntries.add(e);
                }
            }
        }
        return new SearchResult(switch (request.mode()) {
            case DENSE -> dense(tenantEntries, request, request.topK());
            case KEYWORD -> keyword(tenantEntries, request, request.topK());
            // Each list is cut deeper than topK so fusion can promote chunks ranked well by only one of them.
            case HYBRID -> RankFusion.fuse(List.of(dense(tenantEntries, request, request.topK() * 4),
                    keyword(tenantEntries, request, request.topK() * 4)), RankFusion.DEFAULT_K, request.topK());
        });
    }

    private List<ScoredChunk> dense(List<ChunkFile.Entry> candidates, SearchRequest request, int topK) {
        request.checkDimension(dimension, "store");
        float[] query = Vectors.normalizeInPlace(request.queryVector().clone());
        PriorityQueue<ScoredChunk> best = new PriorityQueue<>(Comparator.comparingDouble(ScoredChunk::score));
        for (ChunkFile.Entry e : candidates) {
            double score = Vectors.dot(query, e.vector());
            if (score >= request.minScore()) {
                offer(best, new ScoredChunk(e.chunk(), score), topK);
            }
        }
        return descending(best);
    }

    private static List<ScoredChunk> keyword(List<ChunkFile.Entry> candidates, SearchRequest request, int topK) {
        double[] scores = Bm25Scorer.score(request.queryText(),
                candidates.stream().map(e -> e.chunk().keywordText()).toList());
        PriorityQueue<ScoredChunk> best = new PriorityQueue<>(Comparator.comparingDouble(ScoredChunk::score));
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > 0) {
                offer(best, new ScoredChunk(candidates.get(i).chunk(), scores[i]), topK);
            }
        }
        return descending(best);
    }

    private static void offer(PriorityQueue<ScoredChunk> best, ScoredChunk match, int topK) {
        if (best.size() < topK) {
            best.add(match);
        } else if (match.score() > best.peek().score()) {
            best.poll();
            best.add(match);
        }
    }

    private static List<ScoredChunk> descending(PriorityQueue<ScoredChunk> best) {
        List<ScoredChunk> ordered = new ArrayList<>(best);
        ordered.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
        return ordered;
    }

    @Override
    public synchronized DocumentListing documents(DocumentListingRequest request) {
        reloadIfChanged();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (ChunkFile.Entry e : entries) {
            if (e.chunk().tenant().equals(request.tenant())
                    && (request.sources().isEmpty() || request.sources().contains(e.chunk().source()))) {
                hashes.putIfAbsent(e.chunk().source(), Objects.toString(e.chunk().documentHash(), ""));
            }
        }
        return new DocumentListing(hashes);
    }

    /** Number of chunks of all tenants. */
    public synchronized int size() {
        reloadIfChanged();
        return entries.size();
    }

    private interface Mutation<T> {
        T apply();
    }

    private <T> T underWriteLock(Mutation<T> mutation) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                reloadIfChanged();
                T result = mutation.apply();
                ChunkFile.write(file, dimension, entries);
                rememberFileState();
                return result;
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chunk store " + file, e);
        }
    }

    private void reloadIfChanged() {
        try {
            if (!Files.exists(file)) {
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(loadedModified) && size == loadedSize) {
                return;
            }
            entries = ChunkFile.read(file, dimension);
            loadedModified = modified;
            loadedSize = size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chunk store " + file + ": " + e.getMessage(), e);
        }
    }

    private void rememberFileState() throws IOException {
        loadedModified = Files.getLastModifiedTime(file);
        loadedSize = Files.size(file);
    }

    private static String key(String tenant, String source) {
        return tenant + '\u0000' + source;
    }

    /** Chunks grouped by source, for tests and tools. */
    public synchronized Map<String, List<Chunk>> chunksBySource(String tenant) {
        reloadIfChanged();
        Map<String, List<Chunk>> out = new HashMap<>();
        for (ChunkFile.Entry e : entries) {
            if (e.chunk().tenant().equals(tenant)) {
                out.computeIfAbsent(e.chunk().source(), s -> new ArrayList<>()).add(e.chunk());
            }
        }
        return out;
    }
}
