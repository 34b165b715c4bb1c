/// Served at `/openapi.json`; every path here is checked against the live router by the tests.
enum GamificationOpenAPI {
    static let document = #"""
    {
      "openapi": "3.1.0",
      "info": {"title": "Lyceum gamification service", "version": "0.1.0"},
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
          "Problem": {"type": "object", "required": ["type", "title", "status", "detail"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
              "detail": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object"}}}},
          "UserXP": {"type": "object", "required": ["user_id", "total_xp", "level"],
            "properties": {"user_id": {"type": "string", "format": "uuid"}, "total_xp": {"type": "integer"}, "level": {"type": "integer", "minimum": 1}}}
        }
      },
      "paths": {
        "/health": {"get": {"summary": "Liveness", "responses": {"200": {"description": "alive"}}}},
        "/ready": {"get": {"summary": "Readiness", "responses": {"200": {"description": "ready"}, "503": {"description": "not ready"}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format"}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        "/v1/users/{user_id}/xp": {"get": {
          "summary": "A learner's XP total and level (students: their own only)",
          "security": [{"bearer": []}],
          "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
          "responses": {
            "200": {"description": "totals (zero and level 1 for a learner without XP)",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserXP"}}}},
            "400": {"description": "malformed id", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "401": {"description": "no or invalid token", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "403": {"description": "another learner's XP", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
          }}}
      }
    }
    """#
}
