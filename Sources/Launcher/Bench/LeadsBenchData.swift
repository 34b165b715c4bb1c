import Foundation

/// The leads benchmark's data set, generated in SQL: `leads` leads captured over the last year
/// from five sources (names in Kazakh/Russian and English spellings, Kazakh mobile numbers on the
/// 700 prefix, which the benchmark's own captures never use) and about five journey entries each
/// (one to nine: the seed's stages in funnel order, then repeat visits).
enum LeadsBenchData {
    static let sources = ["twland", "proftest", "instagram", "google", "referral"]
    /// The platform timezone the service runs with (and the funnel's days are in).
    static let timeZone = "Asia/Almaty"

    static func seed(leads: Int) -> [String] {
        let sources = "ARRAY[" + Self.sources.map { "'\($0)'" }.joined(separator: ",") + "]"
        return [
            // The CRM-sync triggers would queue every seeded row one by one; the seed writes the
            // steady state (every lead synced) in one statement instead.
            "ALTER TABLE leads.leads DISABLE TRIGGER crm_lead_inserted",
            "ALTER TABLE leads.lead_journey DISABLE TRIGGER crm_journey_inserted",
            "ALTER TABLE leads.lead_journey DISABLE TRIGGER funnel_journey_inserted",
            """
            INSERT INTO leads.leads (id, name, email, phone, phone_e164, source, first_touch, last_touch, created_at, last_captured_at)
            SELECT md5('lead' || i)::uuid, (ARRAY['Айгерим','Dana','Нурлан','Arman','Мария'])[1 + i % 5] || ' ' || i,
                   'lead' || i || '@example.com', '8700' || lpad(i::text, 7, '0'), '+7700' || lpad(i::text, 7, '0'),
                   (\(sources))[1 + i % 5],
                   jsonb_build_object('source', (\(sources))[1 + i % 5], 'utm_campaign', 'autumn'),
                   jsonb_build_object('source', (\(sources))[1 + i % 5], 'utm_campaign', 'autumn'),
                   \(createdAt("i")), \(createdAt("i"))
            FROM generate_series(1, \(leads)) i
            """,
            // Entry k of lead i: 0 proftest, 1 clicked, 2 submitted, 3 a payment (kaspi, card or
            // manager by lead), later ones repeat visits to the express course.
            """
            INSERT INTO leads.lead_journey (lead_id, stage, source, lead_source, occurred_at, recorded_at)
            SELECT md5('lead' || i)::uuid,
                   CASE k WHEN 0 THEN 'proftest_submitted' WHEN 1 THEN 'expresscourse_clicked' WHEN 2 THEN 'expresscourse_submitted'
                          WHEN 3 THEN (ARRAY['payment_kaspi','payment_card','payment_manager'])[1 + i % 3]
                          ELSE (ARRAY['expresscourse_clicked','expresscourse_submitted'])[1 + k % 2] END,
                   'landing', (\(sources))[1 + i % 5],
                   \(createdAt("i")) + k * (1 + i % 47) * interval '1 hour', now()
            FROM generate_series(1, \(leads)) i, generate_series(0, 8) k
            WHERE k <= abs(hashint4(i)) % 9
            """,
            """
            INSERT INTO leads.crm_sync (lead_id, status, synced_version, external_lead_id, external_contact_id, last_synced_at)
            SELECT id, 'synced', 1, (1000000 + row_number() OVER ())::text, (5000000 + row_number() OVER ())::text, now()
            FROM leads.leads
            """,
            "ALTER TABLE leads.leads ENABLE TRIGGER crm_lead_inserted",
            "ALTER TABLE leads.lead_journey ENABLE TRIGGER crm_journey_inserted",
            // The funnel roll-ups of every lead at once, in the zone the service runs in.
            "SELECT leads.funnel_rebuild('\(timeZone)')",
            "ALTER TABLE leads.lead_journey ENABLE TRIGGER funnel_journey_inserted",
            "ANALYZE leads.leads",
            "ANALYZE leads.lead_journey",
            "ANALYZE leads.crm_sync",
            "ANALYZE leads.funnel_firsts",
            // Autovacuum's steady state: finished days all-visible, so funnels read the index alone.
            "VACUUM ANALYZE leads.funnel_counts",
        ]
    }

    /// Lead i's capture time: spread over the last 365 days.
    static func createdAt(_ i: String) -> String {
        "now() - (\(i) % 365) * interval '1 day' - (\(i) % 86400) * interval '1 second'"
    }

    /// wrk script for captures: every request a new visitor (args: a run number 1–9, which picks
    /// the mobile operator code, so runs never meet each other's or the seed's numbers).
    static let newVisitorsScript = """
        local codes = {"701", "702", "705", "707", "747", "771", "775", "776", "777"}
        local code = "701"
        local run = 1
        local counter = 0
        local names = {"Айгерим", "Dana", "Нурлан", "سارا", "Мария"}
        init = function(args)
          run = tonumber(args[1])
          code = codes[run]
        end
        request = function()
          counter = counter + 1
          local body = string.format('{"name": "%s %d", "email": "visitor-%d-%d@example.com", "phone": "8 %s %07d", '
            .. '"source": "twland", "metadata": {"utm_source": "instagram", "utm_campaign": "autumn", "device": "iPhone"}}',
            names[counter % 5 + 1], counter, run, counter, code, counter)
          return wrk.format("POST", "/v1/leads", {["Content-Type"] = "application/json"}, body)
        end
        """

    /// wrk script for captures of visitors already known (found by email among the seed's leads;
    /// args: the number of seeded leads).
    static let returningVisitorsScript = """
        local leads = 1000
        local counter = 0
        init = function(args) leads = tonumber(args[1]) end
        request = function()
          counter = counter + 1
          local i = (counter * 7919) % leads + 1
          local body = string.format('{"email": "lead%d@example.com", "source": "twland", "metadata": {"utm_source": "google"}}', i)
          return wrk.format("POST", "/v1/leads", {["Content-Type"] = "application/json"}, body)
        end
        """

    /// Funnel requests over the seed's stages: windows of a week, a month and the whole year,
    /// with and without a source.
    static func funnels(window: String) -> [String] {
        let stages = "stages=proftest_submitted,expresscourse_clicked,expresscourse_submitted,payment_kaspi"
        let days: [Int] = switch window {
        case "week": [7, 14, 21, 28, 35, 42, 49, 56, 63, 70]
        case "month": [30, 60, 90, 120, 150, 180]
        default: [0]
        }
        var requests: [String] = []
        for day in days {
            let range = day == 0 ? "" : "&from=\(dayAgo(day))&to=\(dayAgo(day - (window == "week" ? 7 : 30) + 1))"
            requests.append("GET /v1/funnel?\(stages)\(range)")
            for source in sources { requests.append("GET /v1/funnel?\(stages)\(range)&source=\(source)") }
        }
        return requests
    }

    /// yyyy-MM-dd of `days` days ago in the platform's timezone.
    private static func dayAgo(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: timeZone)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(-Double(days) * 86_400))
    }
}
