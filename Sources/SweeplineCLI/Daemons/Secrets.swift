import Foundation

/// Reads secrets from files (never from argv, where `ps` would show them).
enum Secrets {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The file's first line, trimmed.
    static func read(file path: String, purpose: String) throws -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Missing(description: "cannot read the \(purpose) file \(path): \(error.localizedDescription)")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty else { throw Missing(description: "the \(purpose) file \(path) is empty") }
        return token
    }

    /// A new random token, for the embedded demo.
    static func generate() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

/// `HOST:PORT`, with IPv6 as `[::1]:7411`.
struct HostPort: Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    init(_ text: String, defaultPort: Int) throws {
        struct Invalid: Error, CustomStringConvertible { var description: String }
        var rest = Substring(text)
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw Invalid(description: "unterminated [ in `\(text)`")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            rest = rest[colon...]
        } else {
            host = String(rest)
            rest = ""
        }
        if rest.hasPrefix(":") {
            guard let value = Int(rest.dropFirst()), (0...65535).contains(value) else {
                throw Invalid(description: "bad port in `\(text)`; expected HOST:PORT")
            }
            port = value
        } else {
            port = defaultPort
        }
        if host.isEmpty { throw Invalid(description: "no host in `\(text)`; expected HOST:PORT") }
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
