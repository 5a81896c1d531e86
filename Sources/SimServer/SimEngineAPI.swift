import Foundation
import Hummingbird
import NIOCore
import Wire

/// The simulated engine's OpenAI-compatible HTTP API: `/v1/completions` and
/// `/v1/chat/completions` (SSE streaming with `stream_options.include_usage`, or one JSON
/// answer), `/v1/models`, `/health`, `/tokenize`.
///
/// The simulated model never ends a generation early: it produces `max_tokens` tokens (so
/// `ignore_eos` changes nothing), and `min_tokens` is honoured by construction.
public enum SimEngineAPI {
    public static func router(engine: RealTimeEngine, tokenizer: SimulatedTokenizer, modelName: String) -> Router<
        BasicRequestContext
    > {
        let router = Router(context: BasicRequestContext.self)
        let created = Int(Date().timeIntervalSince1970)

        router.get("/health") { _, _ in Response(status: .ok) }

        router.get("/v1/models") { _, _ in
            try json(ModelList(data: [ModelCard(id: modelName, created: created, max_model_len: engine.maxModelLen)]))
        }

        // The engine's own record of what it served: the ground truth a client's figures are
        // checked against (benchmarks/peers). Seconds from arrival to each release.
        router.get("/sweepline/served") { request, _ in
            let first = request.uri.queryParameters.get("from", as: Int.self) ?? 0
            guard first >= 0 else { throw HTTPError(.badRequest, message: "`from` must be a request id, 0 or more") }
            let served = await engine.servedRequests(from: first)
            return try json(
                served.map { id, record in
                    ServedRecord(
                        id: id, prompt_tokens: record.promptTokens, output_tokens: record.outputTokens,
                        releases_s: record.releases.map { instant in
                            let offset = instant - record.arrival
                            return offset.inSeconds
                        })
                })
        }

        router.post("/tokenize") { request, context in
            let body = try await request.decode(as: TokenizeRequest.self, context: context)
            let tokens: [Int]
            switch body.prompt {
            case .text(let text): tokens = tokenizer.tokenize(text)
            case .texts(let texts): tokens = texts.flatMap(tokenizer.tokenize)
            case .tokens(let ids): tokens = ids
            }
            return try json(TokenizeResponse(count: tokens.count, max_model_len: engine.maxModelLen, tokens: tokens))
        }

        router.post("/v1/completions") { request, context in
            let arrival = ContinuousClock.now
            let body = try await request.decode(as: CompletionRequest.self, context: context)
            let prompt = body.prompt.tokenCount(tokenizer)
            let output = max(body.max_tokens ?? 16, body.min_tokens ?? 0)
            return try await serve(
                engine: engine, tokenizer: tokenizer, model: modelName, created: created, prompt: prompt,
                output: output,
                stream: body.stream ?? false, includeUsage: body.stream_options?.include_usage ?? false, chat: false,
                arrival: arrival)
        }

        router.post("/v1/chat/completions") { request, context in
            let arrival = ContinuousClock.now
            let body = try await request.decode(as: ChatCompletionRequest.self, context: context)
            // A chat template adds a few tokens per message.
            let prompt = body.messages.reduce(0) { $0 + 4 + tokenizer.count($1.content?.text ?? "") }
            let output = max(body.max_completion_tokens ?? body.max_tokens ?? 256, body.min_tokens ?? 0)
            return try await serve(
                engine: engine, tokenizer: tokenizer, model: modelName, created: created, prompt: prompt,
                output: output,
                stream: body.stream ?? false, includeUsage: body.stream_options?.include_usage ?? false, chat: true,
                arrival: arrival)
        }
        return router
    }

    static func serve(
        engine: RealTimeEngine, tokenizer: SimulatedTokenizer, model: String, created: Int, prompt: Int, output: Int,
        stream: Bool,
        includeUsage: Bool, chat: Bool, arrival: ContinuousClock.Instant
    ) async throws -> Response {
        let (id, chunks): (Int, AsyncStream<RealTimeEngine.Chunk>)
        do {
            (id, chunks) = try await engine.submit(promptTokens: prompt, outputTokens: output, arrival: arrival)
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
        let requestID = (chat ? "chatcmpl-" : "cmpl-") + String(id)
        let usage = Usage(prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output)
        guard stream else {
            var generated = 0
            for await chunk in chunks { generated += chunk.tokens }
            let text = tokenizer.generatedText(offset: 0, count: generated)
            if chat {
                return try json(
                    ChatCompletion(
                        id: requestID, created: created, model: model, choices: [.init(message: .init(content: text))],
                        usage: usage))
            }
            return try json(
                Completion(id: requestID, created: created, model: model, choices: [.init(text: text)], usage: usage))
        }
        let body = ResponseBody { writer in
            var generated = 0
            do {
                if chat {
                    try await writer.write(
                        event(
                            ChatChunk(
                                id: requestID, created: created, model: model,
                                choices: [.init(delta: .init(role: "assistant", content: ""))])))
                }
                // Every event but the last differs only in its text.
                let template = try TokenEventTemplate { text in
                    if chat {
                        return try encoder.encode(
                            ChatChunk(
                                id: requestID, created: created, model: model,
                                choices: [.init(delta: .init(content: text))]))
                    }
                    return try encoder.encode(
                        CompletionChunk(id: requestID, created: created, model: model, choices: [.init(text: text)]))
                }
                for await chunk in chunks {
                    let offset = generated
                    generated += chunk.tokens
                    if !chunk.isLast {
                        // A word and its space: under eight bytes.
                        try await writer.write(
                            template.event(capacity: 8 * chunk.tokens) {
                                tokenizer.appendGeneratedText(offset: offset, count: chunk.tokens, to: &$0)
                            })
                        continue
                    }
                    let text = tokenizer.generatedText(offset: offset, count: chunk.tokens)
                    if chat {
                        try await writer.write(
                            event(
                                ChatChunk(
                                    id: requestID, created: created, model: model,
                                    choices: [.init(delta: .init(content: text), finish_reason: "length")])))
                    } else {
                        try await writer.write(
                            event(
                                CompletionChunk(
                                    id: requestID, created: created, model: model,
                                    choices: [.init(text: text, finish_reason: "length")])))
                    }
                }
                if includeUsage {
                    if chat {
                        try await writer.write(
                            event(ChatChunk(id: requestID, created: created, model: model, choices: [], usage: usage)))
                    } else {
                        try await writer.write(
                            event(
                                CompletionChunk(
                                    id: requestID, created: created, model: model, choices: [], usage: usage)))
                    }
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            } catch {
                await engine.abort(id)  // the client went away
                throw error
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    static func event(_ value: some Encodable) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(try encoder.encode(value))
        buffer.writeString("\n\n")
        return buffer
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    // MARK: Bodies

    struct TokenizeRequest: Decodable {
        var prompt: PromptInput
    }

    struct ServedRecord: Encodable {
        var id: Int
        var prompt_tokens: Int
        var output_tokens: Int
        /// Seconds from the request's arrival to each release of tokens (the first is its TTFT).
        var releases_s: [Double]
    }

    struct TokenizeResponse: Encodable {
        var count: Int
        var max_model_len: Int
        var tokens: [Int]
    }

    struct ModelList: Encodable {
        var object = "list"
        var data: [ModelCard]
    }

    struct ModelCard: Encodable {
        var id: String
        var object = "model"
        var created: Int
        var owned_by = "sweepline"
        var max_model_len: Int
    }

    struct CompletionChunk: Encodable {
        struct Choice: Encodable {
            var index = 0
            var text: String
            var finish_reason: String?
        }

        var id: String
        var object = "text_completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage?
    }

    struct Completion: Encodable {
        struct Choice: Encodable {
            var index = 0
            var text: String
            var finish_reason = "length"
        }

        var id: String
        var object = "text_completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage
    }

    struct ChatChunk: Encodable {
        struct Delta: Encodable {
            var role: String?
            var content: String?
        }

        struct Choice: Encodable {
            var index = 0
            var delta: Delta
            var finish_reason: String?
        }

        var id: String
        var object = "chat.completion.chunk"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage?
    }

    struct ChatCompletion: Encodable {
        struct Message: Encodable {
            var role = "assistant"
            var content: String
        }

        struct Choice: Encodable {
            var index = 0
            var message: Message
            var finish_reason = "length"
        }

        var id: String
        var object = "chat.completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage
    }
}
