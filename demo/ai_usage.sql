-- Demo AI usage for `lyceum dev`: today's calls of the three agents (through the same SQL
-- function ingest uses, so costs, roll-ups and events are real) and one curator chat.
-- Idempotent: fixed request ids and chat id; a second run records nothing new.
SELECT count(*) FROM record_usage(
    ARRAY['demo-curator-1', 'demo-curator-2', 'demo-mentor-1', 'demo-analyst-1', 'demo-voice-1'],
    ARRAY['ai_curator', 'ai_curator', 'ai_mentor', 'ai_analyst', 'ai_curator'],
    ARRAY['gpt-4o', 'gpt-4o', 'gpt-4o', 'gpt-3.5-turbo', 'whisper-1'],
    ARRAY['text_message', 'text_message', 'session', 'report', 'transcription'],
    ARRAY[150, 1200, 3000, 8000, 0]::bigint[], ARRAY[0, 400, 0, 0, 0]::bigint[], ARRAY[300, 250, 900, 1500, 0]::bigint[],
    ARRAY[0, 0, 0, 0, 90]::numeric[],
    ARRAY['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', '',
          'aaaaaaaa-0000-4000-8000-000000000002'],
    ARRAY['c1a70000-0000-4000-8000-000000000001', 'c1a70000-0000-4000-8000-000000000001', '', '', ''],
    ARRAY[now(), now(), now(), now(), now()], ARRAY[true, true, true, true, true],
    'Asia/Almaty', 'KZT', now(), false, gen_random_uuid(), gen_random_uuid(), 'user:demo');

INSERT INTO ai_curator_chats (id, user_id, title) VALUES
    ('c1a70000-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 'Closures · بسته‌ها · Замыкания')
ON CONFLICT (id) DO NOTHING;
INSERT INTO ai_curator_messages (id, chat_id, role, content, student_mood, mood_confidence, is_problem_detected, problem_type) VALUES
    ('c1a70000-0000-4000-8000-0000000000a1', 'c1a70000-0000-4000-8000-000000000001', 'user',
     'نمی‌فهمم چرا این بسته مقدار قدیمی را نگه می‌دارد. Не понимаю замыкания.', 'confused', 0.82, true, 'understanding'),
    ('c1a70000-0000-4000-8000-0000000000a2', 'c1a70000-0000-4000-8000-000000000001', 'assistant',
     'A closure captures the variable, not its value at the time: let us walk through it step by step.', NULL, NULL, false, NULL)
ON CONFLICT (id) DO NOTHING;
