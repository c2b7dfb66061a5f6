package dev.zbatch.sandbox;

import java.awt.Graphics2D;

/**
 * The word SANDBOX drawn from rectangles (5x7 cells per letter), for a JVM where font rendering fails
 * (e.g. a container without any font): the image must still say SANDBOX.
 */
final class SandboxBlockLetters {

    private static final String[][] GLYPHS = {
            {"01111", "10000", "10000", "01110", "00001", "00001", "11110"}, // S
            {"01110", "10001", "10001", "11111", "10001", "10001", "10001"}, // A
            {"10001", "11001", "10101", "10011", "10001", "10001", "10001"}, // N
            {"11110", "10001", "10001", "10001", "10001", "10001", "11110"}, // D
            {"11110", "10001", "10001", "11110", "10001", "10001", "11110"}, // B
            {"01110", "10001", "10001", "10001", "10001", "10001", "01110"}, // O
            {"10001", "10001", "01010", "00100", "01010", "10001", "10001"}, // X
    };

    private SandboxBlockLetters() {
    }

    /** Draws SANDBOX in the current paint, {@code width} pixels wide, centred on {@code centerY}. */
    static void draw(Graphics2D g, int width, int imageWidth, int centerY) {
        int columns = GLYPHS.length * 6 - 1;
        int cell = Math.max(1, width / columns);
        int left = (imageWidth - cell * columns) / 2;
        int top = centerY - cell * 7 / 2;
        for (int letter = 0; letter < GLYPHS.length; letter++) {
            for (int row = 0; row < 7; row++) {
                String bits = GLYPHS[letter][row];
                for (int col = 0; col < 5; col++) {
                    if (bits.charAt(col) == '1') {
                        g.fillRect(left + (letter * 6 + col) * cell, top + row * cell, cell, cell);
                    }
                }
            }
        }
    }
}
