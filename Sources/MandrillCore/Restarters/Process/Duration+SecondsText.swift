extension Duration {
    /// The duration in seconds, millisecond precision, trailing zeros trimmed: "30s", "0.3s".
    var secondsText: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 500_000_000_000_000) / 1_000_000_000_000_000
        let whole = milliseconds / 1000
        var fraction = String(milliseconds % 1000)
        if fraction == "0" {
            return "\(whole)s"
        }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") {
            fraction.removeLast()
        }
        return "\(whole).\(fraction)s"
    }
}
