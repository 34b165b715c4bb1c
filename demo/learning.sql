-- Demo catalog for `lyceum dev`: one published course in three languages' worth of titles.
-- Idempotent: fixed ids, ON CONFLICT DO NOTHING.
INSERT INTO courses (id, title, description, language, status, published_at) VALUES
    ('c0000000-0000-4000-8000-000000000001', 'Swift for Learners · Swift برای یادگیرندگان · Swift для начинающих',
     'A first course: values, functions, collections.', 'en', 'published', now())
ON CONFLICT (id) DO NOTHING;

INSERT INTO modules (id, course_id, title, position) VALUES
    ('a0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', 'Getting started', 0)
ON CONFLICT (id) DO NOTHING;

INSERT INTO lessons (id, course_id, module_id, title, content_type, position, duration_seconds, xp_reward) VALUES
    ('10000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001',
     'Hello, Swift', 'text', 0, 300, NULL),
    ('10000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001',
     'متغیرها و ثابت‌ها', 'text', 1, 600, 75),
    ('10000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001',
     'Функции и замыкания', 'text', 2, 900, 120)
ON CONFLICT (id) DO NOTHING;
