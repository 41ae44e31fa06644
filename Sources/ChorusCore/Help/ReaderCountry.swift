/// The reader's country, for choosing which hotlines to show.
///
/// The reader's own choice (cookie or account, handled by the web layer) always wins. Without one, the country
/// comes from the browser's `Accept-Language` header. Never from an IP address: a survivor may be using a VPN
/// or Tor on purpose, and Chorus must not locate them.
public enum ReaderCountry {
    /// The country a bare language most likely means, when the header names no region.
    static let defaultRegion: [String: String] = ["en": "US", "es": "ES", "fr": "FR", "de": "DE", "pt": "PT"]

    /// An ISO 3166-1 alpha-2 code from an `Accept-Language` header, or `nil` when it gives no hint.
    ///
    /// Entries are taken by descending `q` weight. An entry with a region decides it (`es-MX` → MX,
    /// `pt-BR` → BR); a bare language maps to its home country (`fr` → FR, `pt` → PT, `en` → US). Languages
    /// without a home country here are skipped in favour of later entries.
    public static func from(acceptLanguage: String?) -> String? {
        for entry in AcceptLanguage.parse(acceptLanguage) {
            if let region = entry.region { return region }
            // "es-419" is Spanish of Latin America: not Spain, and no one country (the international entry applies).
            if entry.namesAnArea { return nil }
            if let country = defaultRegion[entry.language] { return country }
        }
        return nil
    }

    /// Whether the directory has its own entry for this country code (case-insensitive); the international
    /// fallback does not count.
    public static func isKnown(_ code: String, in directory: ResourceDirectory) -> Bool {
        let wanted = code.uppercased()
        return wanted != ResourceDirectory.internationalCode.uppercased() && directory.countries.contains { $0.code == wanted }
    }
}
