import ChorusCore

extension Migration {
    /// The help directory (hotlines per country), seeded from the copy bundled with ChorusCore; moderators edit it from then on.
    static let m0004Help = Migration(number: 4, name: "help") { _ in
        [
            """
            CREATE TABLE help_countries (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                emergency TEXT NOT NULL,
                position BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE help_resources (
                country TEXT NOT NULL REFERENCES help_countries(code) ON DELETE CASCADE,
                position BIGINT NOT NULL,
                name TEXT NOT NULL,
                phone TEXT,
                text TEXT,
                chat TEXT,
                hours TEXT NOT NULL,
                languages TEXT NOT NULL,
                source TEXT NOT NULL,
                kind TEXT NOT NULL,
                PRIMARY KEY (country, position)
            )
            """,
        ] + HelpSeed.statements(for: .bundled)
    }
}

/// The bundled directory as plain INSERT statements: migrations are SQL text, so values are quoted as SQL literals.
enum HelpSeed {
    static func statements(for directory: ResourceDirectory) -> [String] {
        var statements: [String] = []
        for (position, country) in directory.countries.enumerated() {
            statements.append(
                "INSERT INTO help_countries (code, name, emergency, position) VALUES "
                    + "(\(literal(country.code)), \(literal(country.name)), \(literal(country.emergency)), \(position))"
            )
            for (index, resource) in country.resources.enumerated() {
                statements.append(
                    "INSERT INTO help_resources (country, position, name, phone, text, chat, hours, languages, source, kind) VALUES ("
                        + [
                            literal(country.code), String(index), literal(resource.name), literal(resource.phone), literal(resource.text),
                            literal(resource.chat), literal(resource.hours), literal(resource.languages.joined(separator: ",")),
                            literal(resource.source), literal(resource.kind.rawValue),
                        ].joined(separator: ", ") + ")"
                )
            }
        }
        return statements
    }

    /// A standard SQL string literal (quotes doubled), the same on SQLite and PostgreSQL.
    static func literal(_ value: String?) -> String {
        guard let value else { return "NULL" }
        return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
