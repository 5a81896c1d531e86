import Testing
import Wire

@Suite struct ClientLoadTests {
    static func load(cores: Double, lag: Double) -> ClientLoad {
        ClientLoad(
            cpuCores: cores, coresAvailable: 2, loopLagP99Milliseconds: lag, loopLagMaxMilliseconds: lag * 2,
            cpuSeconds: cores)
    }

    @Test func withinTheLimits_nothingIsSaid() {
        #expect(Self.load(cores: 1.2, lag: 4.9).saturation == nil)
    }

    @Test func aLateLoopOfABusyClient_isTheClients() {
        #expect(Self.load(cores: 0.8, lag: 9.14).saturation == "event-loop lag p99 9.14 ms (limit 5 ms)")
    }

    @Test func aLateLoopOfAnIdleClient_pointsAtTheMachine() throws {
        let reason = try #require(Self.load(cores: 0.2, lag: 7).saturation)
        #expect(reason.hasPrefix("event-loop lag p99 7 ms (limit 5 ms) at 0.2 of a core of client CPU on average"))
        #expect(reason.contains("most likely the machine held its event loops up"))
    }

    @Test func aClientUsingMostCores_isSaturated() {
        #expect(Self.load(cores: 1.9, lag: 1).saturation == "client CPU 1.9 of 2 cores (limit 90 %)")
    }
}
