package dev.sextant.router.rest.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Adds {@code null} to the {@code enum} of a nullable schema. SmallRye OpenAPI writes {@code nullable = true} as
 * OpenAPI 3.1's {@code "type": ["string", "null"]} but leaves the enumeration as it was, and JSON Schema checks
 * {@code enum} whatever the type: a stream chunk's {@code "finish_reason": null} would fail a validating client.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class NullableEnums implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        List<Schema.SchemaType> types = schema.getType();
        List<Object> values = schema.getEnumeration();
        if (types != null && types.contains(Schema.SchemaType.NULL) && values != null && !values.contains(null)) {
            List<Object> withNull = new ArrayList<>(values);
            withNull.add(null);
            schema.setEnumeration(withNull);
        }
        return schema;
    }
}
