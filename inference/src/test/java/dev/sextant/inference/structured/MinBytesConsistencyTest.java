package dev.sextant.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the budget rests on: {@link JsonState#minBytes} is exact. From every state a random walk of bytes reaches,
 * some next byte lowers it by one (so a document can always be closed in that many bytes), none lowers it by more,
 * and no state is a dead end before the document is complete.
 */
class MinBytesConsistencyTest {

    @Test
    void theShortestCompletionShrinksByOneByteAtATime() throws Exception {
        Random random = new Random(11);
        for (String schemaJson : JsonConstraintTest.SCHEMAS) {
            SchemaNode root = JsonSchemaCompiler.compile(new ObjectMapper().readTree(schemaJson));
            for (int run = 0; run < 60; run++) {
                JsonState s = JsonState.start(root);
                StringBuilder text = new StringBuilder();
                for (int step = 0; step < 240 && !s.finished(); step++) {
                    int best = Integer.MAX_VALUE;
                    List<Integer> next = new ArrayList<>();
                    for (int b = 0; b < 256; b++) {
                        JsonState t = s.advance(b);
                        if (t != null) {
                            best = Math.min(best, t.minBytes());
                            next.add(b);
                        }
                    }
                    if (next.isEmpty()) {
                        assertThat(s.complete()).as("dead end after [%s] under %s", text, schemaJson).isTrue();
                        break;
                    }
                    if (!s.complete()) {
                        assertThat(best).as("after [%s] under %s", text, schemaJson).isEqualTo(s.minBytes() - 1);
                    }
                    int b = next.get(random.nextInt(next.size()));
                    text.append(b < 0x80 ? String.valueOf((char) b) : String.format("<%02x>", b));
                    s = s.advance(b);
                }
            }
        }
    }
}
