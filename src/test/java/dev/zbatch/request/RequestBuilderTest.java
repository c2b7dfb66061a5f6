package dev.zbatch.request;

import dev.zbatch.config.ConfigException;
import dev.zbatch.input.InputRow;
import dev.zbatch.provider.segmind.SegmindModels;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBuilderTest {

    private static InputRow row(String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) fields.put(keyValues[i], keyValues[i + 1]);
        return new InputRow(1, 2, fields);
    }

    private static RequestBuilder builder(Map<String, String> defaults, String template) {
        return new RequestBuilder(SegmindModels.TURBO, defaults, "prompt", template, "id", 10_000);
    }

    @Test
    void modelDefaultsThenJobDefaultsThenRowValues() {
        RequestBuilder b = builder(Map.of("width", "768", "image-format", "png"), null);

        ImageRequest r = b.plan(row("prompt", "a red fox", "height", "1024", "seed", "42")).request();

        assertThat(r.prompt()).isEqualTo("a red fox");
        assertThat(r.width()).isEqualTo(768);          // job default
        assertThat(r.height()).isEqualTo(1024);        // row
        assertThat(r.seed()).isEqualTo(42);            // row
        assertThat(r.steps()).isEqualTo(8);            // model default
        assertThat(r.imageFormat()).isEqualTo("png");  // job default, '-' read as '_'
    }

    @Test
    void emptyCellsDoNotOverride() {
        ImageRequest r = builder(Map.of(), null).plan(row("prompt", "x", "width", "", "height", "  ")).request();
        assertThat(r.width()).isEqualTo(1024);
        assertThat(r.height()).isEqualTo(1024);
    }

    @Test
    void outOfRangeValueIsRejectedNamingFieldAndRange() {
        RowPlan plan = builder(Map.of(), null).plan(row("prompt", "x", "width", "4096"));

        assertThat(plan.rejected()).isTrue();
        assertThat(plan.rejection().field()).isEqualTo("width");
        assertThat(plan.rejection().reason()).contains("4096").contains("256–2048").contains("segmind");
    }

    @Test
    void nonNumbersAndFractionsAreRejected() {
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "steps", "eight")).rejection().reason())
                .contains("'eight' is not a whole number");
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "height", "512.5")).rejection().field())
                .isEqualTo("height");
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "guidance_scale", "lots")).rejection().field())
                .isEqualTo("guidance_scale");
    }

    @Test
    void wholeNumbersWrittenAsDecimalsAreAccepted() {
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "width", "768.0")).request().width())
                .isEqualTo(768);
    }

    @Test
    void unknownFormatIsRejectedAndJpgMeansJpeg() {
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "image_format", "gif")).rejection().reason())
                .contains("'gif'");
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "image_format", "JPG")).request().imageFormat())
                .isEqualTo("jpeg");
    }

    @Test
    void emptyPromptIsRejected() {
        RowPlan plan = builder(Map.of(), null).plan(row("prompt", "   "));
        assertThat(plan.rejection()).isEqualTo(new Rejection("prompt", "the prompt is empty"));
    }

    @Test
    void moreThanOneImageIsRejectedForSegmind() {
        assertThat(builder(Map.of(), null).plan(row("prompt", "x", "num_images", "2")).rejection().field())
                .isEqualTo("num_images");
    }

    @Test
    void templateBuildsThePromptFromColumns() {
        RequestBuilder b = builder(Map.of(), "Studio photo of {title}, {color}, white background");

        RowPlan plan = b.plan(row("sku", "A1", "title", "Canvas tote", "color", "navy"));

        assertThat(plan.prompt()).isEqualTo("Studio photo of Canvas tote, navy, white background");
        assertThat(b.requiredColumns()).containsExactlyInAnyOrder("title", "color");
    }

    @Test
    void templateValuesAreNotExpandedAgain() {
        RowPlan plan = builder(Map.of(), "{title}").plan(row("title", "literal {color}", "color", "red"));
        assertThat(plan.prompt()).isEqualTo("literal {color}");
    }

    @Test
    void templateWithAnEmptyColumnRejectsTheRowNamingTheColumn() {
        RowPlan plan = builder(Map.of(), "Photo of {title}, {color}").plan(row("title", "Tote", "color", ""));

        assertThat(plan.rejection().field()).isEqualTo("color");
        assertThat(plan.rejection().reason()).contains("'color'");
    }

    @Test
    void idColumnGivesTheRowKeyElseTheLine() {
        assertThat(builder(Map.of(), null).plan(row("id", "sku-1", "prompt", "x")).rowKey()).isEqualTo("sku-1");
        assertThat(builder(Map.of(), null).plan(row("prompt", "x")).rowKey()).isEqualTo("2");
    }

    @Test
    void unknownJobDefaultsPassThroughAsExtras() {
        ImageRequest r = builder(Map.of("negative_prompt", "blurry"), null).plan(row("prompt", "x")).request();
        assertThat(r.extras()).containsEntry("negative_prompt", "blurry");
    }

    @Test
    void anInvalidJobDefaultIsAConfigurationError() {
        assertThatThrownBy(() -> builder(Map.of("steps", "500"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("zbatch.defaults.steps");
    }

    @Test
    void overlongPromptIsRejected() {
        RowPlan plan = new RequestBuilder(SegmindModels.TURBO, Map.of(), "prompt", null, "id", 10)
                .plan(row("prompt", "a".repeat(11)));
        assertThat(plan.rejection().reason()).contains("11 characters").contains("limit is 10");
    }

    @Test
    void canonicalJsonRoundTripsAndHashesStably() {
        ImageRequest r = builder(Map.of(), null).plan(row("prompt", "ünïcode ✓", "seed", "7")).request();
        String json = CanonicalJson.write("segmind", "z-image-turbo", r);

        assertThat(CanonicalJson.read(json)).isEqualTo(r);
        assertThat(CanonicalJson.sha256(json)).isEqualTo(CanonicalJson.sha256(
                CanonicalJson.write("segmind", "z-image-turbo", CanonicalJson.read(json))));
        assertThat(CanonicalJson.sha256(json)).hasSize(64);
    }
}
