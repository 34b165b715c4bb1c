-- Board order is (xp, user_id) descending: ties by descending user id, so both columns run in one
-- direction and each side of the window around a learner is a single row comparison,
-- (xp, user_id) > or < the learner's, from which the index starts. With ties by ascending id a
-- side took two ranges (higher scores, then the learner's own score past their id): four index
-- descents per window instead of two.
DROP INDEX leaderboard_scores_order;
CREATE INDEX leaderboard_scores_order ON leaderboard_scores (period, period_start, course_id, xp DESC, user_id DESC) WHERE ranked;
