import ChorusCore

/// Help as a template sees it: names, numbers as `tel:` links, and the words for each kind of service.
enum HelpView {
    static func values(_ help: CountryHelp, words: Words) -> [String: Any] {
        var values: [String: Any] = [
            "code": help.code,
            "country_name": help.code == ResourceDirectory.internationalCode
                ? words["help_international"] : words.countryName(help.code, fallback: help.name),
            "emergency": help.emergency,
            "resources": help.resources.map { resource(values: $0, words: words) },
            "is_international": help.code == ResourceDirectory.internationalCode,
        ]
        if let first = hotline(in: help) { values["hotline"] = resource(values: first, words: words) }
        if let line = selfHarmLine(in: help) { values["self_harm_line"] = resource(values: line, words: words) }
        return values
    }

    static func resource(values resource: HelpResource, words: Words) -> [String: Any] {
        var values: [String: Any] = [
            "name": resource.name,
            // Hours as the directory gives them ("24/7", "See website"), in the reader's language where known.
            "hours": words.message(resource.hours),
            "any_time": resource.hours == "24/7",
            "source": resource.source,
            "kind": words["help_kind_\(resource.kind.rawValue)"],
            "languages": resource.languages.map { words["language_\($0)"] == "language_\($0)" ? $0 : words["language_\($0)"] }
                .joined(separator: ", "),
        ]
        if let phone = resource.phone, let dialable = resource.dialable, !dialable.isEmpty {
            values["phone"] = phone
            values["tel"] = dialable
        }
        if let text = resource.text { values["text"] = text }
        if let chat = resource.chat { values["chat"] = chat }
        return values
    }

    /// The line to show first: the first service with a phone number (the directory lists the most relevant first).
    static func hotline(in help: CountryHelp) -> HelpResource? {
        help.resources.first { $0.dialable?.isEmpty == false } ?? help.resources.first
    }

    /// The line for someone who may harm themselves, when it is not already the first line: the first suicide or crisis
    /// line with a number, else the first emotional-support one. The crisis detector does not tell danger from someone
    /// else from self-harm, so the crisis panel shows both lines.
    static func selfHarmLine(in help: CountryHelp) -> HelpResource? {
        let first = hotline(in: help)
        let reachable = help.resources.filter { $0.dialable?.isEmpty == false && $0 != first }
        return reachable.first { $0.kind == .suicideCrisis } ?? reachable.first { $0.kind == .emotionalSupport }
    }

    /// The compact "Support: NAME PHONE" line under me-too voices.
    /// The support line: `link` is the help page, naming the country when it was given for this page only.
    static func support(_ help: CountryHelp, link: String = "/help") -> [String: Any]? {
        guard let line = hotline(in: help) else { return nil }
        var values: [String: Any] = ["name": line.name, "link": link]
        if let phone = line.phone, let dialable = line.dialable, !dialable.isEmpty {
            values["phone"] = phone
            values["tel"] = dialable
        }
        return values
    }
}
