import Testing

/// A parsed Prometheus text exposition (format 0.0.4), with the checks a scraper relies on.
struct PrometheusExposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                types[String(parts[2])] = String(parts[3])
            } else if line.hasPrefix("#") {
                continue
            } else {
                samples.append(try Self.parse(String(line)))
            }
        }
    }

    static func parse(_ line: String) throws -> Sample {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...].replacingOccurrences(of: "+Inf", with: "inf")) else {
            throw ParseError(line: line)
        }
        let series = line[..<space]
        guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
        var labels: [String: String] = [:]
        let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
        for pair in body.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return Sample(name: String(series[..<brace]), labels: labels, value: value)
    }

    struct ParseError: Error { let line: String }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    /// Every sample belongs to a typed family; counters end in `_total`; histogram buckets
    /// are cumulative, ascending, and end in `le="+Inf"` equal to `_count`.
    func checkWellFormed() throws {
        for sample in samples {
            let family = types.keys.first { sample.name == $0 || sample.name == $0 + "_bucket" || sample.name == $0 + "_sum" || sample.name == $0 + "_count" }
            #expect(family != nil, "\(sample.name) has no # TYPE")
        }
        for (family, type) in types where type == "counter" {
            #expect(family.hasSuffix("_total"), "counter \(family) ends in _total")
        }
        for (family, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == family + "_bucket" }
            let series = Dictionary(grouping: buckets) { $0.labels.filter { $0.key != "le" } }
            for (labels, group) in series {
                let bounds = group.map { Double($0.labels["le"]!.replacingOccurrences(of: "+Inf", with: "inf"))! }
                #expect(bounds == bounds.sorted(), "\(family) buckets ascend")
                #expect(bounds.last == .infinity, "\(family) ends in +Inf")
                let counts = group.map(\.value)
                #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 }, "\(family) buckets are cumulative")
                let count = samples.first { $0.name == family + "_count" && $0.labels == labels }?.value
                #expect(counts.last == count, "\(family) +Inf bucket equals _count")
            }
        }
    }
}
