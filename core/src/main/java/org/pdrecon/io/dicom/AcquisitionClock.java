package org.pdrecon.io.dicom;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalDouble;

/**
 * When a projection was acquired, in seconds on one clock, from the first of AcquisitionDateTime,
 * AcquisitionDate + AcquisitionTime, ContentDate + ContentTime that the file carries (a time without
 * a date counts from midnight). Used to put frames in acquisition order when InstanceNumber is absent.
 */
final class AcquisitionClock {
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private AcquisitionClock() {}

    /** The seconds and the tag they came from, or empty when no tag parses. */
    record Stamp(double seconds, String source) {}

    static java.util.Optional<Stamp> of(DicomObject ds) throws DicomException {
        String dt = ds.getString(DicomDictionary.tag("AcquisitionDateTime"));
        if (dt != null && dt.length() >= 8) {
            OptionalDouble day = date(dt.substring(0, 8)), time = time(dt.length() > 8 ? dt.substring(8) : "");
            if (day.isPresent() && time.isPresent()) return java.util.Optional.of(new Stamp(day.getAsDouble() + time.getAsDouble(), "AcquisitionDateTime"));
        }
        for (String prefix : new String[] {"Acquisition", "Content"}) {
            String t = ds.getString(DicomDictionary.tag(prefix + "Time"));
            if (t == null || t.isEmpty()) continue;
            OptionalDouble time = time(t);
            if (time.isEmpty()) continue;
            String d = ds.getString(DicomDictionary.tag(prefix + "Date"));
            OptionalDouble day = d == null || d.isEmpty() ? OptionalDouble.of(0) : date(d);
            if (day.isPresent()) {
                boolean dated = d != null && !d.isEmpty();
                return java.util.Optional.of(new Stamp(day.getAsDouble() + time.getAsDouble(), prefix + "Time" + (dated ? "" : " (no date)")));
            }
        }
        return java.util.Optional.empty();
    }

    private static OptionalDouble date(String s) {
        try {
            return OptionalDouble.of(LocalDate.parse(s.trim(), DA).toEpochDay() * 86400.0);
        } catch (DateTimeParseException e) {
            return OptionalDouble.empty();
        }
    }

    /** TM: HH[MM[SS[.F…]]], also the old HH:MM:SS form; a time-zone suffix of DT (±HHMM) is ignored. */
    static OptionalDouble time(String s) {
        String t = s.trim().replace(":", "");
        int zone = Math.max(t.indexOf('+'), t.indexOf('-'));
        if (zone >= 0) t = t.substring(0, zone);
        if (t.isEmpty()) return OptionalDouble.of(0);
        String whole = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
        if (whole.length() < 2 || whole.length() > 6 || whole.length() % 2 == 1 || !whole.chars().allMatch(Character::isDigit)) {
            return OptionalDouble.empty();
        }
        try {
            double h = Integer.parseInt(whole.substring(0, 2));
            double m = whole.length() >= 4 ? Integer.parseInt(whole.substring(2, 4)) : 0;
            double sec = whole.length() >= 6 ? Double.parseDouble(t.substring(4)) : 0;
            if (h > 23 || m > 59 || sec >= 61) return OptionalDouble.empty();
            return OptionalDouble.of(h * 3600 + m * 60 + sec);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
