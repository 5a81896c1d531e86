import Testing

@testable import Agent

@Suite struct BoundedBufferTests {
    @Test func full_dropsAndCounts_neverBlocks() {
        let buffer = BoundedBuffer<Int>(capacity: 3)
        #expect((1...5).map { buffer.push($0, bytes: 1) } == [true, true, true, false, false])
        let (items, dropped) = buffer.take(maxItems: 10, maxBytes: 100)
        #expect(items == [1, 2, 3])
        #expect(dropped == 2)
        #expect(buffer.take(maxItems: 10, maxBytes: 100).dropped == 0, "drops are reported once")
        #expect(buffer.produced == 5)
    }

    @Test func take_respectsItemAndByteLimits_butAlwaysTakesOne() {
        let buffer = BoundedBuffer<String>(capacity: 100)
        for index in 0..<10 { buffer.push("r\(index)", bytes: 100) }
        #expect(buffer.take(maxItems: 3, maxBytes: 10_000).items == ["r0", "r1", "r2"])
        #expect(buffer.take(maxItems: 100, maxBytes: 250).items == ["r3", "r4"])
        #expect(
            buffer.take(maxItems: 100, maxBytes: 10).items == ["r5"], "an item larger than the limit still goes alone")
        #expect(buffer.count == 4)
    }
}

@Suite struct BoundedBufferByteTests {
    /// 4,000 records of 256 KiB (1 GiB) while nothing is acknowledged: the agent's record buffer
    /// holds 64 MiB of them and counts the rest.
    @Test func recordsOfQuarterMegabyte_whileNothingIsAcknowledged_stayWithinTheByteCapacity() {
        let output = JobOutput()
        let record = "{" + String(repeating: "x", count: (256 << 10) - 2) + "}"
        for _ in 0..<4_000 { output.records.push(record, bytes: record.utf8.count + 1) }
        #expect(output.records.bytes <= 64 << 20)
        #expect(output.records.count == (64 << 20) / ((256 << 10) + 1))
        #expect(output.records.pendingDrops == 4_000 - output.records.count)
        // Taking frees room again.
        _ = output.records.take(maxItems: 10, maxBytes: .max)
        #expect(output.records.push(record, bytes: record.utf8.count + 1))
    }
}

@Suite struct BackoffTests {
    @Test func ceilingDoubles_upToTheCap_andResets() {
        var backoff = Backoff(initialSeconds: 0.5, capSeconds: 4)
        var ceilings: [Double] = []
        for _ in 0..<6 {
            ceilings.append(backoff.ceiling)
            _ = backoff.next(random: 0.5)
        }
        #expect(ceilings == [0.5, 1, 2, 4, 4, 4])
        backoff.reset()
        #expect(backoff.ceiling == 0.5)
    }

    @Test func delay_isAJitteredFractionOfTheCeiling() {
        var low = Backoff(initialSeconds: 8, capSeconds: 30)
        var high = low
        #expect(low.next(random: 0) == 0.05, "never zero: a floor keeps a dead coordinator from being hammered")
        #expect(high.next(random: 0.999) > 7.9)
    }
}
