import Foundation

/// How much a hashtag is trending, after Mastodon's formula: the surprise of today's distinct accounts against
/// yesterday's, decaying from the moment the last new account joined in.
public enum TrendScore {
    /// Fewer distinct accounts than this never trend. It is `Magnitude.minimumCell`, not Mastodon's 5 or so: a trend
    /// publishes its daily accounts, and every published count stands for at least that many people.
    public static let minimumAccounts = Magnitude.minimumCell
    /// A trend loses half its score every 12 hours without a new account.
    public static let halfLife: Double = 12 * 3600

    /// `(today − expected)² / expected` with `expected = max(yesterday, 1)`, times `0.5^(age / halfLife)`, where
    /// `age` is the time since a new account last used the tag (in seconds). Zero below `minimumAccounts` or when
    /// today is no more than yesterday.
    public static func score(
        today: Int, yesterday: Int, secondsSinceLastNewAccount age: Double, minimumAccounts: Int = minimumAccounts, halfLife: Double = halfLife
    ) -> Double {
        let observed = Double(today)
        let expected = Double(max(yesterday, 1))
        guard today >= minimumAccounts, observed > expected else { return 0 }
        let raw = (observed - expected) * (observed - expected) / expected
        return raw * pow(0.5, max(age, 0) / halfLife)
    }
}
