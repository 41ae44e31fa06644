import ArgumentParser

@main
struct Chorus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chorus",
        abstract: "A self-hostable platform for #MeToo-style campaigns.",
        subcommands: [
            Serve.self, Migrate.self, Worker.self, AccountCommand.self, ResourcesCommand.self, Classify.self, Seed.self, Ceiling.self,
        ]
    )
}
