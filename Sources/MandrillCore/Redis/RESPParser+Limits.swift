extension RESPParser {
    /// Bounds on what the parser accepts, so a broken or hostile peer cannot make it
    /// allocate without limit. Sendable.
    public struct Limits: Sendable, Equatable {
        /// The longest bulk string accepted, in bytes (Redis itself allows 512 MiB).
        public var maxBulkLength: Int
        /// The most elements one array may declare.
        public var maxArrayCount: Int
        /// How deeply arrays may nest.
        public var maxDepth: Int
        /// The longest simple-string or error line accepted, in bytes.
        public var maxLineLength: Int

        /// Limits with defaults that fit any reply Redis sends in practice.
        public init(
            maxBulkLength: Int = 512 * 1024 * 1024,
            maxArrayCount: Int = 1024 * 1024,
            maxDepth: Int = 32,
            maxLineLength: Int = 64 * 1024
        ) {
            self.maxBulkLength = maxBulkLength
            self.maxArrayCount = maxArrayCount
            self.maxDepth = maxDepth
            self.maxLineLength = maxLineLength
        }
    }
}
