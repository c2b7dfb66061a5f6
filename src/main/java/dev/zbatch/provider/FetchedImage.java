package dev.zbatch.provider;

/** The bytes of a downloaded image and the content type the server declared (may be null). */
public record FetchedImage(byte[] bytes, String contentType) {
}
