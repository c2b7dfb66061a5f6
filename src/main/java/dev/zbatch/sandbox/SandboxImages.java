package dev.zbatch.sandbox;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws the sandbox's placeholder images: a gradient whose colours come from a hash of prompt and seed, the word
 * SANDBOX large, the first words of the prompt, and a footer saying it is not a generated image. The same
 * arguments always give the same picture. The backdrop (gradient, discs, dashed frame and the word SANDBOX: all
 * that does not depend on the prompt) is one of {@link SandboxBackgrounds#VARIANTS} drawn once per size and kept;
 * only the prompt's words and the footer are drawn per image. Works headless (no display needed); glyphs missing
 * from every installed font are drawn as boxes, and if text cannot be drawn at all SANDBOX is drawn from
 * rectangles instead.
 */
public final class SandboxImages {

    private static final int PROMPT_WORDS = 14;
    private static final int PROMPT_LINES = 4;
    private static final String ELLIPSIS = "\u2026";
    private static final String TITLE = "SANDBOX";

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private SandboxImages() {
    }

    /**
     * Renders and encodes one placeholder image.
     *
     * @param format  png, jpeg (or jpg) or webp
     * @param quality 1-100, for jpeg and webp
     */
    public static byte[] render(String prompt, int width, int height, String format, int quality, long seed) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        SandboxImageFormat imageFormat = SandboxImageFormat.of(format);
        boolean rgbBytes = imageFormat == SandboxImageFormat.JPEG;
        return SandboxImageEncoder.encode(draw(prompt == null ? "" : prompt, width, height, seed, rgbBytes),
                imageFormat, quality);
    }

    /**
     * @param rgbBytes the pixels' bytes in R, G, B order (what the JPEG writer copies fastest, see
     *                 {@link SandboxImageEncoder#asRgbBytes}) rather than Java2D's B, G, R. The image is still drawn as
     *                 a {@link BufferedImage#TYPE_3BYTE_BGR}, on a background whose red and blue are swapped: the
     *                 text is grey (red = blue), so it comes out the same, and the bytes are then RGB as they are.
     */
    static BufferedImage draw(String prompt, int width, int height, long seed, boolean rgbBytes) {
        // a standard type, so that Java2D draws on it with its native loops
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] hash = SandboxHashes.sha256(prompt + "\u0000" + seed);
        SandboxBackgrounds.copyInto(image, hash[0] & 0xFF, rgbBytes); // one of 64: the lowest 6 bits
        Graphics2D g = image.createGraphics();
        try {
            drawPromptAndFooter(g, prompt, seed, width, height);
        } catch (RuntimeException | LinkageError | InternalError e) {
            // no usable font on this machine: the backdrop still says SANDBOX (in block letters, then)
        } finally {
            g.dispose();
        }
        return rgbBytes ? SandboxImageEncoder.asRgbBytes(image) : image;
    }

    /**
     * Draws what an image shows whatever its prompt: a background from the first 21 bytes of {@code hash}, and the
     * word SANDBOX.
     */
    static void drawBackdrop(Graphics2D g, byte[] hash, int width, int height) {
        drawBackground(g, hash, width, height);
        try {
            textHints(g);
            Font title = titleFont(g, width, height);
            drawCentred(g, TITLE, title, width, titleBaseline(g.getFontMetrics(title), height),
                    Math.max(2, (int) (title.getSize2D() / 25)));
        } catch (RuntimeException | LinkageError | InternalError e) {
            // no usable font on this machine: the image must still say SANDBOX
            g.setColor(Color.WHITE);
            SandboxBlockLetters.draw(g, width * 84 / 100, width, height * 2 / 5);
        }
    }

    private static void drawBackground(Graphics2D g, byte[] hash, int width, int height) {
        float hue = (hash[0] & 0xFF) / 256f;
        float hueShift = 0.2f + (hash[1] & 0xFF) / 256f * 0.3f;
        Color from = Color.getHSBColor(hue, 0.55f + (hash[2] & 0xFF) / 1024f, 0.45f + (hash[3] & 0xFF) / 1024f);
        Color to = Color.getHSBColor(hue + hueShift, 0.55f + (hash[4] & 0xFF) / 1024f, 0.35f + (hash[5] & 0xFF) / 1024f);
        g.setPaint(new GradientPaint(0, 0, from, width, height, to));
        g.fillRect(0, 0, width, height);

        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.18f));
        int side = Math.min(width, height);
        for (int i = 0; i < 5; i++) {
            int x = (hash[6 + i * 3] & 0xFF) * width / 256;
            int y = (hash[7 + i * 3] & 0xFF) * height / 256;
            int r = side / 10 + (hash[8 + i * 3] & 0xFF) * side / 600;
            g.setColor(i % 2 == 0 ? Color.WHITE : Color.BLACK);
            g.fillOval(x - r, y - r, 2 * r, 2 * r);
        }
        // a dashed frame: "under construction", never a finished picture
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
        g.setColor(Color.WHITE);
        float stroke = Math.max(2f, side / 100f);
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[]{stroke * 4, stroke * 3}, 0f));
        int inset = (int) (stroke * 2);
        g.drawRect(inset, inset, width - 2 * inset - 1, height - 2 * inset - 1);
        g.setComposite(AlphaComposite.SrcOver);
    }

    private static void textHints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /** SANDBOX's font: 84% of the width, at most a quarter of the height. */
    private static Font titleFont(Graphics2D g, int width, int height) {
        Font probe = new Font(Font.SANS_SERIF, Font.BOLD, 100);
        int probeWidth = Math.max(1, g.getFontMetrics(probe).stringWidth(TITLE));
        return probe.deriveFont(Math.min(100f * width * 0.84f / probeWidth, height * 0.25f));
    }

    private static int titleBaseline(FontMetrics title, int height) {
        return (int) (height * 0.40f + title.getAscent() / 2f);
    }

    /** The prompt's first words under SANDBOX (drawn with the backdrop), and the footer. */
    private static void drawPromptAndFooter(Graphics2D g, String prompt, long seed, int width, int height) {
        textHints(g);
        int side = Math.min(width, height);
        FontMetrics titleMetrics = g.getFontMetrics(titleFont(g, width, height));

        // the prompt's first words, wrapped
        Font body = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, side / 22));
        FontMetrics bodyMetrics = g.getFontMetrics(body);
        List<String> lines = wrap(firstWords(prompt), bodyMetrics, (int) (width * 0.86f), PROMPT_LINES);
        int lineHeight = bodyMetrics.getHeight();
        int y = titleBaseline(titleMetrics, height) + titleMetrics.getDescent() + lineHeight;
        for (String line : lines) {
            if (y > height - lineHeight * 1.5) break;
            drawCentred(g, line, body, width, y, Math.max(1, side / 400));
            y += lineHeight;
        }

        // footer
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, side / 45));
        String footer = "zbatch sandbox placeholder \u00b7 not a generated image \u00b7 seed " + seed
                + " \u00b7 " + width + "\u00d7" + height;
        FontMetrics smallMetrics = g.getFontMetrics(small);
        if (smallMetrics.stringWidth(footer) > width * 0.94) footer = "SANDBOX \u00b7 seed " + seed;
        drawCentred(g, footer, small, width, height - smallMetrics.getDescent() - side / 30, 1);
    }

    /** In grey only (red = blue): see {@link #draw(String, int, int, long, boolean)}. */
    private static void drawCentred(Graphics2D g, String text, Font font, int width, int baseline, int shadow) {
        g.setFont(font);
        int x = (width - g.getFontMetrics(font).stringWidth(text)) / 2;
        g.setColor(new Color(0, 0, 0, 140));
        g.drawString(text, x + shadow, baseline + shadow);
        g.setColor(Color.WHITE);
        g.drawString(text, x, baseline);
    }

    private static String firstWords(String prompt) {
        String[] words = prompt.strip().split("\\s+");
        if (words.length <= PROMPT_WORDS) return String.join(" ", words);
        return String.join(" ", Arrays.copyOf(words, PROMPT_WORDS)) + " " + ELLIPSIS;
    }

    /** Greedy word wrap; words wider than a line (e.g. Chinese without spaces) are broken between code points. */
    static List<String> wrap(String text, FontMetrics metrics, int maxWidth, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) <= maxWidth) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            // the word alone may still be too wide: break it between characters (grapheme clusters)
            BreakIterator characters = BreakIterator.getCharacterInstance();
            characters.setText(word);
            for (int start = characters.first(), end = characters.next(); end != BreakIterator.DONE;
                 start = end, end = characters.next()) {
                String character = word.substring(start, end);
                if (!line.isEmpty() && metrics.stringWidth(line + character) > maxWidth) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                line.append(character);
            }
        }
        if (!line.isEmpty()) lines.add(line.toString());
        if (lines.size() > maxLines) {
            List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
            String last = kept.get(maxLines - 1);
            while (!last.isEmpty() && metrics.stringWidth(last + ELLIPSIS) > maxWidth) {
                last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
            }
            kept.set(maxLines - 1, last + ELLIPSIS);
            return kept;
        }
        return lines;
    }
}
