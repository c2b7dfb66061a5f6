package dev.zbatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NameTemplateTest {

    private static final Map<String, String> FIELDS = new LinkedHashMap<>(Map.of(
            "sku", "SKU-77", "Color", "deep red", "path", "../../x"));

    @Test
    void defaultWithIdIsTheSanitisedId() {
        assertThat(NameTemplate.defaultFor(true).render(3, 4, "A/17", "a prompt", FIELDS)).isEqualTo("A_17");
    }

    @Test
    void defaultWithoutIdIsPaddedLineAndSlug() {
        assertThat(NameTemplate.defaultFor(false).render(3, 12, null, "Red sneaker on white", FIELDS))
                .isEqualTo("000012-red-sneaker-on-white");
    }

    @Test
    void emptySlugLeavesNoDanglingSeparator() {
        assertThat(NameTemplate.defaultFor(false).render(3, 12, null, "एक लाल जूता", FIELDS)).isEqualTo("000012");
        assertThat(new NameTemplate("{slug}_{row}").render(5, 9, null, "日本", FIELDS)).isEqualTo("000005");
    }

    @Test
    void rowAndLineArePaddedToSixDigits() {
        assertThat(new NameTemplate("{row}-{line}").render(7, 1234567, null, "", FIELDS))
                .isEqualTo("000007-1234567");
    }

    @Test
    void columnPlaceholdersUseTheRowsFields() {
        assertThat(new NameTemplate("{sku}-{color}").render(1, 2, null, "", FIELDS)).isEqualTo("SKU-77-deep red");
        assertThat(new NameTemplate("{path}").render(1, 2, null, "", FIELDS)).isEqualTo("_x");
    }

    @Test
    void unknownPlaceholdersRenderEmptyAndLiteralsStay() {
        assertThat(new NameTemplate("img-{nope}-{id}").render(1, 2, "x1", "", FIELDS)).isEqualTo("img--x1");
        assertThat(new NameTemplate("{id}-{nope}").render(1, 2, "x1", "", FIELDS)).isEqualTo("x1");
        assertThat(new NameTemplate("{unclosed-{id}").render(1, 2, "x1", "", FIELDS)).isEqualTo("{unclosed-x1");
    }

    @Test
    void anAllEmptyRenderingIsStillAStem() {
        assertThat(new NameTemplate("{id}").render(1, 2, null, "", Map.of())).isEqualTo("_");
    }

    @Test
    void blankTemplateIsRejected() {
        assertThatThrownBy(() -> new NameTemplate(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
