import ArgumentParser
import ChorusCore
import Foundation

/// The classifiers Chorus runs on every text, for anyone to check on their own data.
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Label JSON Lines from stdin with the reply guard or the crisis detector, or evaluate them on a labelled file.",
        subcommands: [Replies.self, Crisis.self]
    )

    struct Replies: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read JSON Lines with `reply` (and optional `disclosure`); write each back with a `label`."
        )

        @Option(help: "A labelled JSON Lines file (`reply`, `label`): print per-label precision and recall instead.")
        var evaluate: String?

        @Option(help: "A model JSON written by tools/train_reply_guard.py (default: the shipped one).")
        var model: String?

        func run() throws {
            let replyGuard = try model.map { try ReplyGuard(modelAt: $0) } ?? ReplyGuard()
            if let evaluate {
                print(ReplyEvaluation(examples: try ReplyEvaluation.load(jsonLinesAt: evaluate), guard: replyGuard).report)
                return
            }
            try eachLine(field: "reply") { try ReplyLabelling.label(jsonLine: $0, with: replyGuard) }
        }
    }

    struct Crisis: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read JSON Lines with `text`; write each back with a `label`.")

        @Option(help: "A labelled JSON Lines file (`text`, `label`, `lang`): print precision and recall instead.")
        var evaluate: String?

        @Option(help: "A model JSON written by tools/train_crisis.py (default: the shipped one).")
        var model: String?

        func run() throws {
            let detector = try model.map { try CrisisDetector(modelAt: $0) } ?? CrisisDetector()
            if let evaluate {
                print(CrisisEvaluation(examples: try CrisisEvaluation.loadWithLanguage(jsonLinesAt: evaluate), detector: detector).report)
                return
            }
            try eachLine(field: "text") { try CrisisLabelling.label(jsonLine: $0, with: detector) }
        }
    }
}

/// Reads stdin line by line; a line that is not a JSON object with a `field` string is reported with its number, and
/// the rest go on.
private func eachLine(field: String, _ transform: (String) throws -> String) throws {
    var number = 0
    var failures = 0
    while let line = readLine(strippingNewline: true) {
        number += 1
        guard !line.trimmingWhitespace.isEmpty else { continue }
        do {
            print(try transform(line))
        } catch {
            failures += 1
            FileHandle.standardError.write(Data("line \(number): not a JSON object with a \"\(field)\" string; it was left out.\n".utf8))
        }
    }
    if failures > 0 { throw ExitCode(1) }
}
