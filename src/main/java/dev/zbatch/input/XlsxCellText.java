package dev.zbatch.input;

import org.dhatim.fastexcel.reader.Cell;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A workbook cell as text, the way Excel shows it: a whole number without {@code .0}, a number with the decimals
 * its format shows, a percentage with its sign, a date in its format's order (month names in English), TRUE and
 * FALSE in capitals, a formula's last computed value.
 */
final class XlsxCellText {

    /** The built-in date formats a workbook may use by number alone. */
    private static final java.util.Map<Integer, String> BUILT_IN_DATES = java.util.Map.of(15, "d-mmm-yy",
            16, "d-mmm", 17, "mmm-yy", 18, "h:mm AM/PM", 19, "h:mm:ss AM/PM", 20, "h:mm", 21, "h:mm:ss",
            22, "yyyy-mm-dd h:mm", 45, "mm:ss", 46, "h:mm:ss");

    private XlsxCellText() {
    }

    static String of(Cell cell) {
        if (cell == null) return "";
        return switch (cell.getType()) {
            case EMPTY -> "";
            case STRING -> cell.asString();
            case BOOLEAN -> Boolean.TRUE.equals(cell.asBoolean()) ? "TRUE" : "FALSE";
            case NUMBER -> number(cell);
            case FORMULA, ERROR -> cell.getRawValue() == null ? "" : formulaValue(cell);
        };
    }

    private static String formulaValue(Cell cell) {
        String raw = cell.getRawValue();
        try {
            return format(new BigDecimal(raw), cell.getDataFormatId(), cell.getDataFormatString());
        } catch (NumberFormatException e) {
            return raw; // a text or an error result (#N/A)
        }
    }

    private static String number(Cell cell) {
        return format(cell.asNumber(), cell.getDataFormatId(), cell.getDataFormatString());
    }

    static String format(BigDecimal value, Integer formatId, String format) {
        String f = format == null ? "" : stripLiterals(format.split(";")[0]);
        if (isDate(formatId, f)) return date(value, formatId, f);
        if (f.contains("%")) {
            return value.movePointRight(2).setScale(decimals(f), RoundingMode.HALF_UP).toPlainString() + "%";
        }
        if (f.isEmpty() || f.equalsIgnoreCase("general") || f.equals("@")) return plain(value);
        return value.setScale(decimals(f), RoundingMode.HALF_UP).toPlainString();
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static int decimals(String format) {
        int dot = format.indexOf('.');
        if (dot < 0) return 0;
        int n = 0;
        for (int i = dot + 1; i < format.length() && (format.charAt(i) == '0' || format.charAt(i) == '#'); i++) n++;
        return n;
    }

    /** The format without its quoted text, escapes, colours and locale tags. */
    private static String stripLiterals(String format) {
        return format.replaceAll("\"[^\"]*\"", "").replaceAll("\\\\.", "").replaceAll("\\[[^]]*]", "");
    }

    /** Excel's built-in date and time formats (14–22, 45–47), or a format made of date or time parts. */
    private static boolean isDate(Integer id, String format) {
        if (id != null && ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))) return true;
        String lower = format.toLowerCase(Locale.ROOT);
        return !lower.isEmpty() && lower.matches(".*[dmyhs].*") && !lower.matches(".*[0#].*");
    }

    private static String date(BigDecimal serial, Integer id, String format) {
        // day 1 is 1900-01-01, and Excel counts a 29 February 1900 that never was
        long days = serial.setScale(0, RoundingMode.FLOOR).longValueExact();
        double fraction = serial.subtract(BigDecimal.valueOf(days)).doubleValue();
        LocalDateTime at = LocalDateTime.of(1899, 12, 31, 0, 0).plusDays(days < 60 ? days : days - 1)
                .plusSeconds(Math.round(fraction * 86_400));
        String pattern = id != null && id == 14 ? "yyyy-MM-dd" // the reader's locale decides its order: ISO
                : javaPattern(format.isEmpty() ? BUILT_IN_DATES.getOrDefault(id, "yyyy-mm-dd") : format);
        return at.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
    }

    /** Excel's date codes in Java's: m is a month unless it follows h or precedes s (then minutes). */
    static String javaPattern(String excel) {
        String f = excel.toLowerCase(Locale.ROOT);
        boolean twelveHour = f.contains("am/pm") || f.contains("a/p");
        f = f.replace("am/pm", "\u0001").replace("a/p", "\u0001");
        StringBuilder out = new StringBuilder();
        char last = 0;
        for (int i = 0; i < f.length(); ) {
            char c = f.charAt(i);
            int run = 1;
            while (i + run < f.length() && f.charAt(i + run) == c) run++;
            switch (c) {
                case 'y' -> out.append(run <= 2 ? "yy" : "yyyy");
                case 'd' -> out.append(run == 1 ? "d" : run == 2 ? "dd" : run == 3 ? "EEE" : "EEEE");
                case 'h' -> out.append((twelveHour ? "h" : "H").repeat(Math.min(run, 2)));
                case 's' -> out.append("s".repeat(Math.min(run, 2)));
                case 'm' -> {
                    boolean minutes = last == 'h' || f.substring(i + run).matches("[^a-z]*s.*");
                    out.append(minutes ? "m".repeat(Math.min(run, 2))
                            : run == 1 ? "M" : run == 2 ? "MM" : run == 3 ? "MMM" : "MMMM");
                }
                case '\u0001' -> out.append("a");
                default -> {
                    if (Character.isLetter(c)) out.append('\'').append(String.valueOf(c).repeat(run)).append('\'');
                    else out.append(String.valueOf(c).repeat(run).replace("'", "''"));
                }
            }
            if (Character.isLetter(c)) last = c;
            i += run;
        }
        return out.toString();
    }
}
