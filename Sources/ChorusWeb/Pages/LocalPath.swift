/// Where a form may send someone back to: a path on this site, or the home page. Never another site, however a browser
/// reads the address: `//host`, a backslash, or a tab or line break (which browsers drop from addresses, so that
/// `/<tab>/host` is `//host`).
enum LocalPath {
    static func from(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"),
            !raw.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return "/" }
        return raw
    }
}
