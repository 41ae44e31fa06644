/// A hotline, text line, chat or service that helps people affected by sexual or domestic violence or in crisis.
public struct HelpResource: Codable, Sendable, Equatable {
    /// What a resource is for.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case sexualViolence = "sexual-violence"
        case domesticViolence = "domestic-violence"
        case suicideCrisis = "suicide-crisis"
        case emotionalSupport = "emotional-support"
        case victimSupport = "victim-support"
        case children = "children"
        /// A directory that lists services, for when no single line fits.
        case directory = "directory"
    }

    /// ISO 3166-1 alpha-2 code of the country it serves, or `"international"`.
    public let country: String
    /// The service's own name, e.g. "National Sexual Assault Hotline (RAINN)".
    public let name: String
    /// Number to call, as written locally (digits, spaces, `+`, `*`, `-`, `.`, parentheses), if any.
    public let phone: String?
    /// How to reach it by text message, e.g. "Text START to 88788", if it can be.
    public let text: String?
    /// URL of its online chat, if it has one.
    public let chat: String?
    /// When it answers, e.g. "24/7" or "Mon–Fri 10:00–19:00".
    public let hours: String
    /// Languages it answers in, as ISO 639-1 codes.
    public let languages: [String]
    /// URL of the service's own page, where a reader can check the details.
    public let source: String
    /// What it is for.
    public let kind: Kind

    public init(
        country: String, name: String, phone: String?, text: String?, chat: String?,
        hours: String, languages: [String], source: String, kind: Kind
    ) {
        self.country = country
        self.name = name
        self.phone = phone
        self.text = text
        self.chat = chat
        self.hours = hours
        self.languages = languages
        self.source = source
        self.kind = kind
    }

    /// The phone number with only what a dialler needs (`+`, `*`, digits), for `tel:` links.
    public var dialable: String? {
        phone.map { String($0.filter { $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "*") }) }
    }
}

/// The help shown to readers in one country: its emergency number and its resources.
public struct CountryHelp: Codable, Sendable, Equatable {
    /// ISO 3166-1 alpha-2 code, or `"international"` for the fallback entry.
    public let code: String
    /// The country's name in English.
    public let name: String
    /// The emergency number to call when in danger now, e.g. "911", "112", "999".
    public let emergency: String
    /// Hotlines and services, the most relevant to sexual violence first.
    public let resources: [HelpResource]

    public init(code: String, name: String, emergency: String, resources: [HelpResource]) {
        self.code = code
        self.name = name
        self.emergency = emergency
        self.resources = resources
    }
}
