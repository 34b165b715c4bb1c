import Foundation

/// One budget's limit for one period, with what is spent and held in it.
struct BudgetFigure: Sendable, Equatable {
    var budgetId: UUID
    var agent: String?
    /// day or month.
    var period: String
    var periodStart: String
    var limit: Decimal
    var thresholdPercent: Int
    var alertEnabled: Bool
    var spent: Decimal
    var held: Decimal

    var exceeded: Bool { spent >= limit }
    var thresholdReached: Bool { spent * 100 >= limit * Decimal(thresholdPercent) }

    /// Spent as a share of the limit, in percent with two decimals.
    var percent: Decimal { (spent * 100 / limit).rounded(toPlaces: 2) }

    /// Whether `amount` more fits next to what is spent and held.
    func admits(_ amount: Decimal) -> Bool { spent + held + amount <= limit }
}

/// A pre-flight reservation's answer: allowed when the amount fits every budget that applies
/// (the global one and the agent's), in the day and in the month.
struct BudgetDecision: Sendable, Equatable {
    var allowed: Bool
    /// The figures that refused it.
    var deniedBy: [BudgetFigure]

    init(amount: Decimal, figures: [BudgetFigure]) {
        deniedBy = figures.filter { !$0.admits(amount) }
        allowed = deniedBy.isEmpty
    }
}

/// The seed's check_budget_limits message: one phrase per limit exceeded or threshold reached.
enum BudgetMessage {
    static func alert(_ figures: [BudgetFigure], currency: String) -> String? {
        let phrases = figures.compactMap { figure -> String? in
            let scope = figure.agent.map { " (\($0))" } ?? ""
            let period = figure.period == "day" ? "Daily" : "Monthly"
            if figure.exceeded {
                return "\(period) limit exceeded\(scope): \(figure.spent) of \(figure.limit) \(currency)"
            }
            if figure.alertEnabled && figure.thresholdReached {
                return "\(period) spend at \(figure.percent)% of the limit\(scope): \(figure.spent) of \(figure.limit) \(currency)"
            }
            return nil
        }
        return phrases.isEmpty ? nil : phrases.joined(separator: "; ")
    }
}
