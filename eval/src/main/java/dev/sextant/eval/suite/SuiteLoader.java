package dev.sextant.eval.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a suite file and checks it before anything runs: unknown fields (typos), wrong types, missing files, bad
 * values and unknown metric names are reported as {@code file:line: field: what is wrong}.
 */
public final class SuiteLoader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private SuiteLoader() {
    }

    /** A checked suite: its definition and the directory its relative paths start from. */
    public record LoadedSuite(SuiteDefinition definition, Path file, Path directory) {
        public Path path(String relative) {
            return SuiteDefinition.resolve(directory, relative);
        }
    }

    public static LoadedSuite load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SuiteException(file + ": cannot read the suite file: " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new SuiteException(file + ": the suite file is empty");
        }
        Map<String, Integer> lines = lineIndex(text);
        SuiteDefinition definition;
        try {
            definition = YAML.readValue(text, SuiteDefinition.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (expected one of " + e.getKnownPropertyIds()
                    .stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new SuiteException(where(file, lines, e) + " " + path(e) + ": unknown field '"
                    + e.getPropertyName() + "'" + known, e);
        } catch (JsonMappingException e) {
            throw new SuiteException(where(file, lines, e) + " " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new SuiteException(where(file, e.getLocation()) + " not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (definition == null) {
            throw new SuiteException(file + ": the suite file is empty");
        }
        Path directory = file.toAbsolutePath().getParent();
        new SuiteChecks(file, lines, directory).check(definition);
        return new LoadedSuite(definition, file, directory);
    }

    private static String where(Path file, JsonLocation location) {
        return location == null ? file + ":" : file + ":" + location.getLineNr() + ":";
    }

    /** The line of the field at fault, from the index (the parser's own location can be past it). */
    private static String where(Path file, Map<String, Integer> lines, JsonMappingException e) {
        String dotted = e.getPath().stream().filter(r -> r.getFieldName() != null).map(r -> r.getFieldName())
                .collect(Collectors.joining("."));
        Integer line = lines.get(dotted);
        return line != null ? file + ":" + line + ":" : where(file, e.getLocation());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The line of every field, by dotted path ({@code load.rates}, {@code thresholds.latency.total.p99_ms}). */
    static Map<String, Integer> lineIndex(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Boolean> inObject = new ArrayDeque<>();
            String pending = null;
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = parser.currentName();
                        List<String> parts = new java.util.ArrayList<>(path);
                        java.util.Collections.reverse(parts);
                        parts.add(pending);
                        lines.putIfAbsent(String.join(".", parts), parser.currentLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (pending != null) {
                            path.push(pending);
                            inObject.push(true);
                        } else {
                            inObject.push(false);
                        }
                        pending = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (!inObject.isEmpty() && inObject.pop()) {
                            path.pop();
                        }
                    }
                    default -> pending = null;
                }
            }
        } catch (IOException e) {
            // the mapper reported the syntax error already; without an index, messages name no line
        }
        return lines;
    }
}
