import PostgresNIO

extension PostgresBindings {
    /// Bindings of `values`, for statements built as text (`PostgresQuery(unsafeSQL:binds:)`).
    public init(_ values: any PostgresNonThrowingEncodable...) {
        self.init()
        for value in values { append(value) }
    }
}
