import Foundation
import Testing

/// The README's first command, as a newcomer runs it.
@Suite struct DemoTests {
    @Test func demo_runsEveryJob_andStoresEveryRecord() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let demo = try ManagedProcess(
            name: "demo", arguments: ["demo", "--store", directory.appendingPathComponent("demo.db").path],
            directory: directory)
        let status = try await demo.waitForExit(timeout: .seconds(120))
        try await Task.sleep(for: .milliseconds(100))
        let output = demo.output.joined(separator: "\n")
        #expect(status == 0, "\(output)\n\(demo.log)")
        #expect(output.contains("sweepline demo: 530 records stored from the final attempts"))
        #expect(output.contains("succeeded=12"))
        // The two flaky jobs failed once each and succeeded as attempt 2.
        #expect(
            output.split(separator: "\n").filter { $0.contains("flaky-") && $0.contains("succeeded  2") }.count == 2)
    }
}
