import Foundation

/// How well a detector agrees with hand labels: precision and recall of `.crisis`, overall and per language.
public struct CrisisEvaluation: Sendable {
    /// Counts of one comparison between expected and predicted labels.
    public struct Confusion: Sendable, Equatable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var trueNegatives = 0

        /// Share of texts flagged as crisis that are crisis; 1 when nothing was flagged.
        public var precision: Double {
            let flagged = truePositives + falsePositives
            return flagged == 0 ? 1 : Double(truePositives) / Double(flagged)
        }

        /// Share of crisis texts that were flagged; 1 when there were none.
        public var recall: Double {
            let crises = truePositives + falseNegatives
            return crises == 0 ? 1 : Double(truePositives) / Double(crises)
        }

        var total: Int { truePositives + falsePositives + falseNegatives + trueNegatives }

        mutating func count(expected: CrisisLabel, predicted: CrisisLabel) {
            switch (expected, predicted) {
            case (.crisis, .crisis): truePositives += 1
            case (.notCrisis, .crisis): falsePositives += 1
            case (.crisis, .notCrisis): falseNegatives += 1
            case (.notCrisis, .notCrisis): trueNegatives += 1
            }
        }
    }

    /// Counts over every example.
    public let overall: Confusion
    /// Counts per language code, for examples whose text is in a language the detector's language guess finds.
    public let byLanguage: [String: Confusion]
    /// Texts the detector got wrong, with the expected label.
    public let mistakes: [(text: String, expected: CrisisLabel)]

    /// Runs the detector over labelled examples.
    public init(examples: [(text: String, label: CrisisLabel)], detector: CrisisDetector) {
        self.init(examples: examples.map { ($0.text, $0.label, Language.guess(from: $0.text).rawValue) }, detector: detector)
    }

    /// Runs the detector over labelled examples whose language is known.
    public init(examples: [(text: String, label: CrisisLabel, lang: String)], detector: CrisisDetector) {
        var overall = Confusion()
        var byLanguage: [String: Confusion] = [:]
        var mistakes: [(text: String, expected: CrisisLabel)] = []
        for example in examples {
            let predicted = detector.classify(example.text)
            overall.count(expected: example.label, predicted: predicted)
            byLanguage[example.lang, default: Confusion()].count(expected: example.label, predicted: predicted)
            if predicted != example.label { mistakes.append((example.text, example.label)) }
        }
        self.overall = overall
        self.byLanguage = byLanguage
        self.mistakes = mistakes
    }

    /// Precision of `.crisis` over every example.
    public var precision: Double { overall.precision }
    /// Recall of `.crisis` over every example.
    public var recall: Double { overall.recall }

    /// Precision, recall and confusion counts, overall and per language, as printed by
    /// `chorus classify crisis --evaluate FILE`.
    public var report: String {
        var lines = ["crisis detector: \(overall.total) examples"]
        lines.append(Self.line("all", overall))
        for code in byLanguage.keys.sorted() { lines.append(Self.line(code, byLanguage[code]!)) }
        return lines.joined(separator: "\n")
    }

    private static func line(_ name: String, _ counts: Confusion) -> String {
        let percent = { (value: Double) in String(format: "%.1f%%", value * 100) }
        return "\(name.padding(toLength: 4, withPad: " ", startingAt: 0)) precision \(percent(counts.precision))"
            + "  recall \(percent(counts.recall))  TP \(counts.truePositives)  FP \(counts.falsePositives)"
            + "  FN \(counts.falseNegatives)  TN \(counts.trueNegatives)  (n=\(counts.total))"
    }

    /// Reads labelled JSON Lines (`{"text": ..., "label": "crisis"|"not_crisis", ...}`); blank lines are skipped.
    public static func load(jsonLinesAt path: String) throws -> [(text: String, label: CrisisLabel)] {
        try loadWithLanguage(jsonLinesAt: path).map { ($0.text, $0.label) }
    }

    /// Like ``load(jsonLinesAt:)``, also keeping the `"lang"` field (or a guess when it is missing).
    public static func loadWithLanguage(jsonLinesAt path: String) throws -> [(text: String, label: CrisisLabel, lang: String)] {
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        var examples: [(text: String, label: CrisisLabel, lang: String)] = []
        for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let record = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any]
            guard let text = record?["text"] as? String,
                let rawLabel = record?["label"] as? String,
                let label = CrisisLabel(rawValue: rawLabel)
            else {
                throw LoadFailure(path: path, line: index + 1)
            }
            let lang = (record?["lang"] as? String) ?? Language.guess(from: text).rawValue
            examples.append((text, label, lang))
        }
        return examples
    }

    /// A line of a labelled file that is not `{"text": String, "label": "crisis"|"not_crisis"}`.
    public struct LoadFailure: Error, CustomStringConvertible {
        public let path: String
        public let line: Int
        public var description: String {
            "\(path):\(line): expected {\"text\": ..., \"label\": \"crisis\"|\"not_crisis\"}"
        }
    }
}
