import PostgresNIO

extension PostgresBindings {
    /// Bindings of `values`, for statements built as text (`PostgresQuery(unsafeSQL:binds:)`).
    public init(_ values: any PostgresNonThrowingEncodable...) {
        self.init()
        for value in values { append(value) }
    }
}

extension PostgresQuery.StringInterpolation {
    /// A page cursor's exact instant (`PageCursor.micros`, microseconds since 1970) as a
    /// timestamptz, bound as a bigint so no Double rounding moves it:
    /// `(created_at, id) < (\(instant: after?.micros), \(after?.id))`.
    public mutating func appendInterpolation(instant micros: Int64?) {
        appendInterpolation(unescaped: "(timestamptz 'epoch' + ")
        appendInterpolation(micros)
        appendInterpolation(unescaped: "::bigint * interval '1 microsecond')")
    }
}
