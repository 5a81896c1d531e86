import Testing

@testable import Catalog

@Suite struct NearMissTests {
    @Test(arguments: [
        ("concurency", "concurrency"), ("gpu", "gpus"), ("prority", "priority"), ("comand", "command"),
    ])
    func suggestsTheClosestName(typo: String, expected: String) {
        #expect(NearMiss.suggest(typo, among: ["concurrency", "gpus", "priority", "command", "labels"]) == expected)
    }

    @Test func suggestsNothingForAFarWord() {
        #expect(NearMiss.suggest("xylophone", among: ["gpus", "labels"]) == nil)
    }
}
