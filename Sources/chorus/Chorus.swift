import ArgumentParser

@main
struct Chorus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chorus",
        abstract: "A self-hostable platform for #MeToo-style campaigns.",
        subcommands: [Serve.self, Migrate.self, AccountCommand.self, Classify.self, Seed.self]
    )
}
