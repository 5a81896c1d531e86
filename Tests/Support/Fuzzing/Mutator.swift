import Wire

/// Random and mutated inputs for the fuzz tests, from a seed, so a failure replays exactly:
/// each test prints its seed, and `SWEEPLINE_FUZZ_SEED` runs that one again.
public struct Mutator {
    private var random: SeededGenerator
    public let seed: UInt64

    public init(seedFromEnvironment environment: [String: String]) {
        seed = environment["SWEEPLINE_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1 ... .max)
        random = SeededGenerator(seed: seed)
    }

    public mutating func next() -> UInt64 { random.next() }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// Bytes that matter to JSON and YAML parsers, more often than chance would give them.
    static let interesting: [UInt8] =
        Array(#"{}[]":,\-+.0123456789eE \#n\#r\#t&*!|>%@`'#?"#.utf8) + [0, 0xFF, 0xC3, 0x80]

    /// `input` with 1 to 8 mutations: flipped, inserted, deleted or duplicated bytes, cuts,
    /// and runs of nesting or digits (deep structures and huge numbers).
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(8) {
            let at = below(bytes.count + 1)
            switch below(8) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1: bytes.insert(Self.interesting[below(Self.interesting.count)], at: at)
            case 2 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
            case 3: bytes = Array(bytes.prefix(at))
            case 4:
                let end = min(bytes.count, at + below(64))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 5: bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "["), count: below(5000)), at: at)
            case 6: bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "9"), count: below(400)), at: at)
            default: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            }
        }
        return bytes
    }

    /// Up to `maximum` random bytes, biased towards the interesting ones.
    public mutating func random(maximum: Int) -> [UInt8] {
        (0..<below(maximum)).map { _ in
            below(2) == 0 ? Self.interesting[below(Self.interesting.count)] : UInt8(truncatingIfNeeded: next())
        }
    }
}
