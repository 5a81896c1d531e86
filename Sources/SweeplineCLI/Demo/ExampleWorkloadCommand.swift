import ArgumentParser
import Foundation
import Wire

/// A stand-in workload for the demo and the tests: prints JSON records (one per simulated
/// request) and a few log lines, on the GPUs it was given.
struct ExampleWorkloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example-workload", abstract: "A stand-in workload that prints JSON records (demo and tests).",
        shouldDisplay: false)

    @Option(help: "Records to print.")
    var records = 20

    @Option(help: "Milliseconds between records.")
    var intervalMs = 50

    @Option(help: "Exit with code 3 when SWEEPLINE_ATTEMPT is this attempt (to show retries).")
    var failAttempt: Int?

    @Option(help: "Seed of the simulated latencies.")
    var seed: UInt64 = 1

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let gpus = environment["CUDA_VISIBLE_DEVICES"] ?? environment["HIP_VISIBLE_DEVICES"] ?? ""
        let job = environment["SWEEPLINE_JOB_ID"] ?? "local"
        let attempt = Int(environment["SWEEPLINE_ATTEMPT"] ?? "1") ?? 1
        print("example workload for \(job) attempt \(attempt) on GPUs [\(gpus)]")
        var generator = SeededGenerator(seed: seed &+ UInt64(attempt))
        for index in 1...max(1, records) {
            let ttft = 40 + Double(generator.next() % 2000) / 100
            let tpot = 8 + Double(generator.next() % 400) / 100
            print(
                #"{"request":\#(index),"job":"\#(job)","attempt":\#(attempt),"gpus":"\#(gpus)","ttft_ms":\#(ttft),"tpot_ms":\#(tpot)}"#
            )
            fflush(nil)
            if failAttempt == attempt && index == records / 2 {
                print("simulated failure halfway through attempt \(attempt)")
                throw ExitCode(3)
            }
            try await Task.sleep(for: .milliseconds(intervalMs))
        }
        print("example workload done: \(records) records")
    }
}
