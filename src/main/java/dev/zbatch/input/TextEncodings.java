package dev.zbatch.input;

import dev.zbatch.config.ConfigException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.Locale;

/** The encoding of a text input: named by the user, or, with {@code auto}, by its byte order mark (else UTF-8). */
final class TextEncodings {

    private TextEncodings() {
    }

    /** @param in marks and resets: nothing is consumed */
    static Charset of(Path file, BufferedInputStream in, String setting) {
        if (setting == null || setting.isBlank() || setting.strip().equalsIgnoreCase("auto")) return byMark(file, in);
        try {
            return Charset.forName(setting.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ConfigException("zbatch.input.encoding: '" + setting + "' is not an encoding Java knows "
                    + "(auto, utf-8, windows-1252, utf-16le, iso-8859-1, …)");
        }
    }

    private static Charset byMark(Path file, BufferedInputStream in) {
        try {
            in.mark(4);
            int first = in.read();
            int second = in.read();
            in.reset();
            if (first == 0xFF && second == 0xFE) return StandardCharsets.UTF_16LE; // Excel's "Unicode text"
            if (first == 0xFE && second == 0xFF) return StandardCharsets.UTF_16BE;
            return StandardCharsets.UTF_8; // its mark, if any, is dropped by StrictTextReader
        } catch (IOException e) {
            throw new InputException(file, 0, null, "cannot read the file: " + e.getMessage());
        }
    }

    /** A delimiter setting as the character it names; 0 for {@code auto}. */
    static char delimiter(String setting) {
        if (setting == null || setting.isEmpty()) return ',';
        String s = setting.equals("\t") ? "\t" : setting.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "," , "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "|", "pipe" -> '|';
            case "\t", "\\t", "tab" -> '\t';
            case "auto" -> 0;
            default -> throw new ConfigException("zbatch.input.delimiter: '" + setting + "' is not one of , ; | tab "
                    + "or auto");
        };
    }
}
