extension Migration {
    /// Each country's all-time *me too* people as the UTC day began, kept by the day's first change to any country's
    /// count (`ChorusStore.keepCountriesAsTheDayBegan`). Countries are published from it: published live, a country's
    /// count moved by one just as a named voice appeared on the public timeline, and so told its writer's country.
    static let m0016CountriesAsTheDayBegan = Migration(number: 16, name: "countries_as_the_day_began") { _ in
        [
            """
            CREATE TABLE countries_as_the_day_began (
                day BIGINT NOT NULL,
                country TEXT NOT NULL,
                people BIGINT NOT NULL,
                PRIMARY KEY (day, country)
            )
            """
        ]
    }
}
