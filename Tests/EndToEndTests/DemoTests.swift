import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The README's first command. The whole grid runs here in virtual time (`--virtual`): in real
/// time, its default, it takes minutes of a release build; that path is covered end to end by
/// SweepEndToEndTests, and here by starting it and interrupting it.
@Suite struct DemoTests {
    @Test func demo_runsTheWholeSweep_printsTheFrontiers_andWritesTheReport() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let report = directory.appendingPathComponent("report.html").path
        let demo = try ManagedProcess(
            name: "demo",
            arguments: [
                "demo", "--virtual", "-o", report, "--store", directory.appendingPathComponent("demo.db").path,
            ],
            directory: directory)
        let status = try await demo.waitForExit(timeout: .seconds(300))
        let output = demo.output.joined(separator: "\n")
        #expect(status == 0, "\(output)\n\(demo.log)")
        #expect(output.contains("96 jobs, 336 points on 3 agents"))
        #expect(output.contains("sweepline demo: 336 points measured"))
        for group in ["H200-SXM · sim · fp8", "B200-HGX · sim · fp8", "MI325X · sim · fp8", "B200-HGX · sim · fp4"] {
            #expect(output.contains(group), "a frontier for \(group)")
        }
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 16, "four charts for each model × scenario")
    }

    /// Ctrl-C in the middle of the real-time run ends it promptly, engines included, and keeps
    /// what was measured.
    @Test func demo_inRealTime_startsItsEngines_andEndsOnCtrlC() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-demo-interrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = directory.appendingPathComponent("demo.db").path
        let demo = try ManagedProcess(
            name: "demo-real-time",
            // A fixed scale: choosing each job's own runs the whole grid in virtual time first,
            // half a minute of a debug build (DemoTimeScaleTests covers it).
            arguments: [
                "demo", "--time-scale", "100", "-o", directory.appendingPathComponent("r.html").path, "--store", store,
            ],
            directory: directory)
        _ = try await eventually("the real-time sweep to start", timeout: .seconds(60)) {
            demo.output.contains { $0.hasPrefix("[") && $0.contains("points; jobs:") } ? true : nil
        }
        #expect(demo.output.contains { $0.contains("in real time, one deployment at a time") })
        #expect(
            demo.output.contains { $0.contains("Llama-3.3-70B-Instruct on H200-SXM, 1024/1024: tp1 ") },
            "each one's scale")
        let engines = try await eventually("an engine process to serve", timeout: .seconds(60)) {
            let children = Self.processes(containing: "sim-engine", under: demo.pid)
            return children.isEmpty ? nil : children
        }
        demo.kill(SIGINT)
        let status = try await demo.waitForExit(timeout: .seconds(60))
        #expect(status == 130, "\(demo.output.joined(separator: "\n"))\n\(demo.log)")
        #expect(demo.output.contains { $0.contains("interrupted; what was measured stays in the store") })
        for pid in engines {
            #expect(kill(pid, 0) != 0 || Self.isZombie(pid), "engine \(pid) ended with the demo")
        }
        #expect(FileManager.default.fileExists(atPath: store))
    }

    /// Processes whose command line contains `text` and whose parent is `parent`.
    static func processes(containing text: String, under parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
            else { return false }
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            return fields.count > 1 && Int32(fields[1]) == parent && command.contains(text)
        }
    }

    static func isZombie(_ pid: Int32) -> Bool {
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        return stat?.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
