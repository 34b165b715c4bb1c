import ServiceKit

/// The OpenAPI paths and schemas of the AI analyst's reports.
enum AnalystReportOpenAPI {
    static let problem = PlatformOpenAPI.problemContent

    static let paths = #"""
        {
          "/v1/analyst/reports": {
            "post": {
              "summary": "Store a report of the AI analyst (curator, admin, service)",
              "security": [{"bearer": []}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalystReportInput"}}}},
              "responses": {
                "201": {"description": "the report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalystReport"}}}},
                "400": {"description": "empty or malformed body, a wrong type, a missing period (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "422": {"description": "unknown report_type or status, period_end not after period_start, raw_data or analysis_results missing or not objects (named)", \#(problem)}
              }},
            "get": {
              "summary": "Reports newest first (curator, admin, service)",
              "security": [{"bearer": []}],
              "parameters": [
                {"name": "report_type", "in": "query", "schema": {"type": "string", "enum": ["student_progress", "ai_curator_effectiveness", "learning_patterns", "engagement_analysis", "problem_areas", "overall_platform"]}},
                {"name": "target_student_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                \#(AgentOpenAPI.pageParameters)
              ],
              "responses": {
                "200": {"description": "a page of reports", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "AnalystReport"))}}},
                "400": {"description": "a bad filter, cursor or limit (named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems)
              }}
          },
          "/v1/analyst/reports/{report_id}": {"get": {
            "summary": "A report (curator, admin, service)",
            "security": [{"bearer": []}],
            "parameters": [\#(AgentOpenAPI.uuidPath("report_id"))],
            "responses": {
              "200": {"description": "the report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnalystReport"}}}},
              "400": {"description": "report_id is not a UUID", \#(problem)},
              \#(AgentOpenAPI.commonProblems),
              "404": {"description": "no such report", \#(problem)}
            }}}
        }
        """#

    static let schemas = #"""
        {
          "AnalystReportInput": {"type": "object", "required": ["report_type", "period_start", "period_end", "raw_data", "analysis_results"], "properties": {
            "report_type": {"type": "string", "enum": ["student_progress", "ai_curator_effectiveness", "learning_patterns", "engagement_analysis", "problem_areas", "overall_platform"]},
            "target_student_id": {"type": "string", "format": "uuid", "description": "required for student_progress"},
            "period_start": {"type": "string", "format": "date-time"},
            "period_end": {"type": "string", "format": "date-time", "description": "after period_start"},
            "raw_data": \#(AgentOpenAPI.json("the data analysed")),
            "analysis_results": \#(AgentOpenAPI.json("the analysis")),
            "insights": \#(AgentOpenAPI.json("insights", array: true)),
            "recommendations": \#(AgentOpenAPI.json("recommendations", array: true)),
            "metrics": \#(AgentOpenAPI.json("key metrics")),
            "status": {"type": "string", "enum": ["processing", "completed", "failed"], "default": "completed"},
            "generated_by": {"type": "string", "minLength": 1, "maxLength": 100, "default": "gpt-4o"},
            "processing_time_ms": {"type": "integer", "minimum": 0, "maximum": 86400000}}},
          "AnalystReport": {"type": "object", "required": ["id", "report_type", "period_start", "period_end", "raw_data", "analysis_results", "status", "generated_by", "created_at"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "report_type": {"type": "string"},
            "target_student_id": {"type": "string", "format": "uuid"},
            "period_start": {"type": "string", "format": "date-time"}, "period_end": {"type": "string", "format": "date-time"},
            "raw_data": {"type": "object"}, "analysis_results": {"type": "object"},
            "insights": {"type": ["object", "array"]}, "recommendations": {"type": ["object", "array"]}, "metrics": {"type": "object"},
            "status": {"type": "string", "enum": ["processing", "completed", "failed"]}, "generated_by": {"type": "string"},
            "processing_time_ms": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"}}}
        }
        """#
}
