/// The daemon's HTTP routes: `/metrics`, `/healthz` and `/readyz`. Sendable value type.
///
/// Pass `respond(to:)` as the `MetricsServer` handler. Known paths answer `GET` and
/// `HEAD`, other methods get 405 with `Allow: GET, HEAD`; unknown paths get 404.
public struct MetricsRoutes: Sendable {
    private let registry: MetricsRegistry
    private let isReady: @Sendable () -> Bool

    /// Creates the routes over `registry`; `/readyz` answers 200 while `isReady()` is true, else 503.
    public init(registry: MetricsRegistry, isReady: @escaping @Sendable () -> Bool) {
        self.registry = registry
        self.isReady = isReady
    }

    /// The response to `head`.
    public func respond(to head: HTTPRequestHead) -> HTTPResponse {
        let path = head.path
        guard ["/metrics", "/healthz", "/readyz"].contains(path) else {
            return .text(404, "not found\n")
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            return .text(405, "method not allowed\n", headers: [("Allow", "GET, HEAD")])
        }
        switch path {
        case "/metrics":
            return .text(200, registry.render(), contentType: PrometheusTextFormat.contentType)
        case "/healthz":
            return .text(200, "ok\n")
        default:
            return isReady() ? .text(200, "ready\n") : .text(503, "not ready\n")
        }
    }
}
