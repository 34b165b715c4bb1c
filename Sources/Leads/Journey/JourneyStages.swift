/// The journey stages a lead may reach: the seed's six and the configured others.
struct JourneyStages: Sendable {
    static let builtIn = ["proftest_submitted", "expresscourse_clicked", "expresscourse_submitted",
                          "payment_kaspi", "payment_card", "payment_manager"]

    let names: [String]

    init(extra: [String]) {
        var names = Self.builtIn
        for name in extra where !names.contains(name) { names.append(name) }
        self.names = names
    }

    func contains(_ stage: String) -> Bool { names.contains(stage) }

    /// A lower-case name of letters, digits and underscores, starting with a letter (≤ 63 characters).
    static func isWellFormed(_ name: String) -> Bool {
        name.range(of: "^[a-z][a-z0-9_]{0,62}$", options: .regularExpression) != nil
    }
}
