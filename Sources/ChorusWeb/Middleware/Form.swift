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

    /// `+` is a space and `%XX` a byte. A value with a broken escape, or whose bytes are not UTF-8, keeps its escapes
    /// as they came (with its spaces), as Foundation's `removingPercentEncoding` would leave it.
    static func decode(_ raw: Substring) -> String {
        let plus = UInt8(ascii: "+")
        guard raw.utf8.contains(where: { $0 == plus || $0 == UInt8(ascii: "%") }) else { return String(raw) }
        let bytes = Array(raw.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        var escapesHold = true
        while index < bytes.count, escapesHold {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    escapesHold = false
                    continue
                }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index] == plus ? UInt8(ascii: " ") : bytes[index])
                index += 1
            }
        }
        if escapesHold, let text = String(validating: decoded, as: UTF8.self) { return text }
        return String(decoding: bytes.map { $0 == plus ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
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
