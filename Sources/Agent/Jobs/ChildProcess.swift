import CWorkloadSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A workload process started directly from an argv (never through a shell), in a process
/// group of its own so that a cancel reaches everything it started, and killed by the kernel
/// if the agent dies first (`PR_SET_PDEATHSIG`), so that no workload outlives its agent.
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
        var user: String? = nil
        var description: String {
            "cannot start `\(program)`\(user.map { " as user \($0)" } ?? ""): \(String(cString: strerror(errno)))"
        }
    }

    let pid: pid_t
    /// The cgroup it runs in, when the agent has one to give it.
    let cgroup: String?
    private let stdoutFD: Int32
    private let stderrFD: Int32

    private init(pid: pid_t, cgroup: String?, stdoutFD: Int32, stderrFD: Int32) {
        self.pid = pid
        self.cgroup = cgroup
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// Starts `argv` with exactly `environment`; `argv[0]` is looked up on this process's PATH.
    /// - Parameters:
    ///   - user: run it as this user instead of the agent's.
    ///   - cgroup: a cgroup v2 directory the child joins before it runs anything.
    static func spawn(
        argv: [String], environment: [String: String], as user: WorkloadUser? = nil, cgroup: String? = nil
    ) throws -> ChildProcess {
        precondition(!argv.isEmpty, "argv must name a program")
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        // Close-on-exec from the start, not set a moment later: a process another thread starts
        // in between (another workload, a probe) would hold the write ends open, and this
        // workload's output would not end until that process does (a cancel of a `sleep`
        // waited 32 s so, beside a test's 30 s engine). dup2 clears the flag in this child.
        guard sweepline_pipe_cloexec(&stdoutPipe) == 0 else { throw SpawnError(program: argv[0], errno: errno) }
        guard sweepline_pipe_cloexec(&stderrPipe) == 0 else {
            close(stdoutPipe[0])
            close(stdoutPipe[1])
            throw SpawnError(program: argv[0], errno: errno)
        }

        let cArguments = CStrings(argv)
        let cEnvironment = CStrings(environment.map { "\($0.key)=\($0.value)" })
        defer {
            cArguments.free()
            cEnvironment.free()
        }
        let (out, err) = (stdoutPipe[1], stderrPipe[1])
        let joining = cgroup.map { CStrings([$0 + "/cgroup.procs"]) }
        defer { joining?.free() }
        let result = SpawnThread.shared.run {
            let groups = user?.groups ?? []
            return groups.withUnsafeBufferPointer {
                sweepline_spawn_workload(
                    argv[0], cArguments.pointers, cEnvironment.pointers, out, err, user == nil ? 0 : 1, user?.uid ?? 0,
                    user?.gid ?? 0, $0.baseAddress, $0.count, joining?.pointers[0])
            }
        }
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard result > 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw SpawnError(program: argv[0], errno: -result, user: user?.name)
        }
        return ChildProcess(pid: result, cgroup: cgroup, stdoutFD: stdoutPipe[0], stderrFD: stderrPipe[0])
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

/// A NULL-terminated array of C strings, freed by whoever made it. Sendable because the spawn
/// thread reads it only while its maker waits for that thread.
private struct CStrings: @unchecked Sendable {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    func free() {
        pointers.forEach { Glibc.free($0) }
    }
}

/// The one thread that starts workloads. A parent-death signal fires when the *thread* that
/// forked the child ends, not the process; pool threads come and go, so every fork happens on
/// this thread, which lives as long as the agent.
final class SpawnThread: Sendable {
    static let shared = SpawnThread()

    private struct Request: Sendable {
        var work: @Sendable () -> pid_t
        var done: @Sendable (pid_t) -> Void
    }

    private let queue = Mutex<[Request]>([])
    private let ready = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            while true {
                ready.wait()
                guard let request = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                request.done(request.work())
            }
        }
        thread.name = "sweepline-spawn"
        thread.start()
    }

    /// Runs `work` on the spawn thread and waits for it (a fork takes milliseconds).
    func run(_ work: @escaping @Sendable () -> pid_t) -> pid_t {
        let result = Mutex<pid_t>(0)
        let finished = DispatchSemaphore(value: 0)
        queue.withLock {
            $0.append(
                Request(
                    work: work,
                    done: { pid in
                        result.withLock { $0 = pid }
                        finished.signal()
                    }))
        }
        ready.signal()
        finished.wait()
        return result.withLock { $0 }
    }
}
