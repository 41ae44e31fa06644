import ArgumentParser
import ChorusWeb
import Logging

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run only background jobs (any number of workers may share one PostgreSQL).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await runWorker(database.config())
    }
}
