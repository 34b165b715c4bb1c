import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the AI analyst's reports (written once, read by staff and the agents).
struct AnalystReportStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    static let columns = """
        id, report_type, target_student_id, period_start, period_end, raw_data::text, analysis_results::text, insights::text,
        recommendations::text, metrics::text, status, generated_by, processing_time_ms, created_at
        """

    func create(_ report: NewAnalystReport, logger: Logger) async throws -> AnalystReportView {
        guard let view = try await Self.first(try await database.query("""
            INSERT INTO ai_usage.ai_analyst_reports (report_type, target_student_id, period_start, period_end, raw_data, analysis_results,
                                                     insights, recommendations, metrics, status, generated_by, processing_time_ms)
            VALUES (\(report.reportType), \(report.targetStudentId), \(report.periodStart), \(report.periodEnd), \(report.rawData.text)::jsonb,
                    \(report.analysisResults.text)::jsonb, \(report.insights?.text)::jsonb, \(report.recommendations?.text)::jsonb,
                    \(report.metrics?.text)::jsonb, \(report.status), \(report.generatedBy), \(report.processingTimeMs.map(Int32.init))::int)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)) else { throw Problem.internalError }
        return view
    }

    /// Reports newest first.
    func list(type: String?, target: UUID?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<AnalystReportView> {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM ai_usage.ai_analyst_reports
            WHERE (\(type)::text IS NULL OR report_type = \(type))
              AND (\(target)::uuid IS NULL OR target_student_id = \(target))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(Row.self).all().map(Self.view)
        return Page(rows: rows, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    func report(_ id: UUID, logger: Logger) async throws -> AnalystReportView? {
        try await Self.first(try await database.query("""
            SELECT \(unescaped: Self.columns) FROM ai_usage.ai_analyst_reports WHERE id = \(id)
            """, logger: logger))
    }

    typealias Row = (UUID, String, UUID?, Date, Date, String, String, String?, String?, String?, String, String, Int32?, Date)

    static func first(_ rows: PostgresRowSequence) async throws -> AnalystReportView? {
        try await rows.decode(Row.self).firstElement().map(view)
    }

    static func view(_ row: Row) -> AnalystReportView {
        AnalystReportView(id: row.0, reportType: row.1, targetStudentId: row.2, periodStart: row.3, periodEnd: row.4,
                          rawData: JSONValue.parse(row.5), analysisResults: JSONValue.parse(row.6), insights: JSONValue.parse(row.7),
                          recommendations: JSONValue.parse(row.8), metrics: JSONValue.parse(row.9), status: row.10, generatedBy: row.11,
                          processingTimeMs: row.12.map(Int.init), createdAt: row.13)
    }
}
