package io.receiptranger.extractor.ocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * DBNet's text boxes from its probability map, as RapidOCR's C++ pipeline finds them (its defaults):
 * the detector's output is a map, not boxes, so this is where a page's lines are found. Pure geometry,
 * no model: {@link PpOcrModels} runs the detector and hands its map here.
 */
final class TextBoxes {

    /** A detector pixel is text above this probability. */
    static final float BOX_THRESH = 0.3f;
    /** A box is kept when its mean text probability is at least this. */
    static final float BOX_SCORE_THRESH = 0.5f;
    /** How far a box grows beyond the detector's shrunk text kernel (DBNet's unclip ratio). */
    static final float UNCLIP_RATIO = 1.6f;
    /** Most boxes a page gives (RapidOCR's "max candidates"): a picture of noise must not cost a recogniser run per speck. */
    static final int MAX_BOXES = 1000;

    private TextBoxes() {
    }

    /**
     * DBNet's boxes from its probability map: text pixels (over {@link #BOX_THRESH}, dilated by one
     * pixel right and down as RapidOCR does), grouped 8-connected; each group's smallest rotated
     * rectangle is kept when its mean probability reaches {@link #BOX_SCORE_THRESH}, then grown by
     * area × ratio ÷ perimeter on every side (the kernel the detector predicts is the text shrunk).
     */
    static List<Quad> of(float[] prob, int w, int h) {
        boolean[] text = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                text[i] = prob[i] > BOX_THRESH || (x > 0 && prob[i - 1] > BOX_THRESH)
                        || (y > 0 && prob[i - w] > BOX_THRESH) || (x > 0 && y > 0 && prob[i - w - 1] > BOX_THRESH);
            }
        }
        int[] label = new int[w * h];
        int[] stack = new int[w * h];
        List<Quad> quads = new ArrayList<>();
        int next = 0;
        for (int start = 0; start < text.length && quads.size() < MAX_BOXES; start++) {
            if (!text[start] || label[start] != 0) {
                continue;
            }
            next++;
            // Per row, the leftmost and rightmost pixel: enough for the group's convex hull.
            int top = start / w;
            int bottom = top;
            int[] minX = new int[Math.min(h, 64)];
            int[] maxX = new int[minX.length];
            Arrays.fill(minX, Integer.MAX_VALUE);
            Arrays.fill(maxX, Integer.MIN_VALUE);
            int sp = 0;
            stack[sp++] = start;
            label[start] = next;
            while (sp > 0) {
                int p = stack[--sp];
                int px = p % w;
                int py = p / w;
                int row = py - top;
                if (row >= minX.length) {
                    int size = Math.min(h - top, Math.max(row + 1, minX.length * 2));
                    int old = minX.length;
                    minX = Arrays.copyOf(minX, size);
                    maxX = Arrays.copyOf(maxX, size);
                    Arrays.fill(minX, old, size, Integer.MAX_VALUE);
                    Arrays.fill(maxX, old, size, Integer.MIN_VALUE);
                }
                minX[row] = Math.min(minX[row], px);
                maxX[row] = Math.max(maxX[row], px);
                bottom = Math.max(bottom, py);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= w) {
                            continue;
                        }
                        int n = ny * w + nx;
                        if (text[n] && label[n] == 0) {
                            label[n] = next;
                            stack[sp++] = n;
                        }
                    }
                }
            }
            List<float[]> points = new ArrayList<>();
            for (int row = 0; row <= bottom - top; row++) {
                if (minX[row] != Integer.MAX_VALUE) {
                    points.add(new float[] { minX[row], top + row });
                    if (maxX[row] != minX[row]) {
                        points.add(new float[] { maxX[row], top + row });
                    }
                }
            }
            Rect rect = Rect.around(hull(points));
            // As RapidOCR: only boxes whose long side is under 3 px are dropped; thin ones grow below.
            if (rect == null || Math.max(rect.halfU, rect.halfV) * 2 < 3) {
                continue;
            }
            if (rect.meanOf(prob, w, h) < BOX_SCORE_THRESH) {
                continue;
            }
            float area = 4 * rect.halfU * rect.halfV;
            float perimeter = 4 * (rect.halfU + rect.halfV);
            float grow = area * UNCLIP_RATIO / perimeter;
            // RapidOCR grows the rectangle's corners cut to whole pixels: on average half a pixel up and left.
            Rect grown = new Rect(rect.cx - 0.5f, rect.cy - 0.5f, rect.ux, rect.uy, rect.halfU + grow, rect.halfV + grow);
            if (Math.max(grown.halfU, grown.halfV) * 2 < 5) {
                continue;
            }
            quads.add(grown.corners(w, h));
        }
        return quads;
    }

    /** Andrew's monotone chain; points as {x, y}. */
    static List<float[]> hull(List<float[]> points) {
        List<float[]> p = new ArrayList<>(points);
        p.sort(Comparator.<float[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
        if (p.size() < 3) {
            return p;
        }
        float[][] h = new float[2 * p.size()][];
        int k = 0;
        for (float[] q : p) {
            while (k >= 2 && cross(h[k - 2], h[k - 1], q) <= 0) {
                k--;
            }
            h[k++] = q;
        }
        for (int i = p.size() - 2, t = k + 1; i >= 0; i--) {
            float[] q = p.get(i);
            while (k >= t && cross(h[k - 2], h[k - 1], q) <= 0) {
                k--;
            }
            h[k++] = q;
        }
        return Arrays.asList(Arrays.copyOf(h, k - 1));
    }

    private static float cross(float[] o, float[] a, float[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** A rotated rectangle: centre, unit axis u (v is u turned a quarter), half-extents along u and v. */
    record Rect(float cx, float cy, float ux, float uy, float halfU, float halfV) {

        /** The smallest-area rectangle around a convex hull: one side lies on a hull edge (rotating calipers, plainly). */
        static Rect around(List<float[]> hull) {
            if (hull.size() < 2) {
                return null;
            }
            Rect best = null;
            float bestArea = Float.MAX_VALUE;
            for (int i = 0; i < hull.size(); i++) {
                float[] a = hull.get(i);
                float[] b = hull.get((i + 1) % hull.size());
                float dx = b[0] - a[0];
                float dy = b[1] - a[1];
                float len = (float) Math.hypot(dx, dy);
                if (len == 0) {
                    continue;
                }
                float ux = dx / len;
                float uy = dy / len;
                float minU = Float.MAX_VALUE, maxU = -Float.MAX_VALUE, minV = Float.MAX_VALUE, maxV = -Float.MAX_VALUE;
                for (float[] p : hull) {
                    float u = p[0] * ux + p[1] * uy;
                    float v = -p[0] * uy + p[1] * ux;
                    minU = Math.min(minU, u);
                    maxU = Math.max(maxU, u);
                    minV = Math.min(minV, v);
                    maxV = Math.max(maxV, v);
                }
                float area = (maxU - minU) * (maxV - minV);
                if (area < bestArea) {
                    bestArea = area;
                    float cu = (minU + maxU) / 2;
                    float cv = (minV + maxV) / 2;
                    best = new Rect(cu * ux - cv * uy, cu * uy + cv * ux, ux, uy, (maxU - minU) / 2, (maxV - minV) / 2);
                }
            }
            return best;
        }

        /** The mean probability of the map's pixels inside the rectangle. */
        float meanOf(float[] prob, int w, int h) {
            float reachX = Math.abs(ux) * halfU + Math.abs(uy) * halfV;
            float reachY = Math.abs(uy) * halfU + Math.abs(ux) * halfV;
            int x0 = Math.max(0, (int) Math.floor(cx - reachX));
            int x1 = Math.min(w - 1, (int) Math.ceil(cx + reachX));
            int y0 = Math.max(0, (int) Math.floor(cy - reachY));
            int y1 = Math.min(h - 1, (int) Math.ceil(cy + reachY));
            double sum = 0;
            int n = 0;
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    float dx = x - cx;
                    float dy = y - cy;
                    if (Math.abs(dx * ux + dy * uy) <= halfU + 0.5f && Math.abs(-dx * uy + dy * ux) <= halfV + 0.5f) {
                        sum += prob[y * w + x];
                        n++;
                    }
                }
            }
            return n == 0 ? 0 : (float) (sum / n);
        }

        /** Corners ordered as RapidOCR's: the two leftmost give top-left and bottom-left, the others the right ones. */
        Quad corners(int w, int h) {
            float vx = -uy;
            float vy = ux;
            float[][] c = {
                    { cx - ux * halfU - vx * halfV, cy - uy * halfU - vy * halfV },
                    { cx + ux * halfU - vx * halfV, cy + uy * halfU - vy * halfV },
                    { cx + ux * halfU + vx * halfV, cy + uy * halfU + vy * halfV },
                    { cx - ux * halfU + vx * halfV, cy - uy * halfU + vy * halfV } };
            Arrays.sort(c, Comparator.comparingDouble(p -> p[0]));
            float[] tl = c[0][1] <= c[1][1] ? c[0] : c[1];
            float[] bl = c[0][1] <= c[1][1] ? c[1] : c[0];
            float[] tr = c[2][1] <= c[3][1] ? c[2] : c[3];
            float[] br = c[2][1] <= c[3][1] ? c[3] : c[2];
            float[] xs = { tl[0], tr[0], br[0], bl[0] };
            float[] ys = { tl[1], tr[1], br[1], bl[1] };
            for (int k = 0; k < 4; k++) {
                xs[k] = Math.max(0, Math.min(w - 1, xs[k]));
                ys[k] = Math.max(0, Math.min(h - 1, ys[k]));
            }
            return new Quad(xs, ys);
        }
    }

    /** Four corners, top-left, top-right, bottom-right, bottom-left. */
    record Quad(float[] xs, float[] ys) {
        /** Scaled to the picture and cut to whole pixels, as RapidOCR's boxes are (the recogniser was tuned on them). */
        Quad scaled(float sx, float sy) {
            float[] x = new float[4];
            float[] y = new float[4];
            for (int k = 0; k < 4; k++) {
                x[k] = (int) (xs[k] * sx);
                y[k] = (int) (ys[k] * sy);
            }
            return new Quad(x, y);
        }
    }
}
