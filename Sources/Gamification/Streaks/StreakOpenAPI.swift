import ServiceKit

enum StreakOpenAPI {
    static let paths = #"""
        {
          "/v1/users/{user_id}/streak": {
            "get": {"summary": "A learner's streak, longest streak, freezes and whether today is already active, in their own timezone (students: their own only)",
              "security": [{"bearer": []}],
              "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
              "responses": {"200": {"description": "the streak (zero, with the starting freezes, for a learner never active)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Streak"}}}},
                "400": {"description": "malformed id", \#(PlatformOpenAPI.problemContent)},
                "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
                "403": {"description": "another learner's streak, or a role that may not read streaks", \#(PlatformOpenAPI.problemContent)}}}},
          "/v1/users/{user_id}/streak/freezes": {
            "post": {"summary": "Grant a learner streak freezes (admins only; never past the cap)",
              "security": [{"bearer": []}],
              "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FreezeGrant"}}}},
              "responses": {"200": {"description": "how many fitted under the cap, and the streak after the grant", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FreezeGrantResult"}}}},
                "400": {"description": "a count outside 1..10, an empty reason, a wrong type or a malformed body or id, naming the field", \#(PlatformOpenAPI.problemContent)},
                "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
                "403": {"description": "not an admin", \#(PlatformOpenAPI.problemContent)}}}}
        }
        """#

    static let schemas = #"""
        {
          "Streak": {"type": "object", "required": ["user_id", "current_streak", "longest_streak", "freezes_available", "freezes_used", "freeze_cap", "timezone", "today", "today_active"], "properties": {
            "user_id": {"type": "string", "format": "uuid"},
            "current_streak": {"type": "integer", "minimum": 0, "description": "active days in the live streak (frozen days keep it alive but do not count)"},
            "longest_streak": {"type": "integer", "minimum": 0},
            "last_activity_day": {"type": "string", "format": "date", "description": "the latest local day with activity; absent before the first"},
            "freezes_available": {"type": "integer", "minimum": 0}, "freezes_used": {"type": "integer", "minimum": 0},
            "freeze_cap": {"type": "integer", "minimum": 0},
            "timezone": {"type": "string", "description": "the IANA zone the days are counted in: the learner's or the platform's"},
            "today": {"type": "string", "format": "date"}, "today_active": {"type": "boolean"}}},
          "FreezeGrant": {"type": "object", "required": ["count", "reason"], "properties": {
            "count": {"type": "integer", "minimum": 1, "maximum": 10}, "reason": {"type": "string", "minLength": 1, "maxLength": 500}}},
          "FreezeGrantResult": {"type": "object", "required": ["granted", "streak"], "properties": {
            "granted": {"type": "integer", "minimum": 0, "description": "freezes added (fewer than asked when the cap is reached)"},
            "streak": {"$ref": "#/components/schemas/Streak"}}}
        }
        """#
}
