/// Byte counts for people: `812 B`, `1.2 KB`, `3.4 MB` (decimal units, one decimal, rounded half up).
enum ByteCount {
    static func text(_ count: Int) -> String {
        if count < 1000 { return "\(count) B" }
        if count < 999_950 { return tenths(count, unit: 1000) + " KB" }
        return tenths(count, unit: 1_000_000) + " MB"
    }

    private static func tenths(_ count: Int, unit: Int) -> String {
        let value = (count * 10 + unit / 2) / unit
        return "\(value / 10).\(value % 10)"
    }
}
