package dev.zbatch.request;

import dev.zbatch.input.InputRow;
import dev.zbatch.provider.pixazo.PixazoModels;
import dev.zbatch.provider.segmind.SegmindModels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoundedSizesTest {

    private static RowPlan plan(ModelSpec spec, long line, String width, String height) {
        return new RequestBuilder(spec, Map.of(), "prompt", null, "id", 10_000)
                .plan(new InputRow(line - 1, line, Map.of("prompt", "a lamp", "width", width, "height", height)));
    }

    @Test
    void namesTheRowsOffTheGridAndWhatTheyWillProbablyGet() {
        RoundedSizes sizes = new RoundedSizes(SegmindModels.TURBO);
        sizes.note(plan(SegmindModels.TURBO, 2, "1024", "768"));
        sizes.note(plan(SegmindModels.TURBO, 3, "1000", "1000"));
        sizes.note(plan(SegmindModels.TURBO, 4, "1024", "1030"));

        assertThat(sizes.rows()).isEqualTo(2);
        assertThat(sizes.warning()).startsWith("2 rows ask for a size off segmind z-image-turbo's grid of 16 pixels")
                .contains("(line 3: 1000x1000 → 992x992, line 4: 1024x1030 → 1024x1024)")
                .contains("zbatch.collect.on-mismatch");
    }

    @Test
    void sizesOnTheGridAndRejectedRowsAndNamedSizesWarnOfNothing() {
        RoundedSizes sizes = new RoundedSizes(SegmindModels.TURBO);
        sizes.note(plan(SegmindModels.TURBO, 2, "512", "512"));
        sizes.note(plan(SegmindModels.TURBO, 3, "100", "1000")); // rejected: below the range
        RoundedSizes named = new RoundedSizes(PixazoModels.TURBO);
        named.note(plan(PixazoModels.TURBO, 2, "1000", "1000"));

        assertThat(sizes.warning()).isNull();
        assertThat(named.warning()).isNull();
    }
}
