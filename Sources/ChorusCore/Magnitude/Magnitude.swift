/// The three totals Chorus makes visible.
public struct Magnitude: Codable, Sendable, Equatable {
    /// Distinct people who said *me too*, however many stories each told.
    public var meTooPeople: Int
    /// *I believe you* taps.
    public var beliefs: Int
    /// *I will* pledges.
    public var pledges: Int

    public init(meTooPeople: Int = 0, beliefs: Int = 0, pledges: Int = 0) {
        self.meTooPeople = meTooPeople
        self.beliefs = beliefs
        self.pledges = pledges
    }
}
