import Foundation
import Testing

extension AIUsageSuites {
/// The AI analyst's reports: written and read by staff and the agents, never by learners.
@Suite struct AnalystReportTests {
    @Test func aReportIsStoredReadAndFilteredByStaff() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let report = try await agents.expect(.created, .service, .post, "/v1/analyst/reports", json: """
                {"report_type": "student_progress", "target_student_id": "\(learner)",
                 "period_start": "2026-01-01T00:00:00Z", "period_end": "2026-01-31T23:59:59.5Z",
                 "raw_data": {"lessons": 14, "quizzes": [80, 95]}, "analysis_results": {"trend": "рост"},
                 "insights": ["Учится по вечерам"], "recommendations": [{"action": "вечерние напоминания"}],
                 "metrics": {"completion_rate": 0.72}, "generated_by": "gpt-4o-mini", "processing_time_ms": 1834}
                """)
            let id = try AgentClient.id(report)
            #expect(report["status"] as? String == "completed")
            #expect(report["generated_by"] as? String == "gpt-4o-mini")
            #expect(report["processing_time_ms"] as? Int == 1834)
            #expect(report["period_end"] as? String == "2026-01-31T23:59:59.500Z")
            #expect((report["raw_data"] as? [String: Any])?["quizzes"] as? [Double] == [80, 95])
            #expect(report["insights"] as? [String] == ["Учится по вечерам"])
            #expect((report["metrics"] as? [String: Any])?["completion_rate"] as? Double == 0.72)

            let platform = try AgentClient.id(try await agents.expect(.created, .admin, .post, "/v1/analyst/reports", json: AgentClient.reportBody()))
            let read = try await agents.expect(.ok, .curator, .get, "/v1/analyst/reports/\(platform)")
            #expect(read["generated_by"] as? String == "gpt-4o")
            #expect(read["target_student_id"] == nil)

            #expect(AgentClient.ids(try await agents.expect(.ok, .curator, .get, "/v1/analyst/reports")) == [platform, id])
            #expect(AgentClient.ids(try await agents.expect(.ok, .admin, .get, "/v1/analyst/reports?report_type=student_progress")) == [id])
            #expect(AgentClient.ids(try await agents.expect(.ok, .service, .get, "/v1/analyst/reports?target_student_id=\(learner)")) == [id])
            #expect(AgentClient.ids(try await agents.expect(.ok, .service, .get, "/v1/analyst/reports?report_type=problem_areas")).isEmpty)
            try await agents.expect(.notFound, .admin, .get, "/v1/analyst/reports/\(UUID())")
        }
    }

    @Test func learnersNeitherReadNorWriteReports() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let id = try AgentClient.id(try await agents.expect(.created, .service, .post, "/v1/analyst/reports",
                                                                json: AgentClient.reportBody(type: "student_progress", target: learner)))
            try await agents.expect(.forbidden, .student, learner, .get, "/v1/analyst/reports")
            try await agents.expect(.forbidden, .student, learner, .get, "/v1/analyst/reports/\(id)")
            try await agents.expect(.forbidden, .student, learner, .get, "/v1/analyst/reports?target_student_id=\(learner)")
            try await agents.expect(.forbidden, .student, learner, .post, "/v1/analyst/reports", json: AgentClient.reportBody())
            try await agents.expect(.forbidden, .techSupport, .get, "/v1/analyst/reports")
            try await agents.expect(.forbidden, .salesManager, .get, "/v1/analyst/reports/\(id)")
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_analyst_reports") == 1)
        }
    }
}
}
