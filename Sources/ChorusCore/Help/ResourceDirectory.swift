import Foundation

/// Hotlines and services per country, with a fallback for countries not listed.
///
/// The data lives in `data/resources.json`; a copy ships inside ChorusCore as ``bundled``.
public struct ResourceDirectory: Codable, Sendable {
    /// The code of the entry used for countries without their own.
    public static let internationalCode = "international"

    /// The format version of the JSON file.
    public let version: Int
    /// Every country entry, including the international fallback.
    public let countries: [CountryHelp]

    /// A directory from entries built in code (not validated; use ``load(from:)`` for data from outside).
    public init(countries: [CountryHelp]) {
        self.version = 1
        self.countries = countries
    }

    /// Decodes and validates a directory from JSON (`{"version": 1, "countries": [...]}`).
    /// Throws ``DirectoryError`` naming the entry and the field at fault.
    public static func load(from data: Data) throws -> ResourceDirectory {
        let directory: ResourceDirectory
        do {
            directory = try JSONDecoder().decode(ResourceDirectory.self, from: data)
        } catch let error as DecodingError {
            throw DirectoryError.undecodable(Self.describe(error))
        }
        try directory.validate()
        return directory
    }

    /// The copy of `data/resources.json` shipped as a ChorusCore resource.
    public static let bundled: ResourceDirectory = {
        // The file ships with the module and is checked by tests; a broken copy is a build mistake, not a runtime case.
        guard let url = Bundle.module.url(forResource: "resources", withExtension: "json") else {
            preconditionFailure("ChorusCore is missing its bundled resources.json")
        }
        do {
            return try load(from: Data(contentsOf: url))
        } catch {
            preconditionFailure("ChorusCore's bundled resources.json is invalid: \(error)")
        }
    }()

    /// The help for a country (code case-insensitive), or the international fallback when it has no entry.
    public func help(for countryCode: String) -> CountryHelp {
        let wanted = countryCode.uppercased()
        if wanted != Self.internationalCode.uppercased(), let country = countries.first(where: { $0.code == wanted }) {
            return country
        }
        return international
    }

    /// The fallback entry for countries not listed.
    public var international: CountryHelp {
        countries.first { $0.code == Self.internationalCode }
            ?? CountryHelp(code: Self.internationalCode, name: "International", emergency: "112", resources: [])
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
