package dev.zbatch.sandbox;

import java.awt.Point;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Pixels in R, G, B byte order, as a raster that hands out whole scanlines cheaply. The JDK's JPEG writer asks its
 * image's raster for every scanline as a child raster, and a JDK child raster is a new raster and sample model
 * each time: over a quarter of the Java side of encoding. This raster copies the line into one line raster it
 * keeps and returns that, so a scanline child is valid only until the next one is asked for (the writer copies
 * each before asking for the next). Any other child is made as usual.
 */
final class SandboxRgbRaster extends WritableRaster {

    private static final int[] RGB = {0, 1, 2};

    private final byte[] pixels;
    private final byte[] line;
    private final WritableRaster lineRaster;

    SandboxRgbRaster(byte[] pixels, int width, int height) {
        super(new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, height, 3, width * 3, RGB),
                new DataBufferByte(pixels, pixels.length), new Point());
        this.pixels = pixels;
        this.line = new byte[width * 3];
        this.lineRaster = Raster.createInterleavedRaster(new DataBufferByte(line, line.length), width, 1,
                line.length, 3, RGB, null);
    }

    @Override
    public Raster createChild(int x, int y, int width, int height, int childMinX, int childMinY, int[] bands) {
        boolean scanline = x == 0 && width == this.width && height == 1 && y >= 0 && y < this.height
                && childMinX == 0 && childMinY == 0 && (bands == null || Arrays.equals(bands, RGB));
        if (!scanline) return super.createChild(x, y, width, height, childMinX, childMinY, bands);
        System.arraycopy(pixels, y * line.length, line, 0, line.length);
        return lineRaster;
    }
}
