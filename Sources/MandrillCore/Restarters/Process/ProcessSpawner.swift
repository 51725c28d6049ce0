import Glibc

/// A started child: its pid, which is also its process group id, and the parent's read
/// ends of its stdout and stderr pipes.
///
/// Sendable: plain ids.
struct SpawnedChild: Sendable {
    let pid: pid_t
    let standardOutput: Int32
    let standardError: Int32
}

/// Starts a child with `posix_spawn`: no shell, its own process group, stdin from
/// /dev/null, stdout and stderr into pipes, default signal handling, no inherited fds.
///
/// Not instantiable; a namespace. `spawn` blocks until the child has exec'd, so callers
/// run it on a dedicated thread.
enum ProcessSpawner {
    /// Spawns `argv`; an `argv[0]` without a slash is looked up in PATH.
    static func spawn(argv: [String], environment: [String: String]) -> Result<SpawnedChild, ChildProcessError> {
        guard let executable = argv.first, !executable.isEmpty else {
            return .failure(ChildProcessError(.emptyCommand, executable: ""))
        }
        let output: CloseOnExecPipe
        let error: CloseOnExecPipe
        switch (CloseOnExecPipe.make(), CloseOnExecPipe.make()) {
        case (.success(let first), .success(let second)):
            (output, error) = (first, second)
        case (.failure(let failure), let other), (let other, .failure(let failure)):
            if case .success(let pipe) = other { pipe.close() }
            return .failure(ChildProcessError(.pipeFailed, executable: executable, systemError: failure.code))
        }
        var pid: pid_t = 0
        let code = spawn(executable: executable, argv: argv, environment: environment,
                         standardOutput: output.writeEnd, standardError: error.writeEnd, pid: &pid)
        // The write ends belong to the child; keeping them would hide its EOF from us.
        close(output.writeEnd)
        close(error.writeEnd)
        guard code == 0 else {
            close(output.readEnd)
            close(error.readEnd)
            return .failure(ChildProcessError(.spawnFailed, executable: executable, systemError: code))
        }
        return .success(SpawnedChild(pid: pid, standardOutput: output.readEnd, standardError: error.readEnd))
    }

    private static func spawn(
        executable: String, argv: [String], environment: [String: String],
        standardOutput: Int32, standardError: Int32, pid: inout pid_t
    ) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var failures = [
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0),
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1),
            posix_spawn_file_actions_adddup2(&actions, standardError, 2),
            addCloseFrom(3, to: &actions),
        ]
        // The daemon ignores or blocks signals it handles itself (SIGTERM, SIGINT, SIGHUP);
        // a child inheriting that would shrug off our SIGTERM, so reset all of them.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        failures += [
            posix_spawnattr_setsigdefault(&attributes, &defaults),
            posix_spawnattr_setsigmask(&attributes, &mask),
            posix_spawnattr_setpgroup(&attributes, 0),
            posix_spawnattr_setflags(
                &attributes,
                Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
        ]
        if let failure = failures.first(where: { $0 != 0 }) {
            return failure
        }

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        return executable.contains("/")
            ? posix_spawn(&pid, executable, &actions, &attributes, cArguments, cEnvironment)
            : posix_spawnp(&pid, executable, &actions, &attributes, cArguments, cEnvironment)
    }

    private typealias AddCloseFrom = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32
    ) -> Int32

    /// Address of glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), 0 if absent.
    /// Swift's Glibc module does not import it, so it is looked up at run time.
    private static let addCloseFromAddress = Int(
        bitPattern: dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"))

    /// Closes every fd from `lowest` up in the child, when libc can; without it the
    /// daemon's fds still do not leak as long as they are O_CLOEXEC.
    private static func addCloseFrom(_ lowest: Int32, to actions: inout posix_spawn_file_actions_t) -> Int32 {
        guard let address = UnsafeRawPointer(bitPattern: addCloseFromAddress) else {
            return 0
        }
        let function = unsafeBitCast(address, to: AddCloseFrom.self)
        return function(&actions, lowest)
    }
}
