import RedisServerLauncher
import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test when redis-server is installed, and always under `CI=true` (where the
    /// launcher then fails loudly instead of the test being skipped).
    static var requiresRedisServer: Self {
        .enabled(if: LocalRedisServer.isAvailable || LocalRedisServer.isCI, "redis-server not installed")
    }
}
