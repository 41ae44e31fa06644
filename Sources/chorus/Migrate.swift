import ArgumentParser
import ChorusStore
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (safe to run from several instances at once).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = Logger(label: "chorus.migrate")
        let config = database.config()
        try await StartupProblems.explained(databaseURL: config.databaseURL, dataDirectory: config.dataDirectory) {
            let db = try ChorusDatabase(engine: try config.engine, logger: logger)
            do {
                let ran = try await Migrations.run(on: db)
                print(
                    ran.isEmpty
                        ? "The schema is up to date."
                        : "Applied \(ran.count) migration(s): \(ran.map { "\($0.number) \($0.name)" }.joined(separator: ", ")).")
            } catch {
                await db.shutdown()
                throw error
            }
            await db.shutdown()
        }
    }
}
