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
        guard raw.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(raw) }
        let bytes = Array(raw.utf8)
        var spaced: [UInt8] = []
        var decoded: [UInt8] = []
        spaced.reserveCapacity(bytes.count)
        decoded.reserveCapacity(bytes.count)
        var escapesHold = true
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), escapesHold {
                if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                    decoded.append(high << 4 | low)
                    spaced.append(contentsOf: bytes[index...index + 2])
                    index += 3
                    continue
                }
                escapesHold = false
            }
            let byte = bytes[index] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[index]
            spaced.append(byte)
            decoded.append(byte)
            index += 1
        }
        if escapesHold, let text = String(validating: decoded, as: UTF8.self) { return text }
        return String(decoding: spaced, as: UTF8.self)
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
