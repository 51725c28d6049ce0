/// A read-only pass over a journal directory: newest valid snapshot, then segments in order
/// up to the first torn or corrupt frame.
///
/// Sendable: plain values. `Journal.read` reports it as is; `Journal.open` then repairs the
/// directory it describes (truncates `truncatedSegment`, removes `droppedSegmentNumbers`).
struct JournalScan: Sendable {
    /// What a reader sees.
    var report = RecoveryReport()
    /// Segments holding the valid journal, `bytes` being their valid length.
    var segments: [JournalSegment] = []
    /// The last kept segment when its file runs past its valid length.
    var truncatedSegment: JournalSegment?
    /// Segments after the end of the journal, or whose header is torn.
    var droppedSegmentNumbers: [UInt64] = []

    /// Scans `directory` without changing anything in it.
    static func scan(directory: String, fileSystem: any JournalFileSystem) throws -> JournalScan {
        let names = try fileSystem.listDirectory(directory)
        var scan = JournalScan()
        try scan.loadNewestSnapshot(names: names, directory: directory, fileSystem: fileSystem)
        var journalEnded = false
        var lastSequence: UInt64 = 0
        for number in names.compactMap(JournalSegment.number(inFileName:)).sorted() {
            let path = directory + "/" + JournalSegment.fileName(number)
            if journalEnded {
                scan.droppedSegmentNumbers.append(number)
                scan.report.droppedBytes += try fileSystem.fileSize(path)
                continue
            }
            let file = try fileSystem.readFile(path)
            var segment = JournalSegment(number: number, bytes: 0)
            journalEnded = !scan.readFrames(of: file, into: &segment, lastSequence: &lastSequence)
            scan.keep(segment, fileBytes: file.count)
        }
        scan.report.segmentCount = scan.segments.count
        scan.report.totalBytes = scan.segments.reduce(0) { $0 + $1.bytes }
        scan.report.droppedSegments = scan.droppedSegmentNumbers.count
        scan.report.lastSequence = max(scan.report.snapshotSequence, lastSequence)
        return scan
    }

    private mutating func loadNewestSnapshot(
        names: [String], directory: String, fileSystem: any JournalFileSystem
    ) throws {
        // A snapshot is only renamed into place after its fsync, so an invalid one means
        // damage: fall back to the next older one rather than give up.
        let sequences = names.compactMap(JournalSnapshotFile.sequence(inFileName:)).sorted(by: >)
        for sequence in sequences {
            let file = try fileSystem.readFile(directory + "/" + JournalSnapshotFile.fileName(sequence))
            if let decoded = JournalSnapshotFile.decode(file), decoded.sequence == sequence {
                report.snapshot = decoded.snapshot
                report.snapshotSequence = sequence
                return
            }
        }
    }

    /// Reads frames into `report.records`; `false` when a bad frame ended the journal.
    private mutating func readFrames(
        of file: [UInt8], into segment: inout JournalSegment, lastSequence: inout UInt64
    ) -> Bool {
        file.withUnsafeBytes { bytes in
            guard JournalSegment.hasValidHeader(bytes) else { return false }
            var offset = JournalSegment.header.count
            defer { segment.bytes = offset }
            while offset < bytes.count {
                guard
                    let payload = JournalFrame.payload(
                        in: bytes, at: offset, maxPayloadBytes: JournalSegment.maxPayloadBytes),
                    let record = RecordCodec.decode(payload),
                    record.sequence > lastSequence
                else { return false }
                lastSequence = record.sequence
                segment.lastSequence = record.sequence
                if record.sequence > report.snapshotSequence { report.records.append(record) }
                offset += JournalFrame.headerBytes + payload.count
            }
            return true
        }
    }

    private mutating func keep(_ segment: JournalSegment, fileBytes: Int) {
        if segment.bytes < JournalSegment.header.count {
            droppedSegmentNumbers.append(segment.number)
            report.droppedBytes += fileBytes
            return
        }
        segments.append(segment)
        report.droppedBytes += fileBytes - segment.bytes
        if segment.bytes < fileBytes { truncatedSegment = segment }
    }
}
