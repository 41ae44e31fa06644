import ChorusCore
import Foundation

/// An `application/x-www-form-urlencoded` body, kept with every value so duplicated fields can be refused.
public struct Form: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    public init(values: [String: [String]]) { self.values = values }

    private static func decode(_ raw: Substring) -> String {
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The single value of a field. A field sent twice is refused: it is either a mistake or an attack.
    public func value(_ name: String) throws(InputError) -> String? {
        guard let all = values[name] else { return nil }
        guard all.count == 1 else { throw InputError("The field “\(name)” was sent more than once. Please send the form again.", field: name) }
        return all[0]
    }

    /// A required, non-empty value.
    public func required(_ name: String, _ message: String) throws(InputError) -> String {
        guard let value = try value(name), !value.trimmingWhitespace.isEmpty else { throw InputError(message, field: name) }
        return value
    }

    /// Every value of a field that may repeat (checkboxes, `media_ids[]`).
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    public func has(_ name: String) -> Bool { values[name] != nil }
}
