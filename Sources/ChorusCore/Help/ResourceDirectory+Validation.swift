import Foundation

extension ResourceDirectory {
    /// What is wrong with a resource directory, worded for the person editing `data/resources.json`.
    public enum DirectoryError: Error, Equatable, CustomStringConvertible {
        /// The JSON does not have the expected shape.
        case undecodable(String)
        /// An entry is present but one of its values is wrong.
        case invalid(entry: String, problem: String)

        public var description: String {
            switch self {
            case .undecodable(let reason): "resources.json: \(reason)"
            case .invalid(let entry, let problem): "resources.json: \(entry): \(problem)"
            }
        }
    }

    func validate() throws {
        guard version == 1 else { throw DirectoryError.invalid(entry: "version", problem: "expected 1, found \(version)") }
        var seen = Set<String>()
        for (index, country) in countries.enumerated() {
            let entry = "countries[\(index)] (\(country.code))"
            try Self.check(country, entry: entry)
            guard seen.insert(country.code).inserted else { throw DirectoryError.invalid(entry: entry, problem: "duplicate country code") }
            for (resourceIndex, resource) in country.resources.enumerated() {
                try Self.check(resource, of: country.code, entry: "\(entry) resources[\(resourceIndex)] \"\(resource.name)\"")
            }
        }
        guard seen.contains(Self.internationalCode) else {
            throw DirectoryError.invalid(entry: "countries", problem: "no \"\(Self.internationalCode)\" fallback entry")
        }
    }

    private static func check(_ country: CountryHelp, entry: String) throws {
        func fail(_ problem: String) -> DirectoryError { .invalid(entry: entry, problem: problem) }
        let isAlpha2 = country.code.count == 2 && country.code.allSatisfy { $0.isASCII && $0.isUppercase }
        guard isAlpha2 || country.code == internationalCode else {
            throw fail("code must be an ISO 3166-1 alpha-2 code in capitals (e.g. \"FR\") or \"\(internationalCode)\"")
        }
        guard !country.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("name is empty") }
        guard !country.emergency.isEmpty, country.emergency.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fail("emergency must be digits only, e.g. \"112\"; found \"\(country.emergency)\"")
        }
        guard !country.resources.isEmpty else { throw fail("has no resources") }
    }

    private static func check(_ resource: HelpResource, of code: String, entry: String) throws {
        func fail(_ problem: String) -> DirectoryError { .invalid(entry: entry, problem: problem) }
        guard resource.country == code else { throw fail("country is \"\(resource.country)\" but it is listed under \"\(code)\"") }
        guard !resource.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("name is empty") }
        guard !resource.hours.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("hours is empty") }
        if let phone = resource.phone {
            let allowed = Set("0123456789 +*-.()")
            guard phone.contains(where: \.isNumber), phone.allSatisfy({ allowed.contains($0) }) else {
                throw fail("phone may hold only digits, spaces and + * - . ( ); found \"\(phone)\"")
            }
        }
        if let text = resource.text, text.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("text is empty; use null") }
        if let chat = resource.chat, !isWebAddress(chat) { throw fail("chat must be an https URL; found \"\(chat)\"") }
        guard isWebAddress(resource.source) else { throw fail("source must be an https URL; found \"\(resource.source)\"") }
        guard resource.phone != nil || resource.text != nil || resource.chat != nil || resource.kind == .directory else {
            throw fail("needs a phone, text or chat (only a \"directory\" may have none)")
        }
        guard !resource.languages.isEmpty,
            resource.languages.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isLowercase } })
        else {
            throw fail("languages must be ISO 639-1 codes like [\"en\", \"es\"]; found \(resource.languages)")
        }
    }

    private static func isWebAddress(_ text: String) -> Bool {
        guard let url = URL(string: text), url.scheme == "https", let host = url.host else { return false }
        return host.contains(".")
    }
}
