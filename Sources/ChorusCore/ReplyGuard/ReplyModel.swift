import Foundation

/// The linear n-gram model trained by tools/train_reply_guard.py and shipped as reply-guard-model.json.
struct ReplyModel: Sendable {
    /// Labels in the order of the weight columns.
    let labels: [ReplyLabel]
    /// Words that open the second half of a mixed reply ("but", "pero", "mais", "aber", "mas", …).
    let conjunctions: Set<String>
    /// A reply whose harmful probability reaches this is held.
    let threshold: Double
    /// A reply with a harmful phrase is held when its harmful probability reaches this (0: always). The model vetoes
    /// phrases it is sure are used supportively ("men get assaulted too, I'm one of them, and I believe you").
    let phraseThreshold: Double
    /// The n-gram features the weights were trained on.
    let scheme: NGramFeatures.Scheme
    private let bias: [Double]
    private let rows: FeatureRows
    /// `labels.count` weights per row, in thousandths.
    private let weights: [Int16]

    private struct Payload: Decodable {
        enum CodingKeys: String, CodingKey {
            case labels, conjunctions, threshold, bias, features
            case phraseThreshold = "phrase_threshold"
        }

        let labels: [String]
        let conjunctions: [String]
        let threshold: Double
        let phraseThreshold: Double?
        let features: Int?
        let bias: [Double]
    }

    enum LoadError: Error { case missingResource(String), malformed(String) }

    /// Loads the shipped model from the module bundle.
    static func bundled(named name: String = "reply-guard-model") throws -> ReplyModel {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else { throw LoadError.missingResource(name) }
        return try ReplyModel(json: Data(contentsOf: url))
    }

    init(json: Data) throws {
        let tables = try ModelTables(json: json)
        let payload = try JSONDecoder().decode(Payload.self, from: tables.rest)
        let labels = payload.labels.compactMap(ReplyLabel.init(rawValue:))
        guard labels.count == payload.labels.count, payload.bias.count == labels.count,
            tables.weights.count == tables.hashes.count * labels.count
        else { throw LoadError.malformed("label, bias and weight counts disagree") }
        self.labels = labels
        self.conjunctions = Set(payload.conjunctions)
        self.threshold = payload.threshold
        self.phraseThreshold = payload.phraseThreshold ?? 0
        guard let scheme = NGramFeatures.Scheme(rawValue: payload.features ?? 1) else {
            throw LoadError.malformed("unknown feature scheme \(payload.features ?? 1)")
        }
        self.scheme = scheme
        self.bias = payload.bias
        self.weights = tables.weights
        do { self.rows = try FeatureRows(hashes: tables.hashes) } catch { throw LoadError.malformed("\(error)") }
    }

    /// Label probabilities for a token sequence (softmax over the linear scores of its L2-normalised binary features).
    func probabilities<Tokens: Collection<String>>(of tokens: Tokens) -> [ReplyLabel: Double] {
        var found: [Int] = []
        found.reserveCapacity(256)
        NGramFeatures.forEachHash(of: tokens, scheme: scheme) { hash in
            if let row = rows.row(of: hash) { found.append(row) }
        }
        found.sort()
        var unique = 0
        var scores = bias
        var previous = -1
        var sums = [Int](repeating: 0, count: labels.count)
        for row in found where row != previous {
            previous = row
            unique += 1
            let base = row * labels.count
            for column in 0..<labels.count { sums[column] += Int(weights[base + column]) }
        }
        let scale = unique > 0 ? 1 / (1000 * Double(unique).squareRoot()) : 0
        for column in 0..<labels.count { scores[column] += Double(sums[column]) * scale }
        let top = scores.max() ?? 0
        let exps = scores.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        var result: [ReplyLabel: Double] = [:]
        for (column, label) in labels.enumerated() { result[label] = exps[column] / total }
        return result
    }
}
