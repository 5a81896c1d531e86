import Results

/// vLLM's result table, so the numbers read as people are used to reading them.
enum BenchTable {
    static func render(_ summary: PointSummary, validity: PointValidity, concurrency: Int?, requestRate: Double? = nil)
        -> String
    {
        func row(_ label: String, _ value: String) -> String {
            label.padding(toLength: 41, withPad: " ", startingAt: 0) + value
        }
        func ms(_ seconds: Double) -> String { seconds.isNaN ? "-" : String(format: "%.2f", seconds * 1000) }
        func rate(_ value: Double) -> String { String(format: "%.2f", value) }
        func section(_ title: String) -> String {
            let left = max(0, 50 - title.count) / 2
            return String(repeating: "-", count: left) + title
                + String(repeating: "-", count: max(0, 50 - left - title.count))
        }
        var lines = [
            "============ Serving Benchmark Result ============",
            row("Traffic request rate:", requestRate.map { String(format: "%.2f", $0) } ?? "inf"),
            row("Maximum request concurrency:", concurrency.map(String.init) ?? "-"),
            row("Successful requests:", String(summary.completed)),
            row("Failed requests:", String(summary.failed)),
            row("Benchmark duration (s):", String(format: "%.2f", summary.duration)),
            row("Total input tokens:", String(summary.inputTokens)),
            row("Total generated tokens:", String(summary.outputTokens)),
            row("Request throughput (req/s):", rate(summary.requestThroughput)),
            row("Output token throughput (tok/s):", rate(summary.outputThroughput)),
            row("Total Token throughput (tok/s):", rate(summary.totalTokenThroughput)),
            section("Time to First Token"),
            row("Mean TTFT (ms):", ms(summary.ttft.mean)),
            row("Median TTFT (ms):", ms(summary.ttft.median)),
            row("P99 TTFT (ms):", ms(summary.ttft.p99)),
            section("Time per Output Token (excl. 1st token)"),
            row("Mean TPOT (ms):", ms(summary.tpot.mean)),
            row("Median TPOT (ms):", ms(summary.tpot.median)),
            row("P99 TPOT (ms):", ms(summary.tpot.p99)),
        ]
        if summary.queue.mean > 0 {
            lines += [
                row("Mean queue time (ms):", ms(summary.queue.mean)),
                row("P99 queue time (ms):", ms(summary.queue.p99)),
            ]
        }
        if let itl = summary.itl {
            lines += [
                section("Inter-token Latency"), row("Mean ITL (ms):", ms(itl.mean)),
                row("Median ITL (ms):", ms(itl.median)),
                row("P99 ITL (ms):", ms(itl.p99)),
            ]
        }
        lines += [
            section("Sweepline"),
            row("Interactivity (tok/s/user):", rate(summary.interactivity)),
            row("Throughput per GPU (tok/s/GPU):", rate(summary.tokensPerSecondPerGPU)),
            row("Valid:", validity.isValid ? "yes" : "no: " + validity.reasons.joined(separator: "; ")),
            String(repeating: "=", count: 50),
        ]
        return lines.joined(separator: "\n")
    }
}
