import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A workload process started directly from an argv (never through a shell), in a process
/// group of its own so that a cancel reaches everything it started.
final class ChildProcess: Sendable {
    /// How a process ended.
    enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        var description: String {
            switch self {
            case .exited(let code): "exit code \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var program: String
        var errno: Int32
        var description: String { "cannot start `\(program)`: \(String(cString: strerror(errno)))" }
    }

    let pid: pid_t
    private let stdoutFD: Int32
    private let stderrFD: Int32

    private init(pid: pid_t, stdoutFD: Int32, stderrFD: Int32) {
        self.pid = pid
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// Starts `argv` with exactly `environment`; `argv[0]` is looked up on this process's PATH.
    static func spawn(argv: [String], environment: [String: String]) throws -> ChildProcess {
        precondition(!argv.isEmpty, "argv must name a program")
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdoutPipe) == 0 else { throw SpawnError(program: argv[0], errno: errno) }
        guard pipe(&stderrPipe) == 0 else {
            close(stdoutPipe[0])
            close(stdoutPipe[1])
            throw SpawnError(program: argv[0], errno: errno)
        }
        // Not inherited by other workloads spawned meanwhile (dup2 clears it in this child).
        for fd in stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (cancel signals the group); default signal handling and an
        // empty mask, whatever this process ignores or blocks.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard result == 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw SpawnError(program: argv[0], errno: result)
        }
        return ChildProcess(pid: pid, stdoutFD: stdoutPipe[0], stderrFD: stderrPipe[0])
    }

    /// Signals the whole process group.
    func signalGroup(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Waits for the process to end. Blocks a thread of its own, not the caller's.
    func waitForExit() async -> Termination {
        await onThread { [pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WTERMSIG, spelt out: the C macros do not import.
            let signal = status & 0x7f
            return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        }
    }

    /// Reads stdout and stderr to their end, line by line, on threads of their own.
    func readOutput(stdout: @escaping @Sendable (Substring) -> Void, stderr: @escaping @Sendable (Substring) -> Void)
        async
    {
        async let out: Void = onThread { [stdoutFD] in Self.readLines(stdoutFD, stdout) }
        async let err: Void = onThread { [stderrFD] in Self.readLines(stderrFD, stderr) }
        _ = await (out, err)
    }

    /// A line longer than ``OutputLines/defaultMaximumBytes`` is passed on cut, followed by a
    /// line that says so (which the job's log then shows).
    private static func readLines(_ fd: Int32, _ sink: (Substring) -> Void) {
        defer { close(fd) }
        var lines = OutputLines()
        let emit = { (line: OutputLines.Line) in
            sink(Substring(decoding: line.bytes, as: UTF8.self))
            if line.cutBytes > 0 {
                sink(
                    "[sweepline] the line above was \(line.bytes.count + line.cutBytes) bytes long; "
                        + "only its first \(line.bytes.count) were kept")
            }
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            lines.feed(chunk[0..<count], emit)
        }
        lines.finish(emit)
    }
}

/// Runs blocking work on a thread of its own and resumes with its result.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
