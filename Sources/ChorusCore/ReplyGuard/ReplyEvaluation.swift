import Foundation

/// Measures the guard on labelled replies: per-label precision and recall, how many harmful replies are held
/// (whatever harmful label they get), and how many supportive replies are wrongly held.
public struct ReplyEvaluation: Sendable {
    /// Pairs of (expected, predicted) labels, in input order.
    public let outcomes: [(expected: ReplyLabel, predicted: ReplyLabel)]

    /// Classifies every example with `guard`.
    public init(examples: [(reply: String, disclosure: String?, label: ReplyLabel)], guard: ReplyGuard) {
        outcomes = examples.map { ($0.label, `guard`.classify($0.reply, disclosure: $0.disclosure).label) }
    }

    /// Share of harmful replies that were held, under any harmful label (1 when there are none).
    public var harmfulRecall: Double {
        let harmful = outcomes.filter { $0.expected.isHarmful }
        return Self.share(harmful.filter { $0.predicted.isHarmful }.count, of: harmful.count, empty: 1)
    }

    /// Share of supportive replies that were wrongly held (0 when there are none).
    public var supportiveFalsePositiveRate: Double {
        let supportive = outcomes.filter { !$0.expected.isHarmful }
        return Self.share(supportive.filter { $0.predicted.isHarmful }.count, of: supportive.count, empty: 0)
    }

    /// Of the replies given `label`, the share that truly had it (1 when none were given it).
    public func precision(of label: ReplyLabel) -> Double {
        let predicted = outcomes.filter { $0.predicted == label }
        return Self.share(predicted.filter { $0.expected == label }.count, of: predicted.count, empty: 1)
    }

    /// Of the replies that truly had `label`, the share given it (1 when there were none).
    public func recall(of label: ReplyLabel) -> Double {
        let expected = outcomes.filter { $0.expected == label }
        return Self.share(expected.filter { $0.predicted == label }.count, of: expected.count, empty: 1)
    }

    /// A plain-text table: one row per label, then the two headline numbers.
    public var report: String {
        var lines = ["label          support  precision  recall"]
        for label in ReplyLabel.allCases {
            let support = outcomes.filter { $0.expected == label }.count
            let name = label.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
            lines.append(
                "\(name) \(Self.column(String(support), 7))  \(Self.column(Self.format(precision(of: label)), 9))  "
                    + Self.column(Self.format(recall(of: label)), 6))
        }
        lines.append("examples: \(outcomes.count)")
        lines.append("harmful recall (held under any harmful label): \(Self.format(harmfulRecall))")
        lines.append("supportive false-positive rate: \(Self.format(supportiveFalsePositiveRate))")
        return lines.joined(separator: "\n")
    }

    /// Reads JSON Lines with "reply", "label" and optional "disclosure"; blank lines are skipped.
    public static func load(jsonLinesAt path: String) throws -> [(reply: String, disclosure: String?, label: ReplyLabel)] {
        let content = try String(contentsOfFile: path, encoding: .utf8)
        var examples: [(reply: String, disclosure: String?, label: ReplyLabel)] = []
        for (number, line) in content.split(whereSeparator: \.isNewline).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let reply = object?["reply"] as? String, let raw = object?["label"] as? String,
                let label = ReplyLabel(rawValue: raw)
            else { throw LoadError.badLine(number + 1, path: path) }
            examples.append((reply, object?["disclosure"] as? String, label))
        }
        return examples
    }

    /// A line of the evaluation file that lacks a reply or a known label.
    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case badLine(Int, path: String)

        public var description: String {
            switch self {
            case .badLine(let line, let path):
                let labels = ReplyLabel.allCases.map(\.rawValue).joined(separator: "|")
                return "\(path):\(line): expected {\"reply\": ..., \"label\": \"\(labels)\"}"
            }
        }
    }

    private static func share(_ part: Int, of whole: Int, empty: Double) -> Double {
        whole == 0 ? empty : Double(part) / Double(whole)
    }

    private static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func column(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
