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

    /// `+` is a space and `%XX` a byte. A `%` that starts no escape is kept as it is ("100%" from a hand-written
    /// request), and bytes that are not UTF-8 read as U+FFFD: a "%23MeToo … 100%" stays a me too, not a note.
    static func decode(_ raw: Substring) -> String {
        let plus = UInt8(ascii: "+")
        guard raw.utf8.contains(where: { $0 == plus || $0 == UInt8(ascii: "%") }) else { return String(raw) }
        let bytes = Array(raw.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index] == plus ? UInt8(ascii: " ") : bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
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
