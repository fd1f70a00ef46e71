package io.receiptranger.fakesheets;

/**
 * One cell as the fake stores it: what was entered (a number, text, a boolean or a formula), its
 * number format and its note. Immutable; a write replaces the cell.
 *
 * @param kind       {@code NUMBER}, {@code STRING}, {@code BOOL}, {@code FORMULA} or {@code EMPTY}
 * @param value      a {@link Double}, {@link String} (text or the formula itself), {@link Boolean} or null
 * @param formatType the number format type ({@code DATE}, {@code NUMBER}, {@code CURRENCY}…) or null
 * @param pattern    the number format pattern (for example {@code M/D/YYYY}) or null
 * @param note       the cell's note or null
 */
public record Cell(String kind, Object value, String formatType, String pattern, String note) {

    static final Cell EMPTY = new Cell("EMPTY", null, null, null, null);

    static Cell number(double value) {
        return new Cell("NUMBER", value, null, null, null);
    }

    static Cell text(String value) {
        return new Cell("STRING", value, null, null, null);
    }

    Cell withFormat(String type, String pattern) {
        return new Cell(kind, value, type, pattern, note);
    }

    Cell withNote(String note) {
        return new Cell(kind, value, formatType, pattern, note);
    }

    Cell withValue(String kind, Object value) {
        return new Cell(kind, value, formatType, pattern, note);
    }

    boolean isEmpty() {
        return "EMPTY".equals(kind) || value == null || (value instanceof String s && s.isEmpty() && !"FORMULA".equals(kind));
    }

    /** What a user sees in the cell (the API's FORMATTED_VALUE). */
    public String formatted() {
        return Formats.formatted(this);
    }
}
