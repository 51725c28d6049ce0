/// How long a test lets a "prompt" reaction take: a cancellation, a close, a kill after a
/// timeout of a fraction of a second. These tests tell a prompt reaction from a hang (the
/// operation would otherwise block for its 30–60 s), and never measure speed: the bound
/// is wide enough for a loaded CI machine running the suites in parallel.
enum Promptly {
    static let bound: Duration = .seconds(10)
}
