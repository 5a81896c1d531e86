import Foundation
import Testing

/// The README's first command, as a newcomer runs it (virtual time, its default; the real-time
/// sweep path is covered end to end by SweepEndToEndTests).
@Suite struct DemoTests {
    @Test func demo_runsTheWholeSweep_printsTheFrontiers_andWritesTheReport() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let report = directory.appendingPathComponent("report.html").path
        let demo = try ManagedProcess(
            name: "demo",
            arguments: ["demo", "-o", report, "--store", directory.appendingPathComponent("demo.db").path],
            directory: directory)
        let status = try await demo.waitForExit(timeout: .seconds(300))
        try await Task.sleep(for: .milliseconds(100))
        let output = demo.output.joined(separator: "\n")
        #expect(status == 0, "\(output)\n\(demo.log)")
        #expect(output.contains("24 jobs, 336 points on 3 agents"))
        #expect(output.contains("sweepline demo: 336 points measured"))
        for group in ["H200-SXM · sim · fp8", "B200-HGX · sim · fp8", "MI325X · sim · fp8", "B200-HGX · sim · fp4"] {
            #expect(output.contains(group), "a frontier for \(group)")
        }
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 16, "four charts for each model × scenario")
    }
}
