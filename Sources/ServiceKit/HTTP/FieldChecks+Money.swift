import Foundation

/// Money as exact decimals: checked here, stored as `numeric`, sent as decimal strings.
extension FieldChecks {
    public static let maxMoney = Decimal(1_000_000_000)

    /// An amount of money: 0…1e9 with at most two decimal places.
    public mutating func money(_ value: Decimal?, _ field: String) {
        guard let value else { return }
        check(value >= 0 && value <= Self.maxMoney, field, "must be between 0 and \(Self.maxMoney)")
        check(value == value.rounded(toPlaces: 2), field, "must have at most 2 decimal places")
    }

    public mutating func currency(_ value: String?, _ field: String = "currency") {
        guard let value else { return }
        check(value.range(of: "^[A-Z]{3}$", options: .regularExpression) != nil, field, "must be an ISO 4217 code such as USD, KZT, IRR or RUB")
    }
}

extension Decimal {
    public func rounded(toPlaces places: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }
}
