import Foundation

/// The learning benchmark's data set, generated in SQL: courses in English, Russian and Persian
/// (two modules of three lessons each; every fifth course paid), and as many published articles.
/// Ids derive from md5 of a name and number, so request files can name them.
enum LearningBenchData {
    static func seed(courses: Int) -> [String] {
        let words = """
            WITH w AS (SELECT
                ARRAY['Swift','Python','Algorithms','Databases','Design','Marketing','Statistics','Writing'] AS en1,
                ARRAY['for beginners','in practice','advanced','projects','interviews','from scratch','patterns','essentials'] AS en2,
                ARRAY['Swift','Python','Алгоритмы','Базы данных','Дизайн','Маркетинг','Статистика','Письмо'] AS ru1,
                ARRAY['для начинающих','на практике','продвинутый курс','проекты','собеседования','с нуля','паттерны','основы'] AS ru2,
                ARRAY['سوئیفت','پایتون','الگوریتم‌ها','پایگاه داده','طراحی','بازاریابی','آمار','نویسندگی'] AS fa1,
                ARRAY['برای مبتدیان','در عمل','پیشرفته','پروژه‌ها','مصاحبه','از صفر','الگوها','مبانی'] AS fa2)
            """
        let first = "(CASE i % 3 WHEN 0 THEN en1 WHEN 1 THEN ru1 ELSE fa1 END)[1 + i % 8]"
        let second = "(CASE i % 3 WHEN 0 THEN en2 WHEN 1 THEN ru2 ELSE fa2 END)[1 + (i / 8) % 8]"
        let third = "(CASE i % 3 WHEN 0 THEN en1 WHEN 1 THEN ru1 ELSE fa1 END)[1 + (i / 64) % 8]"
        return [
            words + """
            INSERT INTO learning.courses (id, title, description, category, level, language, languages, price, currency, status,
                                          published_at, created_at)
            SELECT md5('course' || i)::uuid, \(first) || ' ' || \(second) || ' ' || i,
                   \(first) || ', ' || \(third) || ' ' || \(second) || '. ' || repeat(\(third) || ' ', 5),
                   (ARRAY['programming','data','design','business','languages'])[1 + i % 5],
                   (ARRAY['beginner','intermediate','advanced','all_levels'])[1 + (i / 3) % 4],
                   (ARRAY['en','ru','fa'])[1 + i % 3], ARRAY[(ARRAY['en','ru','fa'])[1 + i % 3]],
                   CASE WHEN i % 5 = 0 THEN 1000 + (i % 90) * 100 ELSE 0 END, 'KZT', 'published',
                   now() - i * interval '1 second', now() - i * interval '1 second'
            FROM generate_series(1, \(courses)) i, w
            """,
            """
            INSERT INTO learning.modules (id, course_id, title, position)
            SELECT md5('module' || i || '-' || m)::uuid, md5('course' || i)::uuid, 'Module ' || (m + 1), m
            FROM generate_series(1, \(courses)) i, generate_series(0, 1) m
            """,
            """
            INSERT INTO learning.lessons (id, course_id, module_id, title, content_type, position, duration_seconds, content)
            SELECT md5('lesson' || i || '-' || m || '-' || l)::uuid, md5('course' || i)::uuid, md5('module' || i || '-' || m)::uuid,
                   'Lesson ' || (m * 3 + l + 1), 'text', l, 600, 'Read this.'
            FROM generate_series(1, \(courses)) i, generate_series(0, 1) m, generate_series(0, 2) l
            """,
            words + """
            INSERT INTO learning.library_items (kind, title, summary, body, source_type, category, language, status, published_at)
            SELECT 'article', \(third) || ' — ' || \(second) || ' ' || i, \(first) || ' ' || \(second),
                   repeat(\(first) || ' ' || \(third) || ' ', 20), 'internal',
                   (ARRAY['programming','data','design','business','languages'])[1 + i % 5], (ARRAY['en','ru','fa'])[1 + i % 3],
                   'published', now() - i * interval '1 second'
            FROM generate_series(1, \(courses)) i, w
            """,
            // Merges the GIN indexes' pending lists and refreshes statistics, as autovacuum would a
            // while later: without it the first minutes measure autovacuum, not the service.
            "VACUUM ANALYZE learning.courses",
            "VACUUM ANALYZE learning.modules",
            "VACUUM ANALYZE learning.lessons",
            "VACUUM ANALYZE learning.library_items",
        ]
    }

    /// Search terms in the three languages, some matching many rows, some few.
    /// Up to 60,000 different searches (query strings), so none is answered from the cache: a word and a
    /// title's number (rare), two words of one language with filters (common), and a word without
    /// another (common, with a negation), in turn.
    static func distinctSearches(courses: Int) -> [String] {
        let words = [["Swift", "Python", "algorithms", "databases", "design", "marketing", "statistics", "writing", "beginners",
                      "practice", "advanced", "projects", "interviews", "scratch", "patterns", "essentials"],
                     ["Алгоритмы", "базы", "данных", "дизайн", "маркетинг", "статистика", "письмо", "начинающих", "практике",
                      "продвинутый", "проекты", "собеседования", "нуля", "паттерны", "основы"],
                     ["سوئیفت", "پایتون", "الگوریتم‌ها", "پایگاه", "داده", "طراحی", "بازاریابی", "آمار", "نویسندگی", "مبتدیان",
                      "عمل", "پیشرفته", "پروژه‌ها", "مصاحبه", "صفر", "الگوها", "مبانی"]]
        let filters = [""] + ["type=course", "type=article", "type=video"].flatMap { type in
            ["", "&language=en", "&language=ru", "&language=fa", "&category=data", "&category=design&language=ru"].map { type + $0 }
        }
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: LearningBenchmark.unreserved) ?? text }
        var seen = Set<String>()
        return (0..<60_000).map { n in
            let language = words[n % 3]
            let word = language[(n / 3) % language.count], other = language[(n / 7 + 1) % language.count]
            let filter = filters[(n / 11) % filters.count]
            switch n % 3 {
            case 0: return "q=" + encode("\(word) \(1 + (n * 7919) % max(courses, 1))")
            case 1: return "q=" + encode("\(word) \(other)") + "&limit=\(10 + n % 11)" + (filter.isEmpty ? "" : "&" + filter)
            default: return "q=" + encode("\(word) -\(other)") + "&limit=\(10 + n % 11)" + (filter.isEmpty ? "" : "&" + filter)
            }
        }.filter { seen.insert($0).inserted }
    }

    static let searchTerms = [
        "Swift", "Python projects", "algorithms", "databases", "design patterns", "marketing", "statistics", "writing essentials",
        "Алгоритмы", "базы данных", "дизайн", "маркетинг с нуля", "статистика", "собеседования", "паттерны",
        "الگوریتم‌ها", "پایگاه داده", "طراحی", "بازاریابی", "آمار", "نویسندگی", "مصاحبه", "پیشرفته",
        "Swift 4242", "Python 777", "\"from scratch\"", "design -marketing", "interviews or patterns",
    ]
}
