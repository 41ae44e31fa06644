import Foundation

/// The country a person may choose to give with a *me too*: coarse (ISO 3166-1 alpha-2), optional, and only ever
/// what they picked. Never inferred from an address or a browser's language.
public enum CountryChoice {
    /// Groupings and placeholders that are not one country.
    private static let notCountries: Set<String> = ["EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"]

    /// Every ISO 3166-1 alpha-2 country code.
    public static let codes: [String] = {
        let regions = Locale.Region.isoRegions.map(\.identifier).filter { code in
            code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase } && !notCountries.contains(code)
        }
        return Array(Set(regions)).sorted()
    }()

    private static let known = Set(codes)

    /// Nil for "I'd rather not say" (empty), the code for a known country, or a message a person can act on.
    public static func parse(_ raw: String?) throws(InputError) -> String? {
        guard let raw else { return nil }
        let code = raw.trimmingWhitespace.uppercased()
        if code.isEmpty { return nil }
        guard known.contains(code) else { throw InputError("Choose a country from the list, or leave it empty.", field: "country") }
        return code
    }

    /// The country's name in `language` (falls back to the code).
    public static func name(of code: String, language: String) -> String {
        Locale(identifier: language).localizedString(forRegionCode: code) ?? code
    }
}
