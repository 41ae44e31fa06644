/// *I will* commitments offered to allies who are not sure what to write.
public enum SuggestedPledges {
    public static let english = [
        "I will believe survivors when they tell me.",
        "I will speak up when I hear a rape joke.",
        "I will not ask “why” — I will listen.",
        "I will learn what consent means and teach it to the young people in my life.",
        "I will step in when I see harassment, at work and online.",
        "I will share the hotline number: 800.656.HOPE.",
    ]
}
