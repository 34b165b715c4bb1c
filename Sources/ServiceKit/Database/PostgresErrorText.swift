import PostgresNIO

/// PSQLError hides the server's message behind a generic description; logs and problem
/// responses need the real one.
public enum PostgresErrorText {
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            return [error.beginError, error.closureError, error.commitError, error.rollbackError]
                .compactMap { $0 }.map(describe).joined(separator: "; ")
        }
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let info = error.serverInfo, let message = info[.message] {
            let detail = info[.detail].map { " (\($0))" } ?? ""
            return "\(message)\(detail) [\(info[.sqlState] ?? "?")]"
        }
        return "\(error.code)"
    }

    /// The SQLSTATE of a server error, looking through transaction wrappers.
    public static func sqlState(_ error: any Error) -> String? {
        if let error = error as? PostgresTransactionError {
            return error.closureError.flatMap(sqlState) ?? error.commitError.flatMap(sqlState)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension PostgresErrorText {
    /// True when the error says the database could not be reached or dropped the session (a
    /// restart, a network cut): worth waiting out, never the fault of the event being handled.
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        if error is ConnectionClosed || error is DatabaseStalled { return true }
        if let error = error as? PostgresTransactionError {
            return [error.beginError, error.closureError, error.commitError].compactMap { $0 }.contains(where: isConnectionLoss)
        }
        if let state = sqlState(error) {
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
        }
        guard let error = error as? PSQLError else { return false }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed].contains(error.code)
    }
}
