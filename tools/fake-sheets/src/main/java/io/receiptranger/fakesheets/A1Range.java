package io.receiptranger.fakesheets;

/**
 * A parsed A1-notation range such as {@code 'January 2026'!A1:E}, {@code Sheet1!A:E} or
 * {@code 'Unknown Date'}. Rows and columns are 0-based; an open end is {@link Integer#MAX_VALUE}.
 */
record A1Range(String sheet, int startRow, int startCol, int endRow, int endCol) {

    static A1Range parse(String text) {
        String sheet;
        String cells;
        if (text.startsWith("'")) {
            StringBuilder name = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= text.length()) {
                    throw new IllegalArgumentException("Unable to parse range: " + text);
                }
                char c = text.charAt(i);
                if (c == '\'') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        name.append('\'');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                name.append(c);
                i++;
            }
            sheet = name.toString();
            if (i == text.length()) {
                cells = "";
            } else if (text.charAt(i) == '!') {
                cells = text.substring(i + 1);
            } else {
                throw new IllegalArgumentException("Unable to parse range: " + text);
            }
        } else {
            int bang = text.lastIndexOf('!');
            sheet = bang < 0 ? text : text.substring(0, bang);
            cells = bang < 0 ? "" : text.substring(bang + 1);
        }
        if (cells.isEmpty()) {
            return new A1Range(sheet, 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
        String[] parts = cells.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("Unable to parse range: " + text);
        }
        int[] start = corner(parts[0], text, 0);
        int[] end = parts.length == 2 ? corner(parts[1], text, Integer.MAX_VALUE) : start.clone();
        if (parts.length == 1) {
            // A single "A" means the whole column, a single "3" the whole row.
            end = new int[] {start[0] == -1 ? Integer.MAX_VALUE : start[0], start[1] == -1 ? Integer.MAX_VALUE : start[1]};
        }
        return new A1Range(sheet, Math.max(start[0], 0), Math.max(start[1], 0),
                end[0] == -1 ? Integer.MAX_VALUE : end[0], end[1] == -1 ? Integer.MAX_VALUE : end[1]);
    }

    /** Returns {row, col}, -1 where the part is absent. */
    private static int[] corner(String part, String whole, int open) {
        int i = 0;
        int col = 0;
        while (i < part.length() && Character.isLetter(part.charAt(i))) {
            col = col * 26 + (Character.toUpperCase(part.charAt(i)) - 'A' + 1);
            i++;
        }
        String digits = part.substring(i);
        if (!digits.chars().allMatch(Character::isDigit) || (i == 0 && digits.isEmpty())) {
            throw new IllegalArgumentException("Unable to parse range: " + whole);
        }
        int row = digits.isEmpty() ? -1 : Integer.parseInt(digits) - 1;
        return new int[] {row, i == 0 ? -1 : col - 1};
    }

    static String column(int index) {
        StringBuilder s = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            int r = (n - 1) % 26;
            s.insert(0, (char) ('A' + r));
            n = (n - 1) / 26;
        }
        return s.toString();
    }

    static String quote(String sheet) {
        return sheet.matches("[A-Za-z0-9_]+") ? sheet : "'" + sheet.replace("'", "''") + "'";
    }
}
