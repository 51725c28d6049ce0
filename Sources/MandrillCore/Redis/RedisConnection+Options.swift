extension RedisConnection {
    /// Timeouts and parser limits for one connection. Sendable.
    public struct Options: Sendable, Equatable {
        /// The longest a TCP connect may take (DNS resolution is bounded by the resolver).
        public var connectTimeout: Duration
        /// The longest a call waits for all its replies, unless the call overrides it.
        public var readTimeout: Duration
        /// The longest a call may take to write its commands.
        public var writeTimeout: Duration
        /// Bounds on reply sizes.
        public var parserLimits: RESPParser.Limits

        /// Options with 5-second timeouts and default parser limits.
        public init(
            connectTimeout: Duration = .seconds(5),
            readTimeout: Duration = .seconds(5),
            writeTimeout: Duration = .seconds(5),
            parserLimits: RESPParser.Limits = RESPParser.Limits()
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.writeTimeout = writeTimeout
            self.parserLimits = parserLimits
        }
    }
}
