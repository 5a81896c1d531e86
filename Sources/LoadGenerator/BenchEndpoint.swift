import Foundation

/// An OpenAI-compatible server to measure.
public struct BenchEndpoint: Hashable, Sendable {
    public var host: String
    public var port: Int
    public var model: String
    /// `/v1/completions` or `/v1/chat/completions`.
    public var path: String
    /// Sent as a bearer token when set.
    public var apiKey: String?
    /// TLS (`https://`) when set.
    public var tls: TLS?

    /// How an `https://` endpoint's certificate is checked.
    public struct TLS: Hashable, Sendable {
        /// PEM file of the CA that signed the server's certificate; `nil`: the system's roots.
        public var caFile: String?

        public init(caFile: String? = nil) { self.caFile = caFile }
    }

    public init(
        host: String, port: Int, model: String, path: String = "/v1/completions", apiKey: String? = nil, tls: TLS? = nil
    ) {
        self.host = host
        self.port = port
        self.model = model
        self.path = path
        self.apiKey = apiKey
        self.tls = tls
    }

    /// An endpoint from a base URL (`http://HOST[:PORT]` or `https://…`), or why it cannot be one.
    public init(
        baseURL: String, model: String, path: String = "/v1/completions", apiKey: String? = nil, caFile: String? = nil
    ) throws(InvalidBaseURL) {
        guard let url = URL(string: baseURL), let scheme = url.scheme, let host = url.host, !host.isEmpty else {
            throw InvalidBaseURL("`\(baseURL)` is not a URL of the form http://HOST:PORT or https://HOST:PORT")
        }
        guard scheme == "http" || scheme == "https" else {
            throw InvalidBaseURL("`\(baseURL)`: the scheme must be http or https")
        }
        if !url.path.isEmpty && url.path != "/" {
            throw InvalidBaseURL("`\(baseURL)`: give the server's root (http://HOST:PORT), not a path")
        }
        let secure = scheme == "https"
        self.init(
            host: host, port: url.port ?? (secure ? 443 : 80), model: model, path: path, apiKey: apiKey,
            tls: secure ? TLS(caFile: caFile) : nil)
    }

    public var isChat: Bool { path.hasSuffix("/chat/completions") }
}

/// A base URL that cannot name an OpenAI-compatible server, and what is wrong with it.
public struct InvalidBaseURL: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
