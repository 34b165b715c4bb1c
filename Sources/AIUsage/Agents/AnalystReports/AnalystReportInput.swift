import Foundation
import ServiceKit

/// The body of `POST /v1/analyst/reports`: what the AI analyst found about a period, for one
/// learner (`target_student_id`, required for `student_progress`) or the platform.
struct AnalystReportInput: Decodable, Sendable {
    var reportType: String
    var targetStudentId: UUID?
    var periodStart: Date
    var periodEnd: Date
    var rawData: JSONValue?
    var analysisResults: JSONValue?
    var insights: JSONValue?
    var recommendations: JSONValue?
    var metrics: JSONValue?
    var status: String?
    var generatedBy: String?
    /// Whole milliseconds; read as a number so 1.5 is a 422 naming the field (the decoder's own
    /// error for a fraction names no field).
    var processingTimeMs: Double?

    enum CodingKeys: String, CodingKey {
        case reportType = "report_type", targetStudentId = "target_student_id", periodStart = "period_start", periodEnd = "period_end"
        case rawData = "raw_data", analysisResults = "analysis_results", insights, recommendations, metrics, status
        case generatedBy = "generated_by", processingTimeMs = "processing_time_ms"
    }

    static let reportTypes = ["student_progress", "ai_curator_effectiveness", "learning_patterns", "engagement_analysis", "problem_areas",
                              "overall_platform"]
    static let statuses = ["processing", "completed", "failed"]
    static let maxGeneratedBy = 100
    /// A day.
    static let maxProcessingTimeMs = 86_400_000

    func validated() throws -> NewAnalystReport {
        var checks = AgentChecks()
        checks.oneOf(reportType, "report_type", Self.reportTypes, required: true)
        if reportType == "student_progress", targetStudentId == nil { checks.fail("target_student_id", "is required for student_progress") }
        checks.timestamp(periodStart, "period_start")
        checks.timestamp(periodEnd, "period_end")
        checks.check(periodEnd > periodStart, "period_end", "must be after period_start")
        let raw = checks.json(rawData, "raw_data", required: true)
        let results = checks.json(analysisResults, "analysis_results", required: true)
        let insights = checks.json(insights, "insights", arrayAllowed: true)
        let recommendations = checks.json(recommendations, "recommendations", arrayAllowed: true)
        let metrics = checks.json(metrics, "metrics")
        checks.oneOf(status, "status", Self.statuses)
        let model = checks.label(generatedBy, "generated_by", max: Self.maxGeneratedBy)
        if let processingTimeMs {
            checks.check(processingTimeMs.rounded() == processingTimeMs && (0...Double(Self.maxProcessingTimeMs)).contains(processingTimeMs),
                         "processing_time_ms", "must be a whole number from 0 to \(Self.maxProcessingTimeMs)")
        }
        try checks.throwIfAny()
        return NewAnalystReport(reportType: reportType, targetStudentId: targetStudentId, periodStart: periodStart, periodEnd: periodEnd,
                                rawData: raw ?? .object([:]), analysisResults: results ?? .object([:]), insights: insights,
                                recommendations: recommendations, metrics: metrics, status: status ?? "completed",
                                generatedBy: model ?? "gpt-4o", processingTimeMs: processingTimeMs.map { Int($0) })
    }
}

struct NewAnalystReport: Sendable {
    var reportType: String
    var targetStudentId: UUID?
    var periodStart: Date
    var periodEnd: Date
    var rawData: JSONValue
    var analysisResults: JSONValue
    var insights: JSONValue?
    var recommendations: JSONValue?
    var metrics: JSONValue?
    var status: String
    var generatedBy: String
    var processingTimeMs: Int?
}
