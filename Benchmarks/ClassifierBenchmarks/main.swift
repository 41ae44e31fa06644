import ChorusCore
import Foundation

// Time per text of the reply guard and the crisis detector, one core, over the development sets.
// Run: CHORUS_BENCHMARKS=1 swift run -c release ClassifierBenchmarks [data/dev/replies-dev.jsonl] [data/dev/crisis-dev.jsonl]

func texts(_ path: String, field: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
        (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?[field] as? String
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

/// Times each text separately, `rounds` times over the set; prints median, p99 and max in microseconds, then the same
/// over each text's fastest round (what the text costs when the shared machine does not preempt the thread).
func measure(_ name: String, _ inputs: [String], rounds: Int = 5, _ classify: (String) -> Void) {
    for text in inputs.prefix(50) { classify(text) }
    var samples: [Double] = []
    samples.reserveCapacity(inputs.count * rounds)
    var best = [Double](repeating: .infinity, count: inputs.count)
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        for (index, text) in inputs.enumerated() {
            let elapsed = clock.measure { classify(text) }
            let micros = Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6
            samples.append(micros)
            best[index] = min(best[index], micros)
        }
    }
    samples.sort()
    best.sort()
    func summary(_ sorted: [Double]) -> String {
        "median \(String(format: "%.1f", percentile(sorted, 0.5))) µs, p99 \(String(format: "%.1f", percentile(sorted, 0.99))) µs, "
            + "max \(String(format: "%.1f", sorted.last ?? 0)) µs"
    }
    print("\(name): \(samples.count) texts, \(summary(samples)); per text, fastest of \(rounds): \(summary(best))")
}

let arguments = CommandLine.arguments.dropFirst()
let repliesPath = arguments.first ?? "data/dev/replies-dev.jsonl"
let crisisPath = arguments.dropFirst().first ?? "data/dev/crisis-dev.jsonl"
let replyGuard = ReplyGuard()
let detector = CrisisDetector()
measure("reply guard", try texts(repliesPath, field: "reply")) { _ = replyGuard.classify($0) }
measure("crisis detector", try texts(crisisPath, field: "text")) { _ = detector.isCrisis($0) }
