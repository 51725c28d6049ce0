/// The sample lines of a Prometheus text rendering, parsed just enough for assertions.
struct PrometheusSamples {
    struct Line {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let lines: [Line]

    init(_ text: String) {
        lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
                ?? (line.hasSuffix("+Inf") ? .infinity : nil) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                return Line(name: String(series), labels: [:], value: value)
            }
            var labels: [String: String] = [:]
            // Values in these tests contain no commas or escaped quotes.
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Line(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    /// The value of the first sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        lines.first { line in line.name == name && labels.allSatisfy { line.labels[$0.key] == $0.value } }?.value
    }
}
