import Foundation
import Synchronization
import Wire

/// A one-shot signal that ends the agent's connection loop, wherever it is waiting.
final class StopSignal: Sendable {
    private struct State {
        var fired = false
        var actions: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())
    private let wake = WorkSignal()

    var fired: Bool { state.withLock { $0.fired } }

    func fire() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            state.fired = true
            defer { state.actions = [] }
            return state.actions
        }
        actions.forEach { $0() }
        wake.notify()
    }

    /// Runs `action` when the signal fires (at once if it has).
    func onFire(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.fired { return true }
            state.actions.append(action)
            return false
        }
        if now { action() }
    }

    /// Sleeps, returning early when the signal fires or the task is cancelled.
    func sleep(seconds: Double) async {
        guard !fired else { return }
        await wake.wait(timeout: .seconds(seconds))
    }
}

/// When the last frame arrived, for the silent-coordinator check.
final class LastHeard: Sendable {
    private let last = Mutex(ContinuousClock.now)
    func touch() { last.withLock { $0 = ContinuousClock.now } }
    var secondsAgo: Double {
        (ContinuousClock.now - last.withLock { $0 }).inSeconds
    }
}
