package dev.zbatch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileNameClaimsTest {

    @Test
    void firstClaimGetsTheStemLaterOnesNumberedSuffixes() {
        FileNameClaims claims = new FileNameClaims();
        assertThat(claims.claim("shoe")).isEqualTo("shoe");
        assertThat(claims.claim("shoe")).isEqualTo("shoe-2");
        assertThat(claims.claim("shoe")).isEqualTo("shoe-3");
        assertThat(claims.claim("boot")).isEqualTo("boot");
    }

    @Test
    void collisionsAreCaseInsensitive() {
        FileNameClaims claims = new FileNameClaims();
        assertThat(claims.claim("A1")).isEqualTo("A1");
        assertThat(claims.claim("a1")).isEqualTo("a1-2");
        assertThat(claims.claim("A1-2")).isEqualTo("A1-2-2");
        assertThat(claims.isClaimed("a1-2")).isTrue();
    }

    @Test
    void preclaimedNamesAreSkipped() {
        FileNameClaims claims = new FileNameClaims();
        claims.preclaim("x");
        claims.preclaim("X-2");
        assertThat(claims.claim("x")).isEqualTo("x-3");
    }

    @Test
    void suffixedNamesStayWithinTheByteBound() {
        FileNameClaims claims = new FileNameClaims();
        String stem = FileNames.sanitize("鞋".repeat(100));
        claims.claim(stem);
        String second = claims.claim(stem);
        assertThat(second).endsWith("-2");
        assertThat(second.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(FileNames.MAX_STEM_BYTES);
    }
}
