import Foundation

/// Screens each reply to a survivor's post before the survivor sees it.
///
/// Two halves vote. A phrasebook of language-aware patterns for the five harmful kinds (blaming, disbelief, "why"
/// questions, minimising, hostility), which ignores phrases the writer negates, reports or quotes; and a linear model
/// over word 1- to 3-grams and character n-grams across word boundaries (tools/train_reply_guard.py), applied to the whole reply and to the part after a
/// contrastive "but", so "I believe you, but what did you expect…" is judged by its harmful half. A reply is held when
/// the model's harmful probability reaches its tuned threshold, or when the phrasebook finds a harmful phrase and the
/// model does not rule it out (its harmful probability reaches the lower phrase threshold).
public struct ReplyGuard: Sendable {
    private let model: ReplyModel?
    private let phrasebook: ReplyPhrasebook

    /// Loads the shipped model once; copies share it.
    public init() {
        self.init(model: try? ReplyModel.bundled())
    }

    /// Loads a model written by tools/train_reply_guard.py from a file, e.g. one trained with part of the data held out.
    public init(modelAt path: String) throws {
        self.init(model: try ReplyModel(json: Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Uses a given model (for evaluation of another training run); nil leaves the phrasebook alone.
    init(model: ReplyModel?) {
        self.model = model
        self.phrasebook = ReplyPhrasebook()
    }

    /// Classifies one reply. `disclosure`, the post being answered, is accepted for context; the reply alone decides today.
    public func classify(_ reply: String, disclosure: String? = nil) -> ReplyVerdict {
        let text = ReplyText(reply)
        guard !text.tokens.isEmpty else { return ReplyVerdict(label: .supportive, confidence: 0.5) }
        let probabilities = modelProbabilities(of: text)
        let hits = phrasebook.hits(in: text)
        if let label = hits.keys.max(by: { rank($0, hits, probabilities) < rank($1, hits, probabilities) }) {
            let harm = 1 - (probabilities?[.supportive] ?? 0)
            if harm >= (model?.phraseThreshold ?? 0) { return ReplyVerdict(label: label, confidence: max(0.8, harm)) }
        }
        guard let probabilities, let model else { return ReplyVerdict(label: .supportive, confidence: 0.5) }
        let harm = 1 - (probabilities[.supportive] ?? 1)
        guard harm >= model.threshold else { return ReplyVerdict(label: .supportive, confidence: 1 - harm) }
        let harmful = ReplyLabel.allCases.filter(\.isHarmful)
        let label = harmful.max { (probabilities[$0] ?? 0) < (probabilities[$1] ?? 0) } ?? .hostile
        return ReplyVerdict(label: label, confidence: harm)
    }

    /// The model's view of the more harmful of the whole reply and its part after the last "but".
    private func modelProbabilities(of text: ReplyText) -> [ReplyLabel: Double]? {
        guard let model else { return nil }
        let whole = model.probabilities(of: text.tokens)
        guard let clause = text.clause(after: model.conjunctions) else { return whole }
        let part = model.probabilities(of: clause)
        return (part[.supportive] ?? 1) < (whole[.supportive] ?? 1) ? part : whole
    }

    /// Orders phrase hits: more matched phrases first, then the model's probability, then a fixed label order.
    private func rank(_ label: ReplyLabel, _ hits: [ReplyLabel: Int], _ probabilities: [ReplyLabel: Double]?) -> Double {
        let order = Double(ReplyLabel.allCases.firstIndex(of: label) ?? 0)
        return Double(hits[label] ?? 0) * 10 + (probabilities?[label] ?? 0) * 5 - order * 0.01
    }
}
