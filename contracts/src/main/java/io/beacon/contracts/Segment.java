package io.beacon.contracts;

/**
 * Company-size segments. The employee boundaries live here and nowhere else.
 */
public enum Segment {
    /** Up to 99 employees (accounts under 10 employees are MERCURY too). */
    MERCURY(0),
    MARS(100),
    VENUS(400),
    JUPITER(3000);

    private final int minEmployees;

    Segment(int minEmployees) {
        this.minEmployees = minEmployees;
    }

    public int minEmployees() {
        return minEmployees;
    }

    public static Segment forEmployees(int employees) {
        if (employees < 0) {
            throw new IllegalArgumentException("employees must not be negative, was " + employees);
        }
        Segment result = MERCURY;
        for (Segment segment : values()) {
            if (employees >= segment.minEmployees) {
                result = segment;
            }
        }
        return result;
    }
}
