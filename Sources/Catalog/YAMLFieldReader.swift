import Yams

/// A YAML or JSON file that cannot be read, with where and why.
public struct YAMLFileError: Error, Hashable, CustomStringConvertible {
    /// `file:line:column`, or the file alone when the position is unknown.
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Typed access to the fields of a YAML (or JSON) mapping, with errors that name the file,
/// line and column, and suggest the near miss for an unknown field.
public struct YAMLFieldReader: Sendable {
    public let file: String

    public init(file: String) { self.file = file }

    public func error(_ node: Node, _ message: String) -> YAMLFileError {
        if let mark = node.mark {
            return YAMLFileError(location: "\(file):\(mark.line):\(mark.column)", message: message)
        }
        return YAMLFileError(location: file, message: message)
    }

    public func refuseUnknown(_ mapping: Node.Mapping, allowed: [String], in place: String) throws(YAMLFileError) {
        for (key, _) in mapping {
            let name = key.string ?? "?"
            guard !allowed.contains(name) else { continue }
            var message = "\(place): unknown field `\(name)`"
            if let suggestion = NearMiss.suggest(name, among: allowed) {
                message += "; did you mean `\(suggestion)`?"
            }
            throw error(key, message)
        }
    }

    private func scalar(_ mapping: Node.Mapping, _ key: String, in place: String, expected: String)
        throws(YAMLFileError) -> Node?
    {
        guard let node = mapping[key] else { return nil }
        guard case .scalar = node else { throw error(node, "\(place).\(key): expected \(expected)") }
        return node
    }

    public func string(_ mapping: Node.Mapping, _ key: String, in place: String) throws(YAMLFileError) -> String? {
        try scalar(mapping, key, in: place, expected: "a string")?.string
    }

    public func int(_ mapping: Node.Mapping, _ key: String, in place: String, range: ClosedRange<Int>)
        throws(YAMLFileError)
        -> Int?
    {
        guard let node = try scalar(mapping, key, in: place, expected: "an integer") else { return nil }
        guard let value = node.int else {
            throw error(node, "\(place).\(key): expected an integer, got `\(node.string ?? "")`")
        }
        guard range.contains(value) else {
            throw error(node, "\(place).\(key): \(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    public func double(_ mapping: Node.Mapping, _ key: String, in place: String, range: ClosedRange<Double>)
        throws(YAMLFileError) -> Double?
    {
        guard let node = try scalar(mapping, key, in: place, expected: "a number") else { return nil }
        guard let value = node.float ?? node.int.map(Double.init) else {
            throw error(node, "\(place).\(key): expected a number, got `\(node.string ?? "")`")
        }
        guard range.contains(value) else {
            throw error(node, "\(place).\(key): \(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    public func bool(_ mapping: Node.Mapping, _ key: String, in place: String) throws(YAMLFileError) -> Bool? {
        guard let node = try scalar(mapping, key, in: place, expected: "true or false") else { return nil }
        guard let value = node.bool else {
            throw error(node, "\(place).\(key): expected true or false, got `\(node.string ?? "")`")
        }
        return value
    }

    public func stringMap(_ mapping: Node.Mapping, _ key: String, in place: String) throws(YAMLFileError) -> [String:
        String]?
    {
        guard let node = mapping[key] else { return nil }
        guard case .mapping(let entries) = node else {
            throw error(node, "\(place).\(key): expected a mapping of names to strings")
        }
        var result: [String: String] = [:]
        for (name, value) in entries {
            guard case .scalar(let scalar) = value else {
                throw error(value, "\(place).\(key): values must be strings")
            }
            result[name.string ?? ""] = scalar.string
        }
        return result
    }

    /// A list of scalars, each converted by `convert` (which names what it expects when it fails).
    private func list<T>(
        _ mapping: Node.Mapping, _ key: String, in place: String, expected: String, _ convert: (Node) -> T?
    ) throws(YAMLFileError) -> [T]? {
        guard let node = mapping[key] else { return nil }
        // A single value stands for a list of one.
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default: throw error(node, "\(place).\(key): expected a list of \(expected)")
        }
        guard !items.isEmpty else { throw error(node, "\(place).\(key): expected a non-empty list of \(expected)") }
        var values: [T] = []
        for item in items {
            guard case .scalar = item, let value = convert(item) else {
                throw error(item, "\(place).\(key): expected \(expected), got `\(item.string ?? "a collection")`")
            }
            values.append(value)
        }
        return values
    }

    public func intList(_ mapping: Node.Mapping, _ key: String, in place: String, range: ClosedRange<Int>)
        throws(YAMLFileError) -> [Int]?
    {
        try list(mapping, key, in: place, expected: "integers in \(range.lowerBound)…\(range.upperBound)") { node in
            node.int.flatMap { range.contains($0) ? $0 : nil }
        }
    }

    public func doubleList(_ mapping: Node.Mapping, _ key: String, in place: String, range: ClosedRange<Double>)
        throws(YAMLFileError) -> [Double]?
    {
        try list(mapping, key, in: place, expected: "numbers in \(range.lowerBound)…\(range.upperBound)") { node in
            (node.float ?? node.int.map(Double.init)).flatMap { range.contains($0) ? $0 : nil }
        }
    }

    public func stringList(_ mapping: Node.Mapping, _ key: String, in place: String) throws(YAMLFileError)
        -> [String]?
    {
        try list(mapping, key, in: place, expected: "strings") { $0.string }
    }

    /// A nested mapping, with its unknown fields refused.
    public func mapping(_ mapping: Node.Mapping, _ key: String, in place: String, allowed: [String])
        throws(YAMLFileError) -> Node.Mapping?
    {
        guard let node = mapping[key] else { return nil }
        guard case .mapping(let fields) = node else { throw error(node, "\(place).\(key): expected a mapping") }
        try refuseUnknown(fields, allowed: allowed, in: "\(place).\(key)")
        return fields
    }
}
