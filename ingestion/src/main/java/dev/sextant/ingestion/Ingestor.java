package dev.sextant.ingestion;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.chunk.DocumentSplitter;
import dev.sextant.rag.document.Document;
import dev.sextant.rag.document.DocumentLoadException;
import dev.sextant.rag.document.DocumentLoader;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.document.LoadRequest;
import dev.sextant.rag.store.ChunkStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Loads, splits, embeds and stores documents. Unchanged documents (same content hash) are skipped; a changed
 * document's chunks are replaced as a whole. A file that fails is reported and skipped; the others go on.
 */
public final class Ingestor {

    private static final Logger LOG = Logger.getLogger(Ingestor.class);
    private static final int DOCUMENTS_PER_WRITE = 32;

    private final DocumentLoader loader;
    private final DocumentSplitter splitter;
    private final EmbeddingModel embeddings;
    private final ChunkStore store;

    public Ingestor(DocumentLoader loader, DocumentSplitter splitter, EmbeddingModel embeddings, ChunkStore store) {
        this.loader = loader;
        this.splitter = splitter;
        this.embeddings = embeddings;
        this.store = store;
    }

    private record Found(Path file, String source, long bytes) {
    }

    public IngestReport ingest(IngestRequest request) {
        return ingest(request, IngestProgress.Listener.NONE);
    }

    public IngestReport ingest(IngestRequest request, IngestProgress.Listener listener) {
        long start = System.nanoTime();
        SourceFilter filter = new SourceFilter(request.includes(), request.excludes());
        List<Found> files = new ArrayList<>();
        for (Path root : request.roots()) {
            files.addAll(discover(root, filter));
        }
        long bytesTotal = files.stream().mapToLong(Found::bytes).sum();
        long bytesDone = 0;
        Map<String, String> stored = store.documents(new ChunkStore.DocumentListingRequest(request.tenant()))
                .hashBySource();
        List<IngestReport.Failure> failures = new ArrayList<>();
        List<ChunkStore.DocumentChunks> pending = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> replaced = new ArrayList<>();
        int ingested = 0;
        int unchanged = 0;
        int written = 0;
        int removed = 0;
        for (int i = 0; i < files.size(); i++) {
            Found found = files.get(i);
            seen.add(found.source());
            bytesDone += found.bytes();
            try {
                Document doc = loader.load(new LoadRequest(found.file(), found.source()));
                if (doc.isBlank()) {
                    throw new DocumentLoadException(found.file() + ": no text");
                }
                if (doc.contentHash().equals(stored.get(found.source()))) {
                    unchanged++;
                } else if (request.dryRun()) {
                    written += splitter.split(new DocumentSplitter.SplitRequest(doc, request.tenant())).size();
                    ingested++;
                } else {
                    pending.add(embed(doc, request.tenant()));
                    ingested++;
                    if (stored.containsKey(found.source())) {
                        replaced.add(found.source());
                    }
                }
            } catch (DocumentLoadException e) {
                failures.add(new IngestReport.Failure(found.file().toString(), e.getMessage()));
                LOG.warnf("skipped %s", e.getMessage());
            }
            if (pending.size() >= DOCUMENTS_PER_WRITE) {
                var result = store.replace(new ChunkStore.ReplaceRequest(pending));
                written += result.chunksWritten();
                removed += result.chunksRemoved();
                pending.clear();
                LOG.infof("ingest progress: %d/%d files", i + 1, files.size());
            }
            int pendingChunks = pending.stream().mapToInt(d -> d.chunks().size()).sum();
            listener.onProgress(new IngestProgress(i + 1, files.size(), written + pendingChunks, bytesDone,
                    bytesTotal, System.nanoTime() - start));
        }
        if (!pending.isEmpty()) {
            var result = store.replace(new ChunkStore.ReplaceRequest(pending));
            written += result.chunksWritten();
            removed += result.chunksRemoved();
        }
        int deleted = 0;
        if (request.deleteMissing()) {
            List<String> gone = stored.keySet().stream().filter(source -> !seen.contains(source)).sorted().toList();
            deleted = gone.size();
            if (!gone.isEmpty() && !request.dryRun()) {
                removed += store.delete(new ChunkStore.DeleteRequest(request.tenant(), gone)).chunksRemoved();
                replaced.addAll(gone);
            }
        }
        return new IngestReport(ingested, unchanged, deleted, written, removed, failures, request.dryRun(),
                replaced);
    }

    private ChunkStore.DocumentChunks embed(Document doc, String tenant) {
        List<Chunk> chunks = splitter.split(new DocumentSplitter.SplitRequest(doc, tenant));
        List<String> texts = chunks.stream().map(Chunk::embeddingText).toList();
        List<float[]> vectors = texts.isEmpty() ? List.of() : embeddings.embed(new EmbeddingRequest(texts)).vectors();
        List<ChunkStore.EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            embedded.add(new ChunkStore.EmbeddedChunk(chunks.get(i), vectors.get(i)));
        }
        return new ChunkStore.DocumentChunks(tenant, doc.source(), doc.contentHash(), embedded);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // reported when the loader fails to read it
        }
    }

    private static List<Found> discover(Path root, SourceFilter filter) {
        if (!Files.exists(root)) {
            throw new IngestPathException("path does not exist: " + root);
        }
        if (!Files.isReadable(root)) {
            throw new IngestPathException("path is not readable: " + root);
        }
        if (Files.isRegularFile(root)) {
            return List.of(new Found(root, root.getFileName().toString(), size(root)));
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> new Found(p, root.relativize(p).toString().replace('\\', '/'), size(p)))
                    // Without --include only the types the loader reads are picked up; an explicitly included
                    // file of another type is attempted and reported.
                    .filter(f -> filter.hasIncludes() ? filter.accepts(f.source())
                            : FileTypeDocumentLoader.isSupported(f.file()) && filter.accepts(f.source()))
                    .sorted((a, b) -> a.source().compareTo(b.source()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        } catch (UncheckedIOException e) {
            throw new IngestPathException("cannot list " + root + ": " + e.getCause().getMessage());
        }
    }
}
