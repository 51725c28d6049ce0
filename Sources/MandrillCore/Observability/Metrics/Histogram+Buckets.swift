extension Histogram {
    /// Buckets for host restarts: half a second up to ten minutes.
    public static let restartBuckets: [Double] = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600]

    /// Buckets for message handling, stages and fsync: half a millisecond up to a minute.
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ]
}
