package dev.sextant.inference.structured;

/** A JSON Schema that constrained decoding cannot honour; the message names the keyword and where it is. */
public final class UnsupportedSchemaException extends IllegalArgumentException {

    private final String location;

    public UnsupportedSchemaException(String location, String problem) {
        super((location.isEmpty() ? "schema" : "schema at " + location) + ": " + problem);
        this.location = location;
    }

    /** JSON pointer into the schema; "" for the schema as a whole. */
    public String location() {
        return location;
    }
}
