import Foundation
import ServiceKit

/// `PUT /v1/budgets/{scope}` (scope `global` or an agent name): limits in the local currency.
/// A field left out keeps its value (or its default on a new budget); a limit sent as null is
/// removed.
struct BudgetInput: Decodable, Sendable {
    var dailyLimit: Decimal??
    var monthlyLimit: Decimal??
    var alertThresholdPercent: Int?
    var alertEnabled: Bool?
    var alertContacts: [String]?

    enum CodingKeys: String, CodingKey {
        case dailyLimit = "daily_limit", monthlyLimit = "monthly_limit", alertThresholdPercent = "alert_threshold_percent"
        case alertEnabled = "alert_enabled", alertContacts = "alert_contacts"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Present-but-null and absent differ here: null removes the limit, absent keeps it.
        dailyLimit = container.contains(.dailyLimit) ? .some(try container.decodeNil(forKey: .dailyLimit) ? nil : try container.decode(Decimal.self, forKey: .dailyLimit)) : nil
        monthlyLimit = container.contains(.monthlyLimit) ? .some(try container.decodeNil(forKey: .monthlyLimit) ? nil : try container.decode(Decimal.self, forKey: .monthlyLimit)) : nil
        alertThresholdPercent = try container.decodeIfPresent(Int.self, forKey: .alertThresholdPercent)
        alertEnabled = try container.decodeIfPresent(Bool.self, forKey: .alertEnabled)
        alertContacts = try container.decodeIfPresent([String].self, forKey: .alertContacts)
    }

    static let maxLimit = Decimal(1_000_000_000_000)

    func validated() throws -> BudgetInput {
        var checks = FieldChecks()
        for (value, field) in [(dailyLimit, "daily_limit"), (monthlyLimit, "monthly_limit")] {
            guard case .some(.some(let limit)) = value else { continue }
            checks.check(limit > 0 && limit <= Self.maxLimit && limit == limit.rounded(toPlaces: 2), field,
                         "must be more than 0 and at most 1e12 with at most 2 decimal places")
        }
        checks.range(alertThresholdPercent, "alert_threshold_percent", 1...100)
        if let alertContacts {
            checks.check(alertContacts.count <= 20, "alert_contacts", "must hold at most 20 contacts")
            for (index, contact) in alertContacts.enumerated() {
                checks.plainText(contact, "alert_contacts[\(index)]", max: 200)
                checks.check(!contact.trimmingCharacters(in: .whitespaces).isEmpty, "alert_contacts[\(index)]", "must not be empty")
            }
        }
        try checks.throwIfAny()
        return self
    }
}

/// `POST /v1/budgets/reserve`: hold an estimated cost (local currency) before calling a model.
struct ReserveInput: Decodable, Sendable {
    var requestId: String
    var agent: String
    var estimatedCost: Decimal
    var holdSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", agent, estimatedCost = "estimated_cost", holdSeconds = "hold_seconds"
    }

    func validated() throws -> ReserveInput {
        var checks = FieldChecks()
        checks.check(UsageNames.isRequestID(requestId), "request_id", "must be 1 to 200 printable characters")
        checks.check(UsageNames.isAgent(agent), "agent", "must be a lower-case name like ai_curator")
        checks.check(estimatedCost >= 0 && estimatedCost <= BudgetInput.maxLimit && estimatedCost == estimatedCost.rounded(toPlaces: 6),
                     "estimated_cost", "must be between 0 and 1e12 with at most 6 decimal places")
        checks.range(holdSeconds, "hold_seconds", 1...86_400)
        try checks.throwIfAny()
        return self
    }
}

/// A budget's scope in the path: `global` (every agent together) or one agent.
enum BudgetScope: Equatable, Sendable {
    case global
    case agent(String)

    init(path text: String) throws {
        if text == "global" {
            self = .global
        } else if UsageNames.isAgent(text) {
            self = .agent(text)
        } else {
            throw Problem.invalid("scope", "must be global or an agent name like ai_curator")
        }
    }

    var agent: String? {
        if case .agent(let name) = self { name } else { nil }
    }
}
