import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The load generator's check on itself during a point: how late each event loop runs a timer
/// due every few milliseconds (a late loop stamps tokens late), and the process's CPU.
///
/// Not every millisecond: on a loaded two-core machine that woke the loops five times as often
/// and made their p99 worse, not better (docs/sweeps.md, why points of the demo fail).
final class ClientLoadMonitor: Sendable {
    static let tick = TimeAmount.milliseconds(5)

    private struct State {
        var lags = LagHistogram()
        var running = true
    }

    private let state = Mutex(State())
    private let startedAt = ContinuousClock.now
    private let startCPU = ClientLoadMonitor.processCPUSeconds()

    init(group: MultiThreadedEventLoopGroup = LoadGeneratorLoops.group) {
        for loop in group.makeIterator() { schedule(on: loop) }
    }

    private func schedule(on loop: any EventLoop) {
        let due = NIODeadline.now() + Self.tick
        loop.scheduleTask(deadline: due) { [self] in
            let lag = Double((NIODeadline.now() - due).nanoseconds) / 1e6
            let running = state.withLock { state in
                if state.running { state.lags.record(milliseconds: lag) }
                return state.running
            }
            if running { schedule(on: loop) }
        }
    }

    /// Stops sampling and says how loaded the client was.
    func stop() -> ClientLoad {
        let lags = state.withLock { state in
            state.running = false
            return state.lags
        }
        let elapsed = ContinuousClock.now - startedAt
        let wall = elapsed.inSeconds
        let cpu = Self.processCPUSeconds() - startCPU
        return ClientLoad(
            cpuCores: wall > 0 ? cpu / wall : 0, coresAvailable: ProcessInfo.processInfo.activeProcessorCount,
            loopLagP99Milliseconds: lags.percentile(99), loopLagMaxMilliseconds: lags.maximum, cpuSeconds: cpu)
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
