import ServiceKit

enum XPOpenAPI {
    static let paths = #"""
        {
          "/v1/users/{user_id}/xp": {"get": {
            "summary": "A learner's XP total and level (students: their own only)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
              "200": {"description": "totals (zero and level 1 for a learner without XP)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserXP"}}}},
              "400": {"description": "malformed id", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "another learner's XP", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/users/{user_id}/xp/awards": {"post": {
            "summary": "An admin's manual award or correction (negative) of XP or reputation, with a reason; `id` makes retries safe",
            "security": [{"bearer": []}],
            "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ManualAwardInput"}}}},
            "responses": {
              "201": {"description": "recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ManualAward"}}}},
              "200": {"description": "the same id and details again: the first entry", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ManualAward"}}}},
              "400": {"description": "bad amount, currency or reason (named)", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "not an admin", \#(PlatformOpenAPI.problemContent)},
              "409": {"description": "the id was used with other details, or the total would go below zero", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/rules": {"get": {"summary": "What each learning event earns",
            "responses": {"200": {"description": "the rules", "content": {"application/json": {"schema": {"type": "object",
              "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/XPRule"}}}}}}}}}},
          "/v1/rules/{event_type}": {"put": {"summary": "Set a rule (admin); it applies to events received from now on",
            "security": [{"bearer": []}],
            "parameters": [{"name": "event_type", "in": "path", "required": true, "schema": {"type": "string",
              "enum": ["learning.lesson_completed", "learning.course_completed", "learning.quiz_passed", "learning.assignment_graded"]}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["amount"], "properties": {
              "amount": {"type": "integer", "minimum": 0, "maximum": 100000}, "reason": {"type": "string", "maxLength": 200}, "active": {"type": "boolean"}}}}}},
            "responses": {"200": {"description": "the rule", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/XPRule"}}}},
              "400": {"description": "an event gamification does not receive, or a bad amount (named)", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "not an admin", \#(PlatformOpenAPI.problemContent)}}}},
          "/v1/rules/recompute": {"post": {"summary": "Compare earlier awards with the current rules: a dry run by default; `apply` writes compensating entries under the policy",
            "security": [{"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["policy"], "properties": {
              "policy": {"type": "string", "enum": ["never_take_away", "claw_back"]}, "apply": {"type": "boolean", "default": false}}}}}},
            "responses": {"200": {"description": "the diff (and the recompute's id when applied)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecomputeReport"}}}},
              "400": {"description": "a missing or unknown policy (named)", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "not an admin", \#(PlatformOpenAPI.problemContent)}}}},
          "/v1/levels": {
            "get": {"summary": "The level curve, its presets and the first levels' thresholds",
              "responses": {"200": {"description": "the curve", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Levels"}}}}}},
            "put": {"summary": "Switch the curve (admin): every learner is re-levelled at once; first-time levels send level_reached",
              "security": [{"bearer": []}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["linear", "doubling"]}, "base": {"type": "integer", "minimum": 1, "maximum": 1000000000,
                "description": "default: the preset's (linear 100, doubling 1000)"}}}}}},
              "responses": {"200": {"description": "the new curve and how many learners changed level", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Levels"}}}},
                "400": {"description": "a bad kind or base (named)", \#(PlatformOpenAPI.problemContent)},
                "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
                "403": {"description": "not an admin", \#(PlatformOpenAPI.problemContent)}}}}
        }
        """#

    static let schemas = #"""
        {
          "UserXP": {"type": "object", "required": ["user_id", "total_xp", "level"],
            "properties": {"user_id": {"type": "string", "format": "uuid"}, "total_xp": {"type": "integer"}, "level": {"type": "integer", "minimum": 1},
              "reputation": {"type": "integer"}, "xp_into_level": {"type": "integer"}, "xp_to_next_level": {"type": "integer"}}},
          "ManualAwardInput": {"type": "object", "required": ["amount", "reason"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "amount": {"type": "integer", "minimum": -100000, "maximum": 100000, "not": {"const": 0}},
            "currency": {"type": "string", "enum": ["xp", "reputation"], "default": "xp"}, "reason": {"type": "string", "minLength": 1, "maxLength": 500}}},
          "ManualAward": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
            "amount": {"type": "integer"}, "currency": {"type": "string"}, "reason": {"type": "string"}, "created_by": {"type": "string", "format": "uuid"},
            "created_at": {"type": "string", "format": "date-time"}, "total_xp": {"type": "integer"}, "reputation": {"type": "integer"}, "level": {"type": "integer"}}},
          "XPRule": {"type": "object", "properties": {"event_type": {"type": "string"}, "amount": {"type": "integer"}, "reason": {"type": "string"},
            "active": {"type": "boolean"}, "updated_at": {"type": "string", "format": "date-time"}}},
          "RecomputeReport": {"type": "object", "properties": {"policy": {"type": "string"}, "applied": {"type": "boolean"},
            "recompute_id": {"type": "string", "format": "uuid"}, "entries": {"type": "integer"}, "learners": {"type": "integer"}, "xp_delta": {"type": "integer"},
            "by_rule": {"type": "array", "items": {"type": "object", "properties": {"event_type": {"type": "string"}, "entries": {"type": "integer"}, "xp_delta": {"type": "integer"}}}},
            "changes": {"type": "array", "description": "the first 100", "items": {"type": "object", "properties": {"event_id": {"type": "string", "format": "uuid"},
              "event_type": {"type": "string"}, "user_id": {"type": "string", "format": "uuid"}, "awarded": {"type": "integer"}, "expected": {"type": "integer"}, "delta": {"type": "integer"}}}}}},
          "Levels": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["linear", "doubling"]}, "base": {"type": "integer"},
            "presets": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string"}, "base": {"type": "integer"}}}},
            "thresholds": {"type": "array", "items": {"type": "object", "properties": {"level": {"type": "integer"}, "xp": {"type": "integer"}}}},
            "learners_relevelled": {"type": "integer"}}}
        }
        """#
}
