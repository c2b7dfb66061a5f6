package dev.zbatch.config;

/** The command or configuration cannot be used; nothing has been sent. Exit code 2. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
