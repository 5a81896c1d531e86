/// A request as the engine sees it: a prompt to prefill and a number of tokens to generate
/// (`ignore_eos`, so exactly that many).
public struct EngineRequest: Hashable, Sendable {
    public var id: Int
    public var promptTokens: Int
    public var outputTokens: Int

    public init(id: Int, promptTokens: Int, outputTokens: Int) {
        self.id = id
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
    }
}

/// Tokens a step hands to a request's stream.
public struct TokenRelease: Hashable, Sendable {
    public var requestID: Int
    /// Tokens in this chunk (up to `stream_interval`).
    public var tokens: Int
    public var isFirst: Bool
    public var isLast: Bool
}

/// What one step did.
public struct EngineStep: Hashable, Sendable {
    public var shape: StepShape
    /// Seconds the step takes on the simulated GPUs.
    public var duration: Double
    public var releases: [TokenRelease]
    /// Requests sent back to the waiting queue to free KV blocks; they recompute later.
    public var preempted: [Int]
    /// Requests running and waiting after the step, and the free blocks.
    public var running: Int
    public var waiting: Int
    public var freeBlocks: Int
}

/// Continuous batching as vLLM's v1 scheduler does it, over a paged KV cache.
///
/// Each step first gives running requests their next tokens (one for a decode, the next chunk
/// for a prompt still being prefilled), then admits waiting requests while `max_num_seqs` and
/// the `max_num_batched_tokens` budget allow, chunking a prompt that does not fit. When a
/// request needs a KV block and none is free, the most recently admitted running request is
/// preempted: its blocks are freed and it waits at the head of the queue to be recomputed.
/// Finished requests leave at the end of the step. A pure value: the caller owns the clock.
public struct EngineCore: Sendable {
    struct RequestState: Sendable {
        let id: Int
        let prompt: Int
        let target: Int
        var generated = 0
        /// Tokens whose keys and values are in the cache.
        var computed = 0
        var blocks = 0
        var unreleased = 0
        var released = 0

        /// Tokens in the sequence so far: the prompt and what has been generated.
        var length: Int { prompt + generated }
    }

    public let configuration: EngineConfiguration
    public let plan: MemoryPlan
    public let costModel: KernelCostModel
    private var running: [RequestState] = []
    /// Waiting requests; `waitingHead` is the next one (a preempted request goes back before it).
    private var waiting: [RequestState] = []
    private var waitingHead = 0
    public private(set) var freeBlocks: Int

    /// - Parameter factors: the cost model's efficiency factors; the calibrated ones by default.
    public init(deployment: Deployment, configuration: EngineConfiguration = .init(), factors: EfficiencyFactors? = nil)
        throws(DeploymentRefused)
    {
        self.configuration = configuration
        plan = try MemoryPlan(deployment: deployment, configuration: configuration)
        costModel = KernelCostModel(deployment: deployment, factors: factors)
        freeBlocks = plan.blocks
    }

    public var hasWork: Bool { !running.isEmpty || waitingHead < waiting.count }
    public var runningCount: Int { running.count }
    public var waitingCount: Int { waiting.count - waitingHead }

    /// Queues a request. One longer than `max_model_len` is refused, as the engines refuse it.
    public mutating func add(_ request: EngineRequest) throws(DeploymentRefused) {
        // Each length is checked on its own before they are added: a client's Int.max must not
        // overflow the sum.
        guard request.promptTokens > 0, request.outputTokens > 0, request.promptTokens <= plan.maxModelLen,
            request.outputTokens <= plan.maxModelLen - request.promptTokens
        else {
            throw DeploymentRefused(
                description:
                    "request \(request.id): \(request.promptTokens) prompt + \(request.outputTokens) output tokens "
                    + "exceeds max_model_len \(plan.maxModelLen) (or is empty)")
        }
        waiting.append(RequestState(id: request.id, prompt: request.promptTokens, target: request.outputTokens))
    }

    private func blocks(for tokens: Int) -> Int {
        (tokens + plan.blockSize - 1) / plan.blockSize + plan.slidingWindowBlocksPerSequence
    }

    /// Plans and runs one step. `nil` when there is nothing to do.
    public mutating func step() -> EngineStep? {
        guard hasWork else { return nil }
        var budget = configuration.maxNumBatchedTokens
        // Tokens scheduled for running[i] this step (parallel to `running`).
        var scheduled: [Int] = []
        scheduled.reserveCapacity(running.count + 8)
        var preempted: [Int] = []

        var index = 0
        scheduling: while index < running.count && budget > 0 {
            let request = running[index]
            let new = min(request.length - request.computed, budget)
            let needed = blocks(for: request.computed + new) - request.blocks
            while freeBlocks < needed {
                // The most recently admitted goes first; when that is this request, it waits.
                let victim = running.removeLast()
                requeueFront(victim)
                preempted.append(victim.id)
                if index == running.count { break scheduling }
            }
            running[index].blocks += needed
            freeBlocks -= needed
            scheduled.append(new)
            budget -= new
            index += 1
        }
        // Requests beyond the budget get nothing this step.
        while scheduled.count < running.count { scheduled.append(0) }

        if preempted.isEmpty {
            while budget > 0, running.count < configuration.maxNumSeqs, waitingHead < waiting.count {
                var request = waiting[waitingHead]
                let new = min(request.length - request.computed, budget)
                let needed = blocks(for: new)
                guard freeBlocks >= needed else { break }
                waitingHead += 1
                request.blocks = needed
                freeBlocks -= needed
                running.append(request)
                scheduled.append(new)
                budget -= new
            }
            compactWaiting()
        }

        var shape = StepShape()
        for (index, new) in scheduled.enumerated() where new > 0 {
            let request = running[index]
            if request.generated > 0 && request.computed == request.length - 1 && new == 1 {
                shape.decodeSequences += 1
                shape.decodeContextTokens += Double(request.length)
            } else {
                shape.prefillTokens += new
                shape.prefillAttentionPairs += Double(new) * (Double(request.computed) + Double(new) / 2)
            }
        }

        var releases: [TokenRelease] = []
        var finishedAny = false
        for (index, new) in scheduled.enumerated() where new > 0 {
            running[index].computed += new
            guard running[index].computed == running[index].length else { continue }  // a prompt chunk
            running[index].generated += 1
            running[index].unreleased += 1
            let request = running[index]
            let isLast = request.generated == request.target
            if request.released == 0 || request.unreleased >= configuration.streamInterval || isLast {
                releases.append(
                    TokenRelease(
                        requestID: request.id, tokens: request.unreleased, isFirst: request.released == 0,
                        isLast: isLast))
                running[index].released += request.unreleased
                running[index].unreleased = 0
            }
            if isLast {
                freeBlocks += request.blocks
                finishedAny = true
            }
        }
        if finishedAny { running.removeAll { $0.generated == $0.target } }

        return EngineStep(
            shape: shape, duration: costModel.stepTime(shape) * configuration.slowdown, releases: releases,
            preempted: preempted,
            running: running.count,
            waiting: waitingCount, freeBlocks: freeBlocks)
    }

    /// Drops a request (its client went away), giving back its blocks. `false` if unknown.
    @discardableResult
    public mutating func abort(_ id: Int) -> Bool {
        if let index = running.firstIndex(where: { $0.id == id }) {
            freeBlocks += running[index].blocks
            running.remove(at: index)
            return true
        }
        if let index = waiting[waitingHead...].firstIndex(where: { $0.id == id }) {
            waiting.remove(at: index)
            return true
        }
        return false
    }

    /// A preempted request gives back its blocks and waits first in line to be recomputed.
    private mutating func requeueFront(_ victim: RequestState) {
        var request = victim
        freeBlocks += request.blocks
        request.blocks = 0
        request.computed = 0
        if waitingHead > 0 {
            waitingHead -= 1
            waiting[waitingHead] = request
        } else {
            waiting.insert(request, at: 0)
        }
    }

    private mutating func compactWaiting() {
        if waitingHead > 1024 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }
}
