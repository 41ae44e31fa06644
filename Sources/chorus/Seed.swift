import ArgumentParser
import ChorusStore
import Logging

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill an empty database with synthetic voices, for benchmarks only (refuses a database with accounts).")

    @Option(help: "How many voices.")
    var voices = 10_000

    @Option(help: "How many synthetic accounts write them.")
    var people = 1_000

    @Option(help: "Over how many days, up to now.")
    var days = 30

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard voices >= 1, people >= 1, days >= 1 else { throw ValidationError("--voices, --people and --days must each be at least 1.") }
        guard people <= voices else { throw ValidationError("--people can be at most --voices: each synthetic account writes a voice.") }
    }

    func run() async throws {
        let store = try await ChorusStore.open(try database.config().engine, logger: Logger(label: "chorus.seed"))
        do {
            try await store.seedForBenchmark(voices: voices, people: people, days: days)
            print("Seeded \(voices) voices by \(people) people over \(days) days; the magnitude was recounted.")
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}
