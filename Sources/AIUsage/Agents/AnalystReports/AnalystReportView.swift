import Foundation
import ServiceKit
import Hummingbird

/// A report of the AI analyst.
struct AnalystReportView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var reportType: String
    var targetStudentId: UUID?
    var periodStart: Date
    var periodEnd: Date
    var rawData: JSONValue?
    var analysisResults: JSONValue?
    var insights: JSONValue?
    var recommendations: JSONValue?
    var metrics: JSONValue?
    /// processing, completed or failed.
    var status: String
    /// The model that wrote it.
    var generatedBy: String
    var processingTimeMs: Int?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, reportType = "report_type", targetStudentId = "target_student_id", periodStart = "period_start", periodEnd = "period_end"
        case rawData = "raw_data", analysisResults = "analysis_results", insights, recommendations, metrics, status
        case generatedBy = "generated_by", processingTimeMs = "processing_time_ms", createdAt = "created_at"
    }
}
