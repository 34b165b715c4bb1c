import ServiceKit

/// The leads service's OpenAPI document (served at `/openapi.json`).
enum LeadsOpenAPI {
    static let document = PlatformOpenAPI.document(title: "Lyceum leads service", paths: [paths, SalesOpenAPI.paths],
                                                   schemas: [schemas, SalesOpenAPI.schemas])

    static let leadID = #"{"name": "lead_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#

    static let paths = #"""
        {
          "/v1/leads": {
            "post": {
              "summary": "Capture a lead (public, anonymous; rate-limited per client). Find-or-create by E.164 phone (preferred) or normalised email",
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeadInput"}}}},
              "responses": {
                "201": {"description": "a new lead", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaptureResult"}}}},
                "200": {"description": "the phone or email already belongs to a lead (created=false); its last touch is updated",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaptureResult"}}}},
                "400": {"description": "malformed body", \#(PlatformOpenAPI.problemContent)},
                "422": {"description": "invalid phone or email, no contact, a string over its limit (fields named)", \#(PlatformOpenAPI.problemContent)},
                "429": {"description": "this client's capture budget is spent; see Retry-After", \#(PlatformOpenAPI.problemContent)}
              }},
            "get": {
              "summary": "Live leads, newest first (admin, sales_manager)",
              "security": [{"bearer": []}],
              "parameters": [
                {"name": "source", "in": "query", "schema": {"type": "string"}},
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["new", "contacted", "qualified", "converted", "lost"]}},
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
              ],
              "responses": {
                "200": {"description": "a page of leads (items, next_cursor)"},
                "400": {"description": "a bad filter or cursor (named)", \#(PlatformOpenAPI.problemContent)},
                "401": {"description": "no token", \#(PlatformOpenAPI.problemContent)},
                "403": {"description": "not admin or sales_manager", \#(PlatformOpenAPI.problemContent)}
              }}
          },
          "/v1/leads/{lead_id}": {"get": {
            "summary": "A lead with its journey in order (admin, sales_manager); a merged lead has merged_into set",
            "security": [{"bearer": []}],
            "parameters": [\#(leadID)],
            "responses": {
              "200": {"description": "the lead", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Lead"}}}},
              "404": {"description": "no such lead", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/leads/{lead_id}/journey": {"post": {
            "summary": "Append a journey stage (public like the landing pages, rate-limited per client; or admin, sales_manager, service)",
            "parameters": [\#(leadID)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JourneyInput"}}}},
            "responses": {
              "201": {"description": "the entry (lead_id is the survivor's when the lead was merged)"},
              "404": {"description": "no such lead", \#(PlatformOpenAPI.problemContent)},
              "422": {"description": "unknown stage, bad source, metadata or occurred_at (named)", \#(PlatformOpenAPI.problemContent)},
              "429": {"description": "rate-limited; see Retry-After", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/leads/merge": {"post": {
            "summary": "Merge two leads that are one person (admin, sales_manager): the older survives unless survivor_id names one",
            "security": [{"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["lead_ids"],
              "properties": {"lead_ids": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string", "format": "uuid"}},
                             "survivor_id": {"type": "string", "format": "uuid"}}}}}},
            "responses": {
              "200": {"description": "merge_id, merged_id, journey_moved and the survivor with its journey"},
              "400": {"description": "not two distinct leads, or a survivor_id not among them", \#(PlatformOpenAPI.problemContent)},
              "404": {"description": "no such lead", \#(PlatformOpenAPI.problemContent)},
              "409": {"description": "a lead is already merged", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/leads/{lead_id}/notifications": {
            "post": {
              "summary": "Schedule an email, sms or whatsapp notification from a built-in template (admin, sales_manager, service)",
              "security": [{"bearer": []}],
              "parameters": [\#(leadID)],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotificationInput"}}}},
              "responses": {
                "201": {"description": "scheduled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
                "200": {"description": "the idempotency_key was used before: the notification it made",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
                "400": {"description": "malformed body", \#(PlatformOpenAPI.problemContent)},
                "404": {"description": "no such lead", \#(PlatformOpenAPI.problemContent)},
                "409": {"description": "the idempotency_key belongs to another lead's notification", \#(PlatformOpenAPI.problemContent)},
                "422": {"description": "unknown channel or template, a missing variable, or the lead lacks the channel's contact (field named)", \#(PlatformOpenAPI.problemContent)}
              }},
            "get": {
              "summary": "A lead's notifications in schedule order (admin, sales_manager, service)",
              "security": [{"bearer": []}],
              "parameters": [\#(leadID)],
              "responses": {
                "200": {"description": "items: the notifications", "content": {"application/json": {"schema": {"type": "object",
                  "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}}}}}}},
                "404": {"description": "no such lead", \#(PlatformOpenAPI.problemContent)}
              }}
          },
          "/v1/notifications/{notification_id}/cancel": {"post": {
            "summary": "Cancel a pending notification (admin, sales_manager, service)",
            "security": [{"bearer": []}],
            "parameters": [{"name": "notification_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
              "200": {"description": "cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
              "404": {"description": "no such notification", \#(PlatformOpenAPI.problemContent)},
              "409": {"description": "not pending (sending, sent, failed or cancelled already)", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/t/{token}": {"get": {
            "summary": "A tracked link (public): counts the click and redirects to the template's target",
            "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
              "302": {"description": "to the template's target (Location)"},
              "404": {"description": "no such link", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/funnel": {"get": {
            "summary": "Funnel (admin, sales_manager): leads per stage by the day they first reached it, conversion and median seconds to the next stage",
            "security": [{"bearer": []}],
            "parameters": [
              {"name": "stages", "in": "query", "required": true, "schema": {"type": "string"}, "description": "1-10 stage names, comma-separated, in funnel order"},
              {"name": "source", "in": "query", "schema": {"type": "string"}, "description": "the leads' source"},
              {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "first day (platform timezone) on which leads first reached a stage"},
              {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "last day, included"}
            ],
            "responses": {
              "200": {"description": "stages: [{stage, leads, converted_to_next, conversion_to_next, median_seconds_to_next (two significant digits)}]"},
              "400": {"description": "a bad parameter (named)", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/leads/{lead_id}/crm/sync": {"post": {
            "summary": "Push the lead (or its merge survivor) to the CRM again soon, with fresh attempts (admin, sales_manager)",
            "security": [{"bearer": []}],
            "parameters": [\#(leadID)],
            "responses": {
              "202": {"description": "queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CRMSync"}}}},
              "400": {"description": "lead_id is not a UUID", \#(PlatformOpenAPI.problemContent)},
              "404": {"description": "no such lead", \#(PlatformOpenAPI.problemContent)}
            }}},
          "/v1/crm/sync": {"get": {
            "summary": "The CRM sync backlog (pending, syncing, failed counts) and a page of sync states, most recently changed first (admin, sales_manager)",
            "security": [{"bearer": []}],
            "parameters": [
              {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["pending", "syncing", "synced", "failed", "merged"]}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
              {"name": "cursor", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {
              "200": {"description": "{counts, items: [CRMSync], next_cursor}"},
              "400": {"description": "a bad parameter (named)", \#(PlatformOpenAPI.problemContent)}
            }}}
        }
        """#

    static let schemas = #"""
        {
          "LeadInput": {"type": "object", "properties": {
            "name": {"type": "string", "maxLength": 200}, "email": {"type": "string", "maxLength": 254},
            "phone": {"type": "string", "maxLength": 32, "description": "any spelling; local ones are read in phone_region"},
            "phone_region": {"type": "string", "description": "ISO 3166-1 alpha-2; default LEADS_DEFAULT_PHONE_REGION (KZ)"},
            "source": {"type": "string", "maxLength": 100, "default": "landing"},
            "metadata": {"type": "object", "properties": {
              "utm_source": {"type": "string"}, "utm_medium": {"type": "string"}, "utm_campaign": {"type": "string"},
              "utm_term": {"type": "string"}, "utm_content": {"type": "string"}, "device": {"type": "string"},
              "referrer": {"type": "string"}, "landing_page": {"type": "string"}}}}},
          "CaptureResult": {"type": "object", "required": ["created", "lead"], "properties": {
            "created": {"type": "boolean"},
            "lead": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "created_at": {"type": "string", "format": "date-time"}}}}},
          "JourneyInput": {"type": "object", "required": ["stage"], "properties": {
            "stage": {"type": "string"}, "source": {"type": "string", "maxLength": 100}, "metadata": {"type": "object"},
            "occurred_at": {"type": "string", "format": "date-time"}}},
          "NotificationInput": {"type": "object", "required": ["channel", "template"], "properties": {
            "channel": {"type": "string", "enum": ["email", "sms", "whatsapp"]},
            "template": {"type": "string", "enum": ["expresscourse_invite", "payment_reminder", "welcome", "welcome_ru"]},
            "variables": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 500}},
            "scheduled_at": {"type": "string", "format": "date-time", "description": "default now"},
            "idempotency_key": {"type": "string", "maxLength": 200}, "max_attempts": {"type": "integer", "minimum": 1, "maximum": 20}}},
          "Notification": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"}, "lead_id": {"type": "string", "format": "uuid"}, "channel": {"type": "string"},
            "template": {"type": "string"}, "variables": {"type": "object"}, "scheduled_at": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["pending", "sending", "sent", "failed", "cancelled"]},
            "attempts": {"type": "integer"}, "max_attempts": {"type": "integer"}, "next_attempt_at": {"type": "string", "format": "date-time"},
            "last_error": {"type": "string"}, "idempotency_key": {"type": "string"}, "sent_at": {"type": "string", "format": "date-time"},
            "provider_message_id": {"type": "string"}, "tracked_link": {"type": "string"},
            "email_clicked_at": {"type": "string", "format": "date-time"}, "sms_clicked_at": {"type": "string", "format": "date-time"},
            "click_count": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
            "cancelled_at": {"type": "string", "format": "date-time"}}},
          "Lead": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "email": {"type": "string"},
            "phone": {"type": "string"}, "phone_e164": {"type": "string"}, "source": {"type": "string"}, "status": {"type": "string"},
            "metadata": {"type": "object"}, "first_touch": {"type": "object"}, "last_touch": {"type": "object"},
            "capture_count": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
            "merged_into": {"type": "string", "format": "uuid"}, "journey": {"type": "array", "items": {"type": "object"}},
            "crm": {"$ref": "#/components/schemas/CRMSync"}}},
          "CRMSync": {"type": "object", "properties": {
            "lead_id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["pending", "syncing", "synced", "failed", "merged"]},
            "external_lead_id": {"type": "string"}, "external_contact_id": {"type": "string"}, "attempts": {"type": "integer"},
            "next_attempt_at": {"type": "string", "format": "date-time"}, "last_error": {"type": "string"},
            "last_synced_at": {"type": "string", "format": "date-time"}, "changed_at": {"type": "string", "format": "date-time"}}}
        }
        """#
}
