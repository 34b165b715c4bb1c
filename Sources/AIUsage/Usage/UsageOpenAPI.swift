import ServiceKit

/// The OpenAPI paths and schemas of usage, prices, rates, reports and budgets. Money is a
/// decimal string in answers (exact); in requests a JSON number.
enum UsageOpenAPI {
    private static let problems = AgentOpenAPI.commonProblems
    private static let bad = #""400": {"description": "bad input (fields named)", \#(PlatformOpenAPI.problemContent)}"#
    private static func ref(_ schema: String) -> String {
        ##"{"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}"##
    }
    private static func items(_ schema: String) -> String {
        ##"{"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/\##(schema)"}}}}}}"##
    }
    private static let filters = """
        {"name": "agent", "in": "query", "schema": {"type": "string"}}, {"name": "model", "in": "query", "schema": {"type": "string"}},
        {"name": "user_id", "in": "query", "schema": {"type": "string", "format": "uuid"}}, {"name": "thread_id", "in": "query", "schema": {"type": "string"}},
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "occurred_at at or after"},
        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "occurred_at before"}
        """

    static let paths = #"""
        {
          "/v1/usage": {
            "post": {"summary": "Record usage: one record, {\"records\": [...]} or an array of up to 1,000 (service token or admin). Idempotent by request_id; the same id with other content is a 409 and the whole batch is refused",
                     "security": [{"bearer": []}],
                     "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/UsageRecordInput"}, {"$ref": "#/components/schemas/UsageBatchInput"}]}}}},
                     "responses": {"201": {"description": "something new was recorded (RecordResult, or BatchResult for a batch)", "content": \#(ref("BatchResult"))},
                                   "200": {"description": "everything was recorded before: the same answers again", "content": \#(ref("RecordResult"))},
                                   \#(bad), "409": {"description": "a request_id recorded before with different content (named)", \#(PlatformOpenAPI.problemContent)}, \#(problems)}},
            "get": {"summary": "Records newest first, with their current cost (admin)", "security": [{"bearer": []}],
                    "parameters": [\#(filters), \#(AgentOpenAPI.pageParameters)],
                    "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "UsageRecord"))}}}, \#(bad), \#(problems)}}
          },
          "/v1/usage/unpriced": {"get": {"summary": "Models with records no price covered and no recompute priced yet (admin)", "security": [{"bearer": []}],
                                         "responses": {"200": {"description": "models, most records first", "content": \#(items("UnpricedModel"))}, \#(problems)}}},
          "/v1/usage/costs": {"get": {"summary": "Spend per user, thread, agent or model over a time range, biggest first (admin)", "security": [{"bearer": []}],
                                      "parameters": [{"name": "by", "in": "query", "schema": {"type": "string", "enum": ["user", "thread", "agent", "model"], "default": "user"}},
                                                     {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}, \#(filters)],
                                      "responses": {"200": {"description": "rows", "content": \#(items("CostRow"))}, \#(bad), \#(problems)}}},
          "/v1/usage/report": {"get": {"summary": "Roll-ups per day or month (platform time zone), in total, by agent, by model or both (admin)", "security": [{"bearer": []}],
                                       "parameters": [{"name": "period", "in": "query", "schema": {"type": "string", "enum": ["day", "month"], "default": "day"}},
                                                      {"name": "group", "in": "query", "schema": {"type": "string", "enum": ["total", "agent", "model", "agent_model"], "default": "total"}},
                                                      {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "default: 29 days before to"},
                                                      {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "default: today"},
                                                      {"name": "agent", "in": "query", "schema": {"type": "string"}}, {"name": "model", "in": "query", "schema": {"type": "string"}}],
                                       "responses": {"200": {"description": "the report", "content": \#(ref("Report"))}, \#(bad), \#(problems)}}},
          "/v1/usage/recompute": {"post": {"summary": "Recost records with today's price and rate books: a dry run, or applied as correction entries (admin)", "security": [{"bearer": []}],
                                           "requestBody": {"content": \#(ref("RecomputeInput"))},
                                           "responses": {"200": {"description": "the difference found or applied", "content": \#(ref("Recompute"))}, \#(bad), \#(problems)}}},
          "/v1/prices": {
            "get": {"summary": "The price book, per model newest version first (admin, service)", "security": [{"bearer": []}],
                    "parameters": [{"name": "model", "in": "query", "schema": {"type": "string"}}, {"name": "current", "in": "query", "schema": {"type": "boolean"}}],
                    "responses": {"200": {"description": "versions", "content": \#(items("Price"))}, \#(bad), \#(problems)}},
            "post": {"summary": "Add a price version (admin)", "security": [{"bearer": []}], "requestBody": {"required": true, "content": \#(ref("PriceInput"))},
                     "responses": {"201": {"description": "added", "content": \#(ref("Price"))}, \#(bad),
                                   "409": {"description": "the model has a version starting at that moment", \#(PlatformOpenAPI.problemContent)}, \#(problems)}}
          },
          "/v1/rates": {
            "get": {"summary": "The rate book: units of a currency per US dollar (admin, service)", "security": [{"bearer": []}],
                    "parameters": [{"name": "currency", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "versions", "content": \#(items("Rate"))}, \#(bad), \#(problems)}},
            "post": {"summary": "Add a rate version (admin)", "security": [{"bearer": []}], "requestBody": {"required": true, "content": \#(ref("RateInput"))},
                     "responses": {"201": {"description": "added", "content": \#(ref("Rate"))}, \#(bad),
                                   "409": {"description": "the currency has a rate starting at that moment", \#(PlatformOpenAPI.problemContent)}, \#(problems)}}
          },
          "/v1/budgets": {"get": {"summary": "Budgets (admin)", "security": [{"bearer": []}],
                                  "responses": {"200": {"description": "budgets, global first", "content": \#(items("Budget"))}, \#(problems)}}},
          "/v1/budgets/status": {"get": {"summary": "The seed's check_budget_limits: spend today and this month against every limit (admin, service)", "security": [{"bearer": []}],
                                         "responses": {"200": {"description": "the status", "content": \#(ref("BudgetStatus"))}, \#(problems)}}},
          "/v1/budgets/alerts": {"get": {"summary": "Alerts fired, newest first (admin)", "security": [{"bearer": []}], "parameters": [\#(AgentOpenAPI.pageParameters)],
                                         "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "Alert"))}}}, \#(bad), \#(problems)}}},
          "/v1/budgets/reserve": {"post": {"summary": "Pre-flight: hold an estimated cost against the budgets that apply, or be denied (service, admin). Idempotent by request_id",
                                           "security": [{"bearer": []}], "requestBody": {"required": true, "content": \#(ref("ReserveInput"))},
                                           "responses": {"200": {"description": "allowed or denied", "content": \#(ref("Reservation"))}, \#(bad),
                                                         "409": {"description": "the request_id was reserved with another agent or amount", \#(PlatformOpenAPI.problemContent)}, \#(problems)}}},
          "/v1/budgets/{scope}": {
            "put": {"summary": "Create or change the budget of global or of one agent (admin); absent fields keep their value, a null limit removes it",
                    "security": [{"bearer": []}], "parameters": [{"name": "scope", "in": "path", "required": true, "schema": {"type": "string"}, "description": "global or an agent name"}],
                    "requestBody": {"required": true, "content": \#(ref("BudgetInput"))},
                    "responses": {"201": {"description": "created", "content": \#(ref("Budget"))}, "200": {"description": "changed", "content": \#(ref("Budget"))}, \#(bad), \#(problems)}},
            "delete": {"summary": "Remove a budget (admin)", "security": [{"bearer": []}],
                       "parameters": [{"name": "scope", "in": "path", "required": true, "schema": {"type": "string"}}],
                       "responses": {"204": {"description": "removed"}, "404": {"description": "no such budget", \#(PlatformOpenAPI.problemContent)}, \#(bad), \#(problems)}}
          }
        }
        """#

    static let schemas = #"""
        {
          "UsageRecordInput": {"type": "object", "required": ["request_id", "agent", "model"], "properties": {
            "request_id": {"type": "string", "maxLength": 200}, "agent": {"type": "string", "pattern": "^[a-z0-9_-]{1,50}$"},
            "model": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]{1,100}$"}, "operation": {"type": "string", "default": "chat"},
            "prompt_tokens": {"type": "integer", "minimum": 0}, "cached_prompt_tokens": {"type": "integer", "minimum": 0, "description": "part of prompt_tokens"},
            "completion_tokens": {"type": "integer", "minimum": 0}, "audio_seconds": {"type": "number", "minimum": 0, "maximum": 86400},
            "user_id": {"type": "string", "format": "uuid"}, "thread_id": {"type": "string", "maxLength": 200},
            "occurred_at": {"type": "string", "format": "date-time", "description": "default: when received"}}},
          "UsageBatchInput": {"type": "object", "required": ["records"], "properties": {"records": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/UsageRecordInput"}}}},
          "RecordResult": {"type": "object", "properties": {"record_id": {"type": "string", "format": "uuid"}, "request_id": {"type": "string"},
            "created": {"type": "boolean"}, "day": {"type": "string", "format": "date"}, "priced": {"type": "boolean"},
            "cost_usd": {"type": "string", "description": "absent when unpriced"}, "cost_local": {"type": "string"}, "currency": {"type": "string"}, "rate": {"type": "string"}}},
          "BatchResult": {"type": "object", "properties": {"created": {"type": "integer"}, "duplicates": {"type": "integer"},
            "records": {"type": "array", "items": {"$ref": "#/components/schemas/RecordResult"}}}},
          "UsageRecord": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "request_id": {"type": "string"}, "agent": {"type": "string"},
            "model": {"type": "string"}, "operation": {"type": "string"}, "prompt_tokens": {"type": "integer"}, "cached_prompt_tokens": {"type": "integer"},
            "completion_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}, "audio_seconds": {"type": "string"}, "user_id": {"type": "string"},
            "thread_id": {"type": "string"}, "occurred_at": {"type": "string", "format": "date-time"}, "recorded_at": {"type": "string", "format": "date-time"},
            "day": {"type": "string"}, "priced": {"type": "boolean"}, "cost_usd": {"type": "string", "description": "as ingested"}, "cost_local": {"type": "string"},
            "currency": {"type": "string"}, "rate": {"type": "string"}, "current_cost_usd": {"type": "string", "description": "with corrections"},
            "current_cost_local": {"type": "string"}, "corrections": {"type": "integer"}}},
          "UnpricedModel": {"type": "object", "properties": {"model": {"type": "string"}, "records": {"type": "integer"}, "prompt_tokens": {"type": "integer"},
            "completion_tokens": {"type": "integer"}, "audio_seconds": {"type": "string"}, "first_occurred_at": {"type": "string", "format": "date-time"},
            "last_occurred_at": {"type": "string", "format": "date-time"}}},
          "CostRow": {"type": "object", "properties": {"key": {"type": "string"}, "requests": {"type": "integer"}, "total_tokens": {"type": "integer"},
            "audio_seconds": {"type": "string"}, "cost_usd": {"type": "string"}, "cost_local": {"type": "string"}, "unpriced_requests": {"type": "integer"}}},
          "ReportRow": {"type": "object", "properties": {"period_start": {"type": "string", "format": "date"}, "agent": {"type": "string"}, "model": {"type": "string"},
            "requests": {"type": "integer"}, "unpriced_requests": {"type": "integer"}, "prompt_tokens": {"type": "integer"}, "cached_prompt_tokens": {"type": "integer"},
            "completion_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}, "audio_seconds": {"type": "string"}, "audio_minutes": {"type": "string"},
            "cost_usd": {"type": "string"}, "cost_local": {"type": "string"}, "unique_users": {"type": "integer"}}},
          "Report": {"type": "object", "properties": {"period": {"type": "string"}, "group": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"},
            "time_zone": {"type": "string"}, "currency": {"type": "string"}, "rows": {"type": "array", "items": {"$ref": "#/components/schemas/ReportRow"}},
            "totals": {"type": "object", "description": "requests, unpriced_requests, total_tokens, audio_minutes, cost_usd, cost_local over the range"}}},
          "PriceInput": {"type": "object", "required": ["model"], "properties": {"model": {"type": "string"}, "effective_from": {"type": "string", "format": "date-time", "description": "default now"},
            "input_per_million": {"type": "number"}, "cached_input_per_million": {"type": "number", "description": "absent: the input price"},
            "output_per_million": {"type": "number"}, "audio_per_minute": {"type": "number"}}},
          "Price": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "model": {"type": "string"}, "effective_from": {"type": "string", "format": "date-time"},
            "input_per_million": {"type": "string"}, "cached_input_per_million": {"type": "string"}, "output_per_million": {"type": "string"},
            "audio_per_minute": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}},
          "RateInput": {"type": "object", "required": ["currency", "rate"], "properties": {"currency": {"type": "string"}, "rate": {"type": "number"},
            "effective_from": {"type": "string", "format": "date-time"}}},
          "Rate": {"type": "object", "properties": {"currency": {"type": "string"}, "rate": {"type": "string"}, "effective_from": {"type": "string", "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"}}},
          "RecomputeInput": {"type": "object", "properties": {"apply": {"type": "boolean", "default": false}, "reason": {"type": "string", "description": "required to apply"},
            "model": {"type": "string"}, "from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time"}}},
          "Recompute": {"type": "object", "properties": {"applied": {"type": "boolean"}, "recompute_id": {"type": "string", "format": "uuid"}, "records": {"type": "integer"},
            "newly_priced": {"type": "integer"}, "cost_usd_delta": {"type": "string"}, "cost_local_delta": {"type": "string"}, "currency": {"type": "string"},
            "models": {"type": "array", "items": {"type": "object"}}}},
          "BudgetInput": {"type": "object", "properties": {"daily_limit": {"type": ["number", "null"]}, "monthly_limit": {"type": ["number", "null"]},
            "alert_threshold_percent": {"type": "integer", "minimum": 1, "maximum": 100}, "alert_enabled": {"type": "boolean"},
            "alert_contacts": {"type": "array", "items": {"type": "string"}, "maxItems": 20}}},
          "Budget": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "scope": {"type": "string"}, "agent": {"type": "string"},
            "daily_limit": {"type": "string"}, "monthly_limit": {"type": "string"}, "alert_threshold_percent": {"type": "integer"}, "alert_enabled": {"type": "boolean"},
            "alert_contacts": {"type": "array", "items": {"type": "string"}}, "currency": {"type": "string"}, "updated_at": {"type": "string", "format": "date-time"}}},
          "BudgetFigure": {"type": "object", "properties": {"budget_id": {"type": "string", "format": "uuid"}, "agent": {"type": "string"}, "period": {"type": "string"},
            "period_start": {"type": "string"}, "limit": {"type": "string"}, "spent": {"type": "string"}, "held": {"type": "string"}, "remaining": {"type": "string"},
            "percent": {"type": "string"}, "threshold_reached": {"type": "boolean"}, "exceeded": {"type": "boolean"}}},
          "BudgetStatus": {"type": "object", "properties": {"limit_exceeded": {"type": "boolean"}, "current_daily": {"type": "string"}, "current_monthly": {"type": "string"},
            "daily_limit": {"type": "string"}, "monthly_limit": {"type": "string"}, "alert_message": {"type": "string"}, "currency": {"type": "string"},
            "day": {"type": "string"}, "budgets": {"type": "array", "items": {"$ref": "#/components/schemas/BudgetFigure"}}}},
          "ReserveInput": {"type": "object", "required": ["request_id", "agent", "estimated_cost"], "properties": {"request_id": {"type": "string"},
            "agent": {"type": "string"}, "estimated_cost": {"type": "number", "description": "local currency"}, "hold_seconds": {"type": "integer", "minimum": 1, "maximum": 86400}}},
          "Reservation": {"type": "object", "properties": {"request_id": {"type": "string"}, "allowed": {"type": "boolean"}, "amount": {"type": "string"},
            "currency": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "replayed": {"type": "boolean"},
            "denied_by": {"type": "array", "items": {"$ref": "#/components/schemas/BudgetFigure"}}}},
          "Alert": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "budget_id": {"type": "string", "format": "uuid"}, "agent": {"type": "string"},
            "period": {"type": "string"}, "period_start": {"type": "string"}, "level": {"type": "string", "enum": ["threshold", "exceeded"]}, "spend": {"type": "string"},
            "limit": {"type": "string"}, "threshold_percent": {"type": "integer"}, "currency": {"type": "string"}, "fired_at": {"type": "string", "format": "date-time"},
            "webhook_status": {"type": "string", "enum": ["none", "pending", "sent", "failed"]}, "webhook_attempts": {"type": "integer"}, "webhook_error": {"type": "string"}}}
        }
        """#
}
