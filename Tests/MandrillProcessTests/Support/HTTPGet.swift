import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 GET over a loopback TCP socket, for scraping the daemon's endpoint.
enum HTTPGet {
    struct Response {
        var status: Int
        var body: String
    }

    static func get(port: Int, path: String) throws -> Response {
        let socket = try RawSocket(port: port)
        socket.send(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        let text = socket.readAll()
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return Response(status: status, body: body)
    }
}
