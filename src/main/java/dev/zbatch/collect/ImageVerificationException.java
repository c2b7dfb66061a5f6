package dev.zbatch.collect;

/** A downloaded image is not acceptable; the message says why in words a user can act on. */
public class ImageVerificationException extends RuntimeException {

    public ImageVerificationException(String message) {
        super(message);
    }

    public ImageVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
