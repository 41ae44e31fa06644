import Foundation

/// Percent-encoding for the addresses Chorus writes into pages and JSON (a tag's link, a page's `Link` header): the
/// same as Foundation's `addingPercentEncoding(withAllowedCharacters:)` with the same set, without building the set and
/// bridging the text to `NSString` on every call (a *me too*'s answer encodes its tags twice; the profile put that at 1 %
/// of its CPU). Text made only of kept ASCII characters, as most tags are, is returned as it is.
///
/// As Foundation does here, every character beyond ASCII is encoded, letters too; and a text with a ":" (which
/// Foundation treats specially in a path) is left to Foundation.
struct PercentEncoding: Sendable {
    private let set: CharacterSet
    private let keptASCII: [Bool]

    init(keeping set: CharacterSet) {
        self.set = set
        keptASCII = (0..<128).map { set.contains(Unicode.Scalar(UInt8($0))) }
    }

    /// ASCII letters and digits, and `-._~[]`: a query's names and values, a tag in an address.
    static let component = PercentEncoding(keeping: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~[]")))
    /// What may stand in a URL's path as it is.
    static let path = PercentEncoding(keeping: .urlPathAllowed)

    func encode(_ text: String) -> String {
        if text.utf8.contains(UInt8(ascii: ":")) { return text.addingPercentEncoding(withAllowedCharacters: set) ?? text }
        if text.utf8.allSatisfy({ $0 < 0x80 && keptASCII[Int($0)] }) { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if byte < 0x80 && keptASCII[Int(byte)] {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
