package dev.zbatch.sandbox;

import java.util.Locale;
import java.util.Optional;

/** The image formats the sandbox renders: wire name, file extension of its URLs, and Content-Type. */
public enum SandboxImageFormat {
    PNG("png", "png", "image/png"),
    JPEG("jpeg", "jpg", "image/jpeg"),
    WEBP("webp", "webp", "image/webp");

    private final String wireName;
    private final String extension;
    private final String contentType;

    SandboxImageFormat(String wireName, String extension, String contentType) {
        this.wireName = wireName;
        this.extension = extension;
        this.contentType = contentType;
    }

    /** As in the request's {@code image_format}: png, jpeg, webp. */
    public String wireName() {
        return wireName;
    }

    /** As in the image URL: png, jpg, webp. */
    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** By wire name (case-insensitive; {@code jpg} is taken as jpeg). */
    public static SandboxImageFormat of(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown image format '" + name + "' (known: png, jpeg, webp)"));
    }

    /** By wire name or extension (case-insensitive; jpg and jpeg both mean JPEG). */
    static Optional<SandboxImageFormat> byName(String name) {
        if (name == null) return Optional.empty();
        String lower = name.toLowerCase(Locale.ROOT);
        for (SandboxImageFormat format : values()) {
            if (format.wireName.equals(lower) || format.extension.equals(lower)) return Optional.of(format);
        }
        return Optional.empty();
    }
}
