/// Served at `/openapi.json`; every path here is checked against the live router by the tests.
enum LearningOpenAPI {
    static let document = #"""
    {
      "openapi": "3.1.0",
      "info": {"title": "Lyceum learning service", "version": "0.1.0"},
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
          "Problem": {"type": "object", "required": ["type", "title", "status", "detail"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
              "detail": {"type": "string"},
              "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
          "LessonCompletion": {"type": "object",
            "required": ["lesson_id", "user_id", "course_id", "status", "completed_at", "newly_completed"],
            "properties": {"lesson_id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
              "course_id": {"type": "string", "format": "uuid"}, "status": {"type": "string", "enum": ["completed"]},
              "completed_at": {"type": "string", "format": "date-time"}, "newly_completed": {"type": "boolean"}}}
        }
      },
      "paths": {
        "/health": {"get": {"summary": "Liveness", "responses": {"200": {"description": "alive"}}}},
        "/ready": {"get": {"summary": "Readiness: database migrated and reachable, bus relay running",
          "responses": {"200": {"description": "ready"}, "503": {"description": "not ready"}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format"}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        "/v1/lessons/{lesson_id}/complete": {"post": {
          "summary": "Mark a published lesson complete for the calling student (idempotent)",
          "security": [{"bearer": []}],
          "parameters": [{"name": "lesson_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
          "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object",
            "properties": {"time_spent_seconds": {"type": "integer", "minimum": 0, "maximum": 86400}}}}}},
          "responses": {
            "200": {"description": "completed (newly_completed=false when it already was)",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LessonCompletion"}}}},
            "400": {"description": "malformed id or body", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "401": {"description": "no or invalid token", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "403": {"description": "not a student", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "404": {"description": "no such published lesson", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
          }}}
      }
    }
    """#
}
