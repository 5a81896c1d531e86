import Foundation
import Testing
import Wire

@testable import Agent

#if canImport(Glibc)
import Glibc
#endif

/// The `command` job kind against real processes.
@Suite struct CommandJobRunnerTests {
    static func job(
        _ argv: [String], gpus: [Int] = [2, 3], environment: [String: String] = [:], timeout: Double? = nil,
        grace: Double = 1
    ) -> AssignedJob {
        AssignedJob(
            jobID: "j-000001", attempt: 2,
            spec: JobSpec(
                name: "t", gpus: gpus.count,
                command: CommandWorkload(
                    argv: argv, environment: environment, cancelGraceSeconds: grace, timeoutSeconds: timeout)),
            gpus: gpus, vendor: .nvidia,
            baseEnvironment: ["PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "0,1,2,3,4,5,6,7"])
    }

    static func drain(_ output: JobOutput) -> (records: [JSONValue], log: [String]) {
        let records = RecordsJSON(joiningObjects: output.records.take(maxItems: 10_000, maxBytes: 1 << 30).items)
        return ((try? records.decode()) ?? [], output.log.take(maxItems: 10_000, maxBytes: 1 << 30).items)
    }

    @Test func jsonObjectLines_becomeRecords_andEverythingElseTheLog_onTheAssignedGPUs() async {
        let script = #"""
            echo '{"request":1,"ttft_ms":41.5}'
            echo 'plain text'
            echo '[1,2,3]'
            printf '{"gpus":"%s","job":"%s","attempt":"%s","extra":"%s"}\n' "$CUDA_VISIBLE_DEVICES" "$SWEEPLINE_JOB_ID" "$SWEEPLINE_ATTEMPT" "$EXTRA"
            echo 'to stderr' >&2
            printf '{"unterminated":true}'
            """#
        let output = JobOutput()
        let (outcome, detail) = await CommandJobRunner().run(
            Self.job(["sh", "-c", script], environment: ["EXTRA": "x", "CUDA_VISIBLE_DEVICES": "7"]), output: output,
            cancel: CancelSignal())
        #expect(outcome == .succeeded)
        #expect(detail == "exit code 0")
        let (records, log) = Self.drain(output)
        #expect(records.count == 3)
        #expect(records[0]["ttft_ms"] == .number(41.5))
        #expect(
            records[1]["gpus"] == .string("2,3"),
            "the visible-devices variable is the assignment, whatever the job asks")
        #expect(records[1]["job"] == .string("j-000001"))
        #expect(records[1]["attempt"] == .string("2"))
        #expect(records[1]["extra"] == .string("x"))
        #expect(records[2]["unterminated"] == .bool(true), "a last line without newline still counts")
        #expect(Set(log) == ["plain text", "[1,2,3]", "to stderr"])
    }

    @Test func aHugeLineWithoutNewline_isCutAndNoted_andTheNextLineStillCounts() async {
        // 4 MiB of `x` with no newline, then a record: kept in 1 MiB, read in one pass.
        let script = #"head -c 4194304 /dev/zero | tr '\0' x; echo; echo '{"after":true}'"#
        let output = JobOutput()
        let (outcome, _) = await CommandJobRunner().run(
            Self.job(["sh", "-c", script]), output: output, cancel: CancelSignal())
        #expect(outcome == .succeeded)
        let (records, log) = Self.drain(output)
        #expect(records.count == 1)
        #expect(records.first?["after"] == .bool(true))
        #expect(log.count == 2)
        #expect(log.first?.count == 8192, "the cut line is logged as any long line: its first 8192 characters")
        #expect(log.last == "[sweepline] the line above was 4194304 bytes long; only its first 1048576 were kept")
    }

    @Test func nonZeroExit_fails_namingTheCode() async {
        let (outcome, detail) = await CommandJobRunner().run(
            Self.job(["sh", "-c", "exit 7"]), output: JobOutput(), cancel: CancelSignal())
        #expect(outcome == .failed)
        #expect(detail == "sh: exit code 7")
    }

    @Test func missingProgram_failsWithTheReason() async {
        let (outcome, detail) = await CommandJobRunner().run(
            Self.job(["/nonexistent/engine"]), output: JobOutput(), cancel: CancelSignal())
        #expect(outcome == .failed)
        #expect(detail.contains("cannot start `/nonexistent/engine`"))
        #expect(detail.contains("No such file"))
    }

    @Test func argvIsNeverGivenToAShell() async {
        let output = JobOutput()
        let (outcome, _) = await CommandJobRunner().run(
            Self.job(["echo", "$HOME; rm -rf /"]), output: output, cancel: CancelSignal())
        #expect(outcome == .succeeded)
        #expect(Self.drain(output).log == ["$HOME; rm -rf /"])
    }

    @Test func cancel_sendsSIGTERMToTheGroup_thenSIGKILLAfterTheGrace() async throws {
        // The workload ignores SIGTERM and has a child; both must be gone after the cancel.
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        let script = "trap '' TERM; sleep 60 & echo $! > \(pidFile); echo started; while true; do sleep 0.05; done"
        let cancel = CancelSignal()
        let output = JobOutput()
        async let result = CommandJobRunner().run(
            Self.job(["sh", "-c", script], grace: 0.5), output: output, cancel: cancel)
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: pidFile) {
            try await Task.sleep(for: .milliseconds(20))
        }
        // Timed from the cancel: what comes before it (the shell starting) is not what is tested,
        // and on a loaded CI machine it can take seconds.
        let cancelled = ContinuousClock.now
        cancel.cancel(graceSeconds: 0.5)
        let (outcome, detail) = await result
        let elapsed = ContinuousClock.now - cancelled
        #expect(outcome == .canceled)
        #expect(detail == "stopped on request")
        #expect(elapsed > .milliseconds(450), "waited out the grace: the workload ignored SIGTERM")
        #expect(elapsed < .seconds(10))
        let child = try #require(
            Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Gone, or a zombie waiting for a PID 1 that does not reap (as in some containers). The
        // kernel closes a killed process's files before it marks it a zombie: its output ended,
        // so the runner returned, a moment before that; allow the moment.
        var state: Substring? = "?"
        for _ in 0..<100 {
            let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)
            state = stat?.split(separator: ")").last?.split(separator: " ").first
            if state == nil || state == "Z" { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(state == nil || state == "Z", "the workload's child went with the group (state \(state ?? "gone"))")
    }

    @Test func cancel_ofAWorkloadThatHonoursSIGTERM_isPrompt() async throws {
        let cancel = CancelSignal()
        let output = JobOutput()
        async let result = CommandJobRunner().run(
            Self.job(["sh", "-c", "echo started; exec sleep 60"], grace: 30), output: output, cancel: cancel)
        // Timed from the cancel, once the workload runs: before it, the suite's start on two
        // cores (heavy synchronous tests holding the test pool) once took 30 s by itself.
        for _ in 0..<500 where !Self.drain(output).log.contains("started") {
            try await Task.sleep(for: .milliseconds(20))
        }
        let cancelled = ContinuousClock.now
        cancel.cancel(graceSeconds: 30)
        #expect(await result.0 == .canceled)
        // Well under the 30 s grace: the workload went on SIGTERM, nobody waited for SIGKILL.
        #expect(ContinuousClock.now - cancelled < .seconds(20))
    }

    @Test func timeout_failsTheAttempt() async {
        let (outcome, detail) = await CommandJobRunner().run(
            Self.job(["sleep", "60"], timeout: 0.2, grace: 0.2), output: JobOutput(), cancel: CancelSignal())
        #expect(outcome == .failed)
        #expect(detail == "timed out after 0.2 s")
    }
}
