package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TextAssemblerTest {

    @Test
    void aStopStringEndingInACharacterStillArrivingIsNeverStreamed() {
        try (ChatTokenizer tokenizer = ChatTokenizer.load(TinyModel.dir())) {
            long[] euro = tokenizer.encode("€");
            assertThat(euro.length).as("the tiny vocabulary spells € in bytes").isGreaterThan(1);
            TextAssembler text = new TextAssembler(tokenizer, List.of("p€"), 8);
            StringBuilder streamed = new StringBuilder();
            LongStream.concat(LongStream.of(tokenizer.encode("hep")), LongStream.of(euro))
                    .forEach(id -> streamed.append(text.append(id)));
            streamed.append(text.finish());
            assertThat(text.stopped()).isTrue();
            assertThat(text.text()).isEqualTo("he");
            assertThat(streamed.toString()).as("the p was held back, not streamed and then taken back").isEqualTo("he");
        }
    }
}
