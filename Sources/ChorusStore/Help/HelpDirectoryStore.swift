import ChorusCore
import Foundation
import SQLKit

/// The help directory in the database: what moderators and `chorus resources import` maintain, read through to the bundled copy.
extension ChorusStore {
    /// The directory as stored, or nil when the tables are empty (the bundled copy then applies).
    public func helpDirectory() async throws -> ResourceDirectory? {
        try await database.read { db in try await Self.helpDirectory(db) }
    }

    /// Replaces the whole directory in one transaction. `directory` must come from `ResourceDirectory.load(from:)`.
    public func replaceHelpDirectory(_ directory: ResourceDirectory) async throws {
        try await database.write { db in
            try await db.takeTurn(.helpDirectory)
            try await Self.writeHelpDirectory(directory, db)
        }
    }

    /// Reads the directory, applies `change`, validates the result and stores it, all in one transaction.
    /// Throws `ResourceDirectory.DirectoryError` (nothing written) when the changed directory is not valid.
    @discardableResult
    public func updateHelpDirectory(_ change: @escaping @Sendable (ResourceDirectory) throws -> ResourceDirectory) async throws -> ResourceDirectory {
        try await database.write { db in
            // Two moderators editing at once: the second reads the first's edit, so neither is lost.
            try await db.takeTurn(.helpDirectory)
            let current = try await Self.helpDirectory(db) ?? .bundled
            let changed = try Self.validated(try change(current))
            try await Self.writeHelpDirectory(changed, db)
            return changed
        }
    }

    /// Runs the directory through the same validation as a file: every rule lives in ChorusCore.
    static func validated(_ directory: ResourceDirectory) throws -> ResourceDirectory {
        try ResourceDirectory.load(from: try JSONEncoder().encode(directory))
    }

    static func helpDirectory(_ db: any SQLDatabase) async throws -> ResourceDirectory? {
        let countryRows = try await db.raw("SELECT code, name, emergency FROM help_countries ORDER BY position, code").all()
        guard !countryRows.isEmpty else { return nil }
        let resourceRows = try await db.raw(
            "SELECT country, name, phone, text, chat, hours, languages, source, kind FROM help_resources ORDER BY country, position"
        ).all()
        var resources: [String: [HelpResource]] = [:]
        for row in resourceRows {
            let country = try row.string("country")
            resources[country, default: []].append(
                HelpResource(
                    country: country, name: try row.string("name"), phone: try row.optionalString("phone"), text: try row.optionalString("text"),
                    chat: try row.optionalString("chat"), hours: try row.string("hours"),
                    languages: try row.string("languages").split(separator: ",").map(String.init), source: try row.string("source"),
                    kind: HelpResource.Kind(rawValue: try row.string("kind")) ?? .directory
                )
            )
        }
        return ResourceDirectory(
            countries: try countryRows.map { row in
                let code = try row.string("code")
                return CountryHelp(code: code, name: try row.string("name"), emergency: try row.string("emergency"), resources: resources[code] ?? [])
            }
        )
    }

    static func writeHelpDirectory(_ directory: ResourceDirectory, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM help_resources").run()
        try await db.raw("DELETE FROM help_countries").run()
        for (position, country) in directory.countries.enumerated() {
            try await db.raw(
                """
                INSERT INTO help_countries (code, name, emergency, position)
                VALUES (\(bind: country.code), \(bind: country.name), \(bind: country.emergency), \(bind: Int64(position)))
                """
            ).run()
            for (index, resource) in country.resources.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO help_resources (country, position, name, phone, text, chat, hours, languages, source, kind)
                    VALUES (\(bind: country.code), \(bind: Int64(index)), \(bind: resource.name), \(bind: resource.phone), \(bind: resource.text),
                            \(bind: resource.chat), \(bind: resource.hours), \(bind: resource.languages.joined(separator: ",")),
                            \(bind: resource.source), \(bind: resource.kind.rawValue))
                    """
                ).run()
            }
        }
    }
}
