package dev.sextant.router.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.inference.api.TokenStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CitationMarkersTest {

    /** What a client is sent, delta by delta. */
    static final class Client implements TokenStream {
        final List<String> deltas = new ArrayList<>();

        @Override
        public void onText(String delta) {
            deltas.add(delta);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        String text() {
            return String.join("", deltas);
        }
    }

    private static CitationMarkers stream(int passages, Client client, String... deltas) {
        CitationMarkers markers = new CitationMarkers(passages, client);
        for (String d : deltas) {
            markers.onText(d);
        }
        markers.finish();
        return markers;
    }

    @Test
    void validMarkersPassAndAreRecorded() {
        Client client = new Client();
        CitationMarkers m = stream(3, client, "Run VACUUM [2]. It reclaims space [1, 3].");
        assertThat(client.text()).isEqualTo("Run VACUUM [2]. It reclaims space [1, 3].");
        assertThat(m.text()).isEqualTo(client.text());
        assertThat(m.cited()).containsExactly(2, 1, 3);
    }

    @Test
    void markersPointingNowhereAreRemovedWithTheirSpace() {
        Client client = new Client();
        CitationMarkers m = stream(3, client, "Run VACUUM [7]. It reclaims [0] space [2, 9][4][3].");
        assertThat(client.text()).isEqualTo("Run VACUUM. It reclaims space [2][3].");
        assertThat(m.cited()).containsExactly(2, 3);
    }

    @Test
    void anIncompleteMarkerIsHeldBackUntilItCloses() {
        Client client = new Client();
        CitationMarkers m = new CitationMarkers(2, client);
        m.onText("Use it [");
        assertThat(client.text()).isEqualTo("Use it");
        m.onText("1");
        m.onText(",");
        assertThat(client.text()).as("nothing of the marker is sent before it closes").isEqualTo("Use it");
        m.onText(" 5");
        m.onText("]. Then [");
        assertThat(client.text()).isEqualTo("Use it [1]. Then");
        m.onText("8] done");
        m.finish();
        assertThat(client.text()).isEqualTo("Use it [1]. Then done");
        assertThat(client.deltas).noneMatch(d -> d.contains("5") || d.contains("8"));
    }

    @Test
    void bracketsThatAreNoMarkersPassUntouched() {
        Client client = new Client();
        CitationMarkers m = stream(2, client, "Use arr[0] and m[12][3], see [note] or [", "x] and [1.5] [ ");
        assertThat(client.text()).isEqualTo("Use arr[0] and m[12][3], see [note] or [x] and [1.5] [ ");
        assertThat(m.cited()).isEmpty();
        Client end = new Client();
        assertThat(stream(2, end, "It ends with [1").text()).isEqualTo("It ends with [1");
        assertThat(end.text()).as("held text is released at the end").isEqualTo("It ends with [1");
    }

    @Test
    void citationsListTheCitedFirstAndMarkTheRestAsContextOnly() {
        CitationMarkers m = stream(3, new Client(), "B [3], then A [1] and B again [3].");
        List<Citation> given = List.of(citation(1), citation(2), citation(3));
        assertThat(m.order(given)).extracting(Citation::index, Citation::cited)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, true),
                        org.assertj.core.groups.Tuple.tuple(1, true), org.assertj.core.groups.Tuple.tuple(2, false));
    }

    private static Citation citation(int index) {
        return new Citation(index, "s" + index + ".html", "c" + index, 0.5, "T", "text", false);
    }
}
