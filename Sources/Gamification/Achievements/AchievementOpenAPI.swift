import ServiceKit

enum AchievementOpenAPI {
    static let achievement = #"{"name": "achievement_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    static let user = #"{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    static let errors = #"""
        "400": {"description": "bad input, naming the field", \#(PlatformOpenAPI.problemContent)},
        "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
        "403": {"description": "not an admin (or another learner's)", \#(PlatformOpenAPI.problemContent)},
        "404": {"description": "no such achievement (or unlock)", \#(PlatformOpenAPI.problemContent)}
        """#
    static func json(_ schema: String) -> String { ##"{"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}"## }

    static let paths = #"""
        {
          "/v1/achievements": {
            "get": {"summary": "Active achievements with their holders and live share (staff: all, secret and inactive too)",
              "responses": {"200": {"description": "the achievements", "content": \#(json("AchievementList"))}}},
            "post": {"summary": "Define an achievement (admin); it starts inactive", "security": [{"bearer": []}],
              "requestBody": {"required": true, "content": \#(json("AchievementInput"))},
              "responses": {"201": {"description": "created", "content": \#(json("Achievement"))},
                "409": {"description": "the code exists", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
          "/v1/achievements/{achievement_id}": {
            "get": {"summary": "One achievement", "parameters": [\#(achievement)],
              "responses": {"200": {"description": "the achievement", "content": \#(json("Achievement"))}, \#(errors)}},
            "patch": {"summary": "Change a definition (admin); its condition only until first activated", "security": [{"bearer": []}],
              "parameters": [\#(achievement)], "requestBody": {"required": true, "content": \#(json("AchievementInput"))},
              "responses": {"200": {"description": "the achievement", "content": \#(json("Achievement"))},
                "409": {"description": "the condition of an activated achievement", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
          "/v1/achievements/{achievement_id}/activate": {"post": {
            "summary": "Count the learners who qualify now (dry_run, the default) or activate: new activity unlocks at once, a background job awards those who already qualify",
            "security": [{"bearer": []}], "parameters": [\#(achievement)],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"dry_run": {"type": "boolean", "default": true}}}}}},
            "responses": {"200": {"description": "the achievement and the qualifying learners", "content": {"application/json": {"schema": {"type": "object", "properties": {
              "achievement": {"$ref": "#/components/schemas/Achievement"}, "dry_run": {"type": "boolean"}, "qualifying_learners": {"type": "integer"}}}}}}, \#(errors)}}},
          "/v1/achievements/{achievement_id}/deactivate": {"post": {"summary": "Stop new unlocks (admin); holders keep theirs",
            "security": [{"bearer": []}], "parameters": [\#(achievement)],
            "responses": {"200": {"description": "the achievement", "content": \#(json("Achievement"))}, \#(errors)}}},
          "/v1/users/{user_id}/achievements": {"get": {"summary": "A learner's progress on every active achievement and the ones they hold (secret ones once unlocked)",
            "security": [{"bearer": []}], "parameters": [\#(user)],
            "responses": {"200": {"description": "standings", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array",
              "items": {"type": "object", "properties": {"achievement": {"$ref": "#/components/schemas/Achievement"}, "current": {"type": "integer"},
                "required": {"type": "integer"}, "unlocked_at": {"type": "string", "format": "date-time"}, "revoked_at": {"type": "string", "format": "date-time"},
                "revoke_reason": {"type": "string"}}}}}}}}}, \#(errors)}}},
          "/v1/users/{user_id}/achievements/{achievement_id}/revoke": {"post": {"summary": "Revoke a learner's achievement with a reason (admin)",
            "security": [{"bearer": []}], "parameters": [\#(user), \#(achievement)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"],
              "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500}}}}}},
            "responses": {"204": {"description": "revoked (the first reason stays)"}, \#(errors)}}}
        }
        """#

    static let schemas = #"""
        {
          "AchievementInput": {"type": "object", "properties": {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,99}$", "description": "required to create; fixed afterwards"},
            "title": {"type": "string", "maxLength": 200}, "description": {"type": "string", "maxLength": 2000}, "icon": {"type": "string", "maxLength": 500},
            "category": {"type": "string", "enum": ["completion", "achievement", "streak", "milestone", "special", "goals"]},
            "rarity": {"type": "string", "enum": ["common", "rare", "epic", "legendary"]},
            "condition": {"type": "object", "required": ["type", "value"], "properties": {
              "type": {"type": "string", "enum": ["lessons_completed", "courses_completed", "quizzes_passed", "perfect_quizzes", "assignments_graded",
                "goals_completed", "goals_completed_before_deadline", "high_priority_goals_completed", "total_xp", "streak_days"]},
              "value": {"type": "integer", "minimum": 1}}},
            "xp_reward": {"type": "integer", "minimum": 0, "maximum": 100000}, "secret": {"type": "boolean"}}},
          "Achievement": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "code": {"type": "string"},
            "title": {"type": "string"}, "description": {"type": "string"}, "icon": {"type": "string"}, "category": {"type": "string"},
            "rarity": {"type": "string"}, "condition": {"type": "object", "properties": {"type": {"type": "string"}, "value": {"type": "integer"}}},
            "xp_reward": {"type": "integer"}, "secret": {"type": "boolean"}, "active": {"type": "boolean"}, "holders": {"type": "integer"},
            "holders_share": {"type": "number", "description": "holders / learners with any activity"}, "backfill": {"type": "string", "enum": ["none", "pending", "done"]},
            "created_at": {"type": "string", "format": "date-time"}, "activated_at": {"type": "string", "format": "date-time"}}},
          "AchievementList": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Achievement"}}}}
        }
        """#
}
