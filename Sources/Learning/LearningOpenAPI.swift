import ServiceKit

/// Served at `/openapi.json`; the tests check every documented path is routed.
enum LearningOpenAPI {
    static let document = PlatformOpenAPI.document(
        title: "Lyceum learning service",
        paths: [progressPaths, CatalogOpenAPI.paths, EnrollmentOpenAPI.paths, LibraryOpenAPI.paths, QuizOpenAPI.paths],
        schemas: [progressSchemas, CatalogOpenAPI.schemas, EnrollmentOpenAPI.schemas, LibraryOpenAPI.schemas, QuizOpenAPI.schemas])

    static let progressPaths = #"""
        {
          "/v1/lessons/{lesson_id}/complete": {"post": {
            "summary": "Mark a published lesson complete for the calling student (idempotent; enrolls in a free course; completes the course with its last required lesson)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "lesson_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object",
              "properties": {"time_spent_seconds": {"type": "integer", "minimum": 0, "maximum": 86400}}}}}},
            "responses": {
              "200": {"description": "completed (newly_completed=false when it already was)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LessonCompletion"}}}},
              "400": {"description": "malformed id or body", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "402": {"description": "a paid course without a purchase", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "not a student, not enrolled, module locked or prerequisites missing (named)", \#(PlatformOpenAPI.problemContent)},
              "409": {"description": "a video lesson: it completes by watching", \#(PlatformOpenAPI.problemContent)},
              "404": {"description": "no such published lesson", \#(PlatformOpenAPI.problemContent)},
              "413": {"description": "body over 1 MiB", \#(PlatformOpenAPI.problemContent)}
            }}}
        }
        """#

    static let progressSchemas = #"""
        {
          "LessonCompletion": {"type": "object",
            "required": ["lesson_id", "user_id", "course_id", "status", "completed_at", "newly_completed"],
            "properties": {"lesson_id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
              "course_id": {"type": "string", "format": "uuid"}, "status": {"type": "string", "enum": ["completed"]},
              "completed_at": {"type": "string", "format": "date-time"}, "newly_completed": {"type": "boolean"},
              "course_completed_at": {"type": "string", "format": "date-time", "description": "set when this lesson completed the course"},
              "certificate_code": {"type": "string", "description": "the course's certificate, when this lesson completed it"}}}
        }
        """#
}
