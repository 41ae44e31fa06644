/// Hand-written cue lists for one language, as regular-expression sources over folded text
/// (lower-cased, accents removed, typographic apostrophes replaced by `'`).
struct CrisisLexicon: Sendable {
    /// Any one of these, unless suppressed, means the writer is in danger now or may harm themselves.
    var strong: [String]
    /// Worrying on their own but not enough: two of them, or one with a "now" cue, make a crisis.
    var weak: [String]
    /// Past-time framing ("back then", "years ago", "in 2015") that turns a signal into a story told.
    var past: [String]
    /// Past reporting ("he said", "me decía"): a threat quoted from the past, unless the text also says "now".
    var reported: [String]
    /// Present-time framing ("right now", "tonight") that overrides a past cue in the same clause.
    var now: [String]
    /// Addressed to someone else, hypothetical, or reported: supporters' replies, questions, news.
    var distance: [String]
    /// Laughter markers: "lol my mom is going to kill me" is an idiom, not a threat.
    var joke: [String]
    /// Words that negate a signal when they come just before it ("I'm not going to hurt myself").
    var negations: Set<String>
    /// Words of being better now ("today I'm better", "je vais mieux"): the "now" of a story of recovery is not a
    /// "danger now", so a past cue holds, and the model's guess alone is not enough.
    var recovered: [String] = []

    /// All languages' cues together: a post's language is not known, and the cues rarely collide.
    static let all: CrisisLexicon = [english, spanish, french, german, portuguese].reduce(.empty) { $0.merged(with: $1) }

    static let empty = CrisisLexicon(strong: [], weak: [], past: [], reported: [], now: [], distance: [], joke: [], negations: [])

    func merged(with other: CrisisLexicon) -> CrisisLexicon {
        CrisisLexicon(
            strong: strong + other.strong,
            weak: weak + other.weak,
            past: past + other.past,
            reported: reported + other.reported,
            now: now + other.now,
            distance: distance + other.distance,
            joke: joke + other.joke,
            negations: negations.union(other.negations),
            recovered: recovered + other.recovered
        )
    }
}
