import Foundation

/// One entry of an HTTP `Accept-Language` header: a language tag and its weight.
struct AcceptLanguage: Equatable {
    /// Primary language subtag, lower-cased ("es" in "es-MX").
    let language: String
    /// Region subtag, upper-cased ("MX" in "es-MX", "BR" in "pt-BR"), if the tag has a two-letter one.
    let region: String?
    /// The `q` weight, 0...1 (1 when absent).
    let quality: Double
    /// Whether the tag names a wider area by number ("es-419", Latin America): the language's home country is then
    /// the wrong guess.
    var namesAnArea = false

    /// Entries by descending weight; ties keep header order. Wildcards, `q=0` and malformed entries are dropped.
    static func parse(_ header: String?) -> [AcceptLanguage] {
        guard let header else { return [] }
        let entries = header.split(separator: ",").compactMap(entry)
        return entries.enumerated()
            .sorted { $0.element.quality != $1.element.quality ? $0.element.quality > $1.element.quality : $0.offset < $1.offset }
            .map(\.element)
    }

    private static func entry(_ raw: Substring) -> AcceptLanguage? {
        let parts = raw.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let tag = parts.first, !tag.isEmpty, tag != "*" else { return nil }
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
            guard let value = Double(pair[1]), (0...1).contains(value) else { return nil }
            quality = value
        }
        guard quality > 0 else { return nil }
        let subtags = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        guard let primary = subtags.first, (2...3).contains(primary.count), primary.allSatisfy(\.isLetter) else { return nil }
        // The region is the first two-letter subtag after the language ("zh-Hant-TW" → TW); numeric regions like 419 are skipped.
        let region = subtags.dropFirst().first { $0.count == 2 && $0.allSatisfy(\.isLetter) }
        var entry = AcceptLanguage(language: primary.lowercased(), region: region?.uppercased(), quality: quality)
        entry.namesAnArea = region == nil && subtags.dropFirst().contains { $0.count == 3 && $0.allSatisfy(\.isNumber) }
        return entry
    }
}
