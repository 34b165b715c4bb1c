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
            }}}
        }
        """#

    static let schemas = #"""
        {
          "UserXP": {"type": "object", "required": ["user_id", "total_xp", "level"],
            "properties": {"user_id": {"type": "string", "format": "uuid"}, "total_xp": {"type": "integer"}, "level": {"type": "integer", "minimum": 1}}}
        }
        """#
}
