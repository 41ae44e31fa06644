import Foundation

/// Where an app asks Chorus to send a person back after they choose: a web address or the app's own scheme
/// (`toot://`). Nil for anything else: a browser scheme (`javascript:`, `data:`, `view-source:` …), a fragment, an
/// impossible port, or a host that is not a plain name or address (its text goes into the consent page's
/// Content-Security-Policy, where `;`, `,`, quotes or spaces would end a directive early), and for the out-of-band
/// redirect, which leads nowhere: its code is shown on a page here.
struct RedirectTarget: Equatable {
    let scheme: String
    /// For http and https: the host as the address writes it (an internationalised one in its ASCII `xn--` form).
    let host: String?
    let port: Int?

    init?(_ uri: String) {
        guard uri != OAuthController.outOfBand, let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            !scheme.isEmpty,
            components.fragment == nil
        else { return nil }
        if let port = components.port, !(1...65_535).contains(port) { return nil }
        self.scheme = scheme
        port = components.port
        if scheme == "http" || scheme == "https" {
            guard let host = Self.writtenHost(of: uri), Self.isPlainHost(host) else { return nil }
            self.host = host
        } else {
            guard !Self.browserSchemes.contains(scheme), !scheme.hasSuffix("script") else { return nil }
            host = nil
        }
    }

    /// Schemes a browser would run, read locally or show as something else.
    static let browserSchemes: Set = ["javascript", "data", "vbscript", "file", "about", "blob", "filesystem", "view-source", "jar"]

    /// The Content-Security-Policy source that lets the consent form send the person there.
    var source: String { host.map { "\(scheme)://\($0)" + (port.map { ":\($0)" } ?? "") } ?? "\(scheme):" }

    /// Where it leads, as a person can read it: the web site's host, or the app's scheme.
    var place: String { host ?? "\(scheme):" }

    /// The host as the address writes it, without user or port (Foundation turns `xn--` labels back into Unicode).
    static func writtenHost(of uri: String) -> String? {
        guard let start = uri.range(of: "://")?.upperBound else { return nil }
        var authority = uri[start...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") { return authority.firstIndex(of: "]").map { String(authority[...$0]) } }
        return String(authority.prefix { $0 != ":" })
    }

    /// A host name, an IPv4 address or a bracketed IPv6 one.
    static func isPlainHost(_ host: String) -> Bool {
        guard !host.isEmpty else { return false }
        if host.hasPrefix("[") {
            return host.hasSuffix("]") && host.dropFirst().dropLast().utf8.allSatisfy { $0 == 0x3A || $0 == 0x2E || isAlphanumeric($0) }
        }
        return host.utf8.allSatisfy { $0 == 0x2D || $0 == 0x2E || isAlphanumeric($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
