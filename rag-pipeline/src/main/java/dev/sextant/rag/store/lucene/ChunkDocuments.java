package dev.sextant.rag.store.lucene;

import dev.sextant.rag.chunk.Chunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** How a chunk is laid out as a Lucene document, and the queries over that layout. */
final class ChunkDocuments {

    static final String ID = "id";
    static final String TENANT = "tenant";
    static final String SOURCE = "source";
    static final String TITLE = "title";
    /** One stored value per heading, outermost first: stored fields keep the order of values. */
    static final String HEADING = "heading";
    static final String TEXT = "text";
    static final String ORDINAL = "ordinal";
    static final String DOCUMENT_HASH = "documentHash";
    static final String VECTOR = "vector";
    /** {@link Chunk#keywordText()}, analyzed for BM25; not stored, {@link #TEXT} and the rest rebuild it. */
    static final String BODY = "body";

    private ChunkDocuments() {
    }

    static Document toDocument(Chunk chunk, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
        doc.add(new StringField(TENANT, chunk.tenant(), Field.Store.YES));
        doc.add(new StringField(SOURCE, chunk.source(), Field.Store.YES));
        // Doc values let documents() read source and hash per chunk without loading stored fields.
        doc.add(new SortedDocValuesField(SOURCE, new BytesRef(chunk.source())));
        if (chunk.title() != null) {
            doc.add(new StoredField(TITLE, chunk.title()));
        }
        for (String heading : chunk.headingPath()) {
            doc.add(new StoredField(HEADING, heading));
        }
        doc.add(new StoredField(TEXT, chunk.text()));
        doc.add(new StoredField(ORDINAL, chunk.ordinal()));
        if (chunk.documentHash() != null) {
            doc.add(new StoredField(DOCUMENT_HASH, chunk.documentHash()));
        }
        doc.add(new SortedDocValuesField(DOCUMENT_HASH, new BytesRef(hashOrEmpty(chunk.documentHash()))));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        doc.add(new TextField(BODY, chunk.keywordText(), Field.Store.NO));
        return doc;
    }

    static Chunk toChunk(Document doc) {
        return new Chunk(doc.get(ID), doc.get(TENANT), doc.get(SOURCE), doc.get(TITLE),
                List.of(doc.getValues(HEADING)), doc.get(TEXT), doc.getField(ORDINAL).numericValue().intValue(),
                doc.get(DOCUMENT_HASH));
    }

    /** The exact store lists a missing hash as "", so ingestion compares the same way against both stores. */
    static String hashOrEmpty(String hash) {
        return hash == null ? "" : hash;
    }

    static Query tenant(String tenant) {
        return new TermQuery(new Term(TENANT, tenant));
    }

    static Query tenantAndSources(String tenant, java.util.Collection<String> sources) {
        return new BooleanQuery.Builder()
                .add(tenant(tenant), Occur.FILTER)
                .add(new TermInSetQuery(SOURCE, sources.stream().map(BytesRef::new).toList()), Occur.FILTER)
                .build();
    }

    static Query tenantAndSource(String tenant, String source) {
        return new BooleanQuery.Builder()
                .add(tenant(tenant), Occur.FILTER)
                .add(new TermQuery(new Term(SOURCE, source)), Occur.FILTER)
                .build();
    }

    /**
     * BM25 over the body for any user text: the text goes through the index analyzer and every distinct term becomes
     * an optional clause, so characters QueryParser treats as syntax ({@code AND (}, {@code "}, {@code field:}) are
     * plain separators here and can never fail to parse. Returns {@code null} when no term survives analysis.
     */
    static Query keyword(Analyzer analyzer, String tenant, String text) {
        Set<String> terms = new LinkedHashSet<>();
        // Leave room for the tenant clause under the global clause limit; a longer query is not a search query.
        int maxTerms = IndexSearcher.getMaxClauseCount() - 1;
        try (TokenStream stream = analyzer.tokenStream(BODY, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < maxTerms) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyze query text", e);
        }
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        terms.forEach(t -> query.add(new TermQuery(new Term(BODY, t)), Occur.SHOULD));
        query.add(tenant(tenant), Occur.FILTER);
        // With a FILTER clause present, SHOULD clauses become optional: require at least one query term.
        query.setMinimumNumberShouldMatch(1);
        return query.build();
    }
}
