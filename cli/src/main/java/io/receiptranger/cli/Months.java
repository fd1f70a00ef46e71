package io.receiptranger.cli;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --month YYYY-MM}, refused with the original's sentence (SEED-SPEC §6.1). */
final class Months implements ITypeConverter<YearMonth> {

    @Override
    public YearMonth convert(String value) {
        try {
            return YearMonth.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("Invalid --month format. Use YYYY-MM.");
        }
    }
}
