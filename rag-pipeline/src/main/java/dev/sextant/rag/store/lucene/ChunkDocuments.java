package dev.sextant.rag.store.lucene;

import dev.sextant.rag.chunk.Chunk;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
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
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** How a chunk is laid out as a Lucene document, and the queries over that layout. */
final class ChunkDocuments {

    static final String ID = "id";
    static final String TENANT = "tenant";
    static final String SOURCE = "source";
    /** Stored, and analyzed like the body so keyword search can weight a match in the page title. */
    static final String TITLE = "title";
    /**
     * One stored value per heading, outermost first (stored fields keep the order of values); analyzed like the
     * body so keyword search can weight a match in the headings.
     */
    static final String HEADING = "heading";
    static final String TEXT = "text";
    static final String ORDINAL = "ordinal";
    static final String DOCUMENT_HASH = "documentHash";
    static final String VECTOR = "vector";
    /** {@link Chunk#keywordText()}, analyzed for BM25; not stored, {@link #TEXT} and the rest rebuild it. */
    static final String BODY = "body";
    /** {@link Chunk#keywordText()} again, as whole code identifiers ({@link IdentifierAnalyzer}); not stored. */
    static final String IDENTIFIER = "identifier";

    private ChunkDocuments() {
    }

    /** The analyzer of every analyzed field: {@link ChunkAnalyzer}, and {@link IdentifierAnalyzer} for identifiers. */
    static Analyzer analyzer() {
        return new PerFieldAnalyzerWrapper(new ChunkAnalyzer(), Map.of(IDENTIFIER, new IdentifierAnalyzer()));
    }

    static Document toDocument(Chunk chunk, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
        doc.add(new StringField(TENANT, chunk.tenant(), Field.Store.YES));
        doc.add(new StringField(SOURCE, chunk.source(), Field.Store.YES));
        // Doc values let documents() read source and hash per chunk without loading stored fields.
        doc.add(new SortedDocValuesField(SOURCE, new BytesRef(chunk.source())));
        if (chunk.title() != null) {
            doc.add(new TextField(TITLE, chunk.title(), Field.Store.YES));
        }
        for (String heading : chunk.headingPath()) {
            doc.add(new TextField(HEADING, heading, Field.Store.YES));
        }
        doc.add(new StoredField(TEXT, chunk.text()));
        doc.add(new StoredField(ORDINAL, chunk.ordinal()));
        if (chunk.documentHash() != null) {
            doc.add(new StoredField(DOCUMENT_HASH, chunk.documentHash()));
        }
        doc.add(new SortedDocValuesField(DOCUMENT_HASH, new BytesRef(hashOrEmpty(chunk.documentHash()))));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        String keywordText = chunk.keywordText();
        doc.add(new TextField(BODY, keywordText, Field.Store.NO));
        doc.add(new TextField(IDENTIFIER, keywordText, Field.Store.NO));
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
}
