import ServiceKit

enum LearnerSettingsOpenAPI {
    static let paths = #"""
        {
          "/v1/users/{user_id}/settings": {
            "get": {"summary": "A learner's timezone and leaderboard visibility (students: their own only)",
              "security": [{"bearer": []}],
              "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
              "responses": {"200": {"description": "settings", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LearnerSettings"}}}},
                "400": {"description": "malformed id", \#(PlatformOpenAPI.problemContent)},
                "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
                "403": {"description": "another learner's settings", \#(PlatformOpenAPI.problemContent)}}},
            "put": {"summary": "Change the timezone (null: the platform's) or leaderboard visibility (the learner or an admin)",
              "security": [{"bearer": []}],
              "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LearnerSettingsPatch"}}}},
              "responses": {"200": {"description": "settings", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LearnerSettings"}}}},
                "400": {"description": "an unknown timezone, a bad visibility or a malformed body, naming the field", \#(PlatformOpenAPI.problemContent)},
                "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
                "403": {"description": "another learner's settings", \#(PlatformOpenAPI.problemContent)}}}},
          "/v1/users/{user_id}/stats": {"get": {"summary": "A learner's points, level, counters and last activity (students: their own only)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {"200": {"description": "stats", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LearnerStats"}}}},
              "400": {"description": "malformed id", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "another learner's stats", \#(PlatformOpenAPI.problemContent)}}}}
        }
        """#

    static let schemas = #"""
        {
          "LearnerSettings": {"type": "object", "required": ["user_id", "effective_timezone", "leaderboard_visibility"], "properties": {
            "user_id": {"type": "string", "format": "uuid"}, "timezone": {"type": "string", "description": "IANA; absent: the platform's"},
            "effective_timezone": {"type": "string"}, "leaderboard_visibility": {"type": "string", "enum": ["visible", "anonymous", "hidden"]}}},
          "LearnerSettingsPatch": {"type": "object", "properties": {
            "timezone": {"type": ["string", "null"], "description": "an IANA zone such as Asia/Almaty; null returns to the platform's"},
            "leaderboard_visibility": {"type": "string", "enum": ["visible", "anonymous", "hidden"]}}},
          "LearnerStats": {"type": "object", "properties": {"user_id": {"type": "string", "format": "uuid"}, "total_xp": {"type": "integer"},
            "reputation": {"type": "integer"}, "level": {"type": "integer"}, "last_activity_at": {"type": "string", "format": "date-time"},
            "badges_earned": {"type": "integer"}, "current_streak": {"type": "integer"}, "longest_streak": {"type": "integer"},
            "counts": {"type": "object", "properties": {"lessons_completed": {"type": "integer"}, "courses_completed": {"type": "integer"},
              "quizzes_passed": {"type": "integer"}, "perfect_quizzes": {"type": "integer"}, "assignments_graded": {"type": "integer"},
              "goals_completed": {"type": "integer"}, "goals_completed_before_deadline": {"type": "integer"},
              "high_priority_goals_completed": {"type": "integer"}}}}}
        }
        """#
}
