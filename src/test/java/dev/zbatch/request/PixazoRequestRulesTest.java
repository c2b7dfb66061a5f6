package dev.zbatch.request;

import dev.zbatch.input.InputRow;
import dev.zbatch.provider.pixazo.PixazoModels;
import dev.zbatch.provider.segmind.SegmindModels;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a row may ask of an API that takes size names (Pixazo), and of one that does not (Segmind). */
class PixazoRequestRulesTest {

    private static RowPlan plan(ModelSpec spec, String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("prompt", "a quiet harbour");
        for (int i = 0; i < keyValues.length; i += 2) fields.put(keyValues[i], keyValues[i + 1]);
        return new RequestBuilder(spec, Map.of(), "prompt", null, "id", 10_000).plan(new InputRow(1, 5, fields));
    }

    @Test
    void widthAndHeightPickTheSizeNameOfTheSameRatio() {
        assertThat(plan(PixazoModels.TURBO).request().imageSize()).isEqualTo("square_1_1");
        assertThat(plan(PixazoModels.TURBO, "width", "1024", "height", "768").request().imageSize())
                .isEqualTo("landscape_4_3");
        assertThat(plan(PixazoModels.TURBO, "width", "768", "height", "1024").request().imageSize())
                .isEqualTo("portrait_3_4");
        assertThat(plan(PixazoModels.BASE, "width", "1920", "height", "1080").request().imageSize())
                .isEqualTo("landscape_16_9");
        assertThat(plan(PixazoModels.BASE, "width", "576", "height", "1024").request().imageSize())
                .isEqualTo("portrait_9_16");
    }

    @Test
    void anyOtherRatioIsRejectedListingTheAllowedOnes() {
        RowPlan plan = plan(PixazoModels.TURBO, "width", "1000", "height", "700");

        assertThat(plan.rejected()).isTrue();
        assertThat(plan.rejection().reason()).contains("1000x700").contains("4:3 (landscape_4_3)")
                .contains("9:16 (portrait_9_16)").contains("1:1 (square_1_1)");
    }

    @Test
    void aRowsOwnImageSizeIsPassedThroughAsWritten() {
        assertThat(plan(PixazoModels.TURBO, "image_size", "square_hd").request().imageSize()).isEqualTo("square_hd");
    }

    @Test
    void baseDefaultsFromTheDocumentation() {
        ImageRequest r = plan(PixazoModels.BASE).request();
        assertThat(r.steps()).isEqualTo(28);
        assertThat(r.guidanceScale()).isEqualTo(4.0);
        assertThat(r.imageFormat()).isEqualTo("png");
        assertThat(plan(PixazoModels.BASE, "steps", "5").rejection().reason()).contains("10–100");
        assertThat(plan(PixazoModels.BASE, "guidance_scale", "25").rejection().reason()).contains("1–20");
    }

    @Test
    void turboTakesNoGuidanceAndOnlyAccelerationNone() {
        assertThat(plan(PixazoModels.TURBO, "guidance_scale", "3").rejection().reason())
                .contains("pixazo z-image-turbo takes no guidance_scale");
        assertThat(plan(PixazoModels.TURBO, "acceleration", "fast").rejection().reason()).contains("[none]");
        assertThat(plan(PixazoModels.BASE, "acceleration", "ultra_fast").request().acceleration())
                .isEqualTo("ultra_fast");
        assertThat(plan(PixazoModels.TURBO).request().acceleration()).isNull(); // the provider's default
    }

    @Test
    void upToFourImagesPerRow() {
        assertThat(plan(PixazoModels.TURBO, "num_images", "4").request().numImages()).isEqualTo(4);
        assertThat(plan(PixazoModels.TURBO, "num_images", "5").rejection().field()).isEqualTo("num_images");
    }

    @Test
    void safetyCheckerIsABoolean() {
        assertThat(plan(PixazoModels.TURBO, "enable_safety_checker", "false").request().safetyChecker()).isFalse();
        assertThat(plan(PixazoModels.TURBO, "enable_safety_checker", "YES").request().safetyChecker()).isTrue();
        assertThat(plan(PixazoModels.TURBO, "enable_safety_checker", "maybe").rejection().field())
                .isEqualTo("enable_safety_checker");
        assertThat(plan(PixazoModels.TURBO).request().safetyChecker()).isNull();
    }

    @Test
    void segmindRefusesWhatItsApiCannotTake() {
        assertThat(plan(SegmindModels.TURBO, "image_size", "square_1_1").rejection().reason())
                .contains("takes width and height, not image_size");
        assertThat(plan(SegmindModels.TURBO, "acceleration", "none").rejection().reason())
                .contains("takes no acceleration");
        assertThat(plan(SegmindModels.TURBO, "enable_safety_checker", "true").rejection().field())
                .isEqualTo("enable_safety_checker");
        assertThat(plan(SegmindModels.TURBO).request().imageSize()).isNull();
    }

    @Test
    void pixazoRejectsQualityItCannotTake() {
        assertThat(plan(PixazoModels.TURBO, "quality", "80").rejection().reason()).contains("takes no quality");
    }

    @Test
    void canonicalJsonKeepsTheNewFields() {
        ImageRequest r = plan(PixazoModels.BASE, "acceleration", "fast", "enable_safety_checker", "false",
                "width", "1024", "height", "768").request();
        assertThat(CanonicalJson.read(CanonicalJson.write("pixazo", "z-image-base", r))).isEqualTo(r);
    }
}
