extension ChildProcessResult {
    /// The last lines of stdout followed by stderr, for error reports and the journal.
    ///
    /// Stderr comes last so that when the tail is cut, the error message survives.
    /// At most `maxLines` non-empty lines and `maxBytes` UTF-8 bytes are kept.
    public func outputTail(maxLines: Int = 10, maxBytes: Int = 2048) -> String {
        let lines = (standardOutput.text + "\n" + standardError.text)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .suffix(maxLines)
        var tail = Substring(lines.joined(separator: "\n"))
        while tail.utf8.count > maxBytes {
            // Drop whole characters from the front so the cut never splits a scalar.
            tail = tail.dropFirst(max(1, (tail.utf8.count - maxBytes) / 4))
        }
        return String(tail)
    }
}
