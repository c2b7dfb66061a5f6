package dev.zbatch.sandbox;

import org.junit.jupiter.api.Test;

import java.awt.image.Raster;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxRgbRasterTest {

    /** 4x3 pixels; pixel (x, y) is R = 10y + x, G = 100 + R, B = 200 - R. */
    private static SandboxRgbRaster raster() {
        byte[] pixels = new byte[4 * 3 * 3];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                int r = 10 * y + x;
                int i = (y * 4 + x) * 3;
                pixels[i] = (byte) r;
                pixels[i + 1] = (byte) (100 + r);
                pixels[i + 2] = (byte) (200 - r);
            }
        }
        return new SandboxRgbRaster(pixels, 4, 3);
    }

    @Test
    void aScanlineChildHoldsThatLine() {
        SandboxRgbRaster raster = raster();
        for (int y : new int[]{2, 0, 1}) {
            Raster line = raster.createChild(0, y, 4, 1, 0, 0, new int[]{0, 1, 2});
            assertThat(line.getWidth()).isEqualTo(4);
            assertThat(line.getHeight()).isEqualTo(1);
            assertThat(line.getPixel(3, 0, (int[]) null)).containsExactly(10 * y + 3, 103 + 10 * y, 197 - 10 * y);
        }
    }

    @Test
    void otherChildrenAreMadeAsUsual() {
        Raster child = raster().createChild(1, 1, 2, 2, 0, 0, new int[]{2});
        assertThat(child.getNumBands()).isEqualTo(1);
        assertThat(child.getSample(1, 1, 0)).isEqualTo(200 - 22);
        assertThat(raster().getPixel(2, 1, (int[]) null)).containsExactly(12, 112, 188);
    }
}
