extension Migration {
    /// Beliefs and tags whose voice was deleted were left behind on SQLite, where the schema's ON DELETE CASCADE is not
    /// applied (its foreign keys are off). Each was already taken off the totals when its voice went; left in place, it
    /// was taken off again when its writer was erased, and it cut pages of `/api/v1/favourites` short. Deleting a voice
    /// now takes them with it (`deleteVoices`); this clears those left from before. On PostgreSQL there are none.
    static let m0014NoBeliefsWithoutVoices = Migration(number: 14, name: "no_beliefs_without_voices") { _ in
        [
            "DELETE FROM beliefs WHERE NOT EXISTS (SELECT 1 FROM voices v WHERE v.id = beliefs.voice_id)",
            "DELETE FROM voice_tags WHERE NOT EXISTS (SELECT 1 FROM voices v WHERE v.id = voice_tags.voice_id)",
        ]
    }
}
