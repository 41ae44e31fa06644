import ArgumentParser
import ChorusCore
import ChorusStore
import Foundation
import Logging

/// `chorus resources import FILE`: replaces the help directory from a JSON file in the `data/resources.json` format.
struct ResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resources", abstract: "Manage the help directory (hotlines per country).", subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a resources JSON file and replace the whole directory with it, in one transaction."
        )

        @Argument(help: "A JSON file in the format of data/resources.json.")
        var file: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw Self.failure("Could not read \(file): \(error.localizedDescription)")
            }
            let directory: ResourceDirectory
            do {
                directory = try ResourceDirectory.load(from: data)
            } catch let error as ResourceDirectory.DirectoryError {
                throw Self.failure("\(file) was not imported; nothing changed.\n\(error.description)")
            }
            let store = try await ChorusStore.open(try database.existingEngine(), logger: Logger(label: "chorus.resources"))
            do {
                try await store.replaceHelpDirectory(directory)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
            let count = directory.countries.reduce(0) { $0 + $1.resources.count }
            print("Imported \(count) resources for \(directory.countries.count) entries. Running instances show them within a minute.")
        }

        /// A clear message on standard error and a failing exit status, without the usage text (the command was used right).
        static func failure(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            return ExitCode.failure
        }
    }
}
