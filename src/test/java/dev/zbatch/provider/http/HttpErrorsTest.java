package dev.zbatch.provider.http;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class HttpErrorsTest {

    @Test
    void describeLeavesOutTheQueryString() {
        assertThat(HttpErrors.describe(URI.create("https://cdn.example.com/a.webp?sig=secret")))
                .isEqualTo("https://cdn.example.com/a.webp");
    }
}
