-- The counting triggers of scripts 0040 and 0041 leave early when a statement changes nothing they count
-- (decision 0062). A step completion cancels its step's reminders and writes the next step's: about five statements
-- on reminders, each of which ran the escalation trigger's lock and grouped update (about 0.1 ms of the server's time
-- each) although none of those reminders is a sent escalation. Each function now first looks for a row it counts in
-- the statement's transition tables (no other table is read before the case is locked, as before), and the strategy
-- count skips an update that leaves every case's region, opening time and open or closed state as they were.

CREATE OR REPLACE FUNCTION open_escalations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM new_rows WHERE kind = 'escalation' AND status = 'sent' LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM cases WHERE id IN (SELECT case_id FROM new_rows WHERE kind = 'escalation' AND status = 'sent') ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations + d.n
    FROM (SELECT r.case_id, COUNT(*) AS n FROM new_rows r JOIN case_steps s ON s.id = r.case_step_id
          WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL GROUP BY r.case_id) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION open_escalations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM old_rows WHERE kind = 'escalation' AND status = 'sent' LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM cases WHERE id IN (SELECT case_id FROM old_rows WHERE kind = 'escalation' AND status = 'sent') ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations - d.n
    FROM (SELECT r.case_id, COUNT(*) AS n FROM old_rows r JOIN case_steps s ON s.id = r.case_step_id
          WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL GROUP BY r.case_id) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION open_escalations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM (SELECT FROM old_rows WHERE kind = 'escalation' AND status = 'sent'
                  UNION ALL SELECT FROM new_rows WHERE kind = 'escalation' AND status = 'sent') r LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM cases
    WHERE id IN (SELECT case_id FROM old_rows WHERE kind = 'escalation' AND status = 'sent'
                 UNION SELECT case_id FROM new_rows WHERE kind = 'escalation' AND status = 'sent')
    ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations + d.n
    FROM (SELECT r.case_id, SUM(r.n) AS n
          FROM (SELECT case_id, case_step_id, -1 AS n FROM old_rows WHERE kind = 'escalation' AND status = 'sent'
                UNION ALL
                SELECT case_id, case_step_id, 1 FROM new_rows WHERE kind = 'escalation' AND status = 'sent') r
          JOIN case_steps s ON s.id = r.case_step_id
          WHERE s.completed_at IS NULL
          GROUP BY r.case_id
          HAVING SUM(r.n) <> 0) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

-- An update counts only when a case closes, is closed, or moves to another region or opening time: old and new rows
-- are compared as multisets (an update has as many of each), so no row is matched to another by its id.
CREATE OR REPLACE FUNCTION strategy_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
        SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
        FROM new_rows c CROSS JOIN LATERAL strategy_count_rows(1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) s
        GROUP BY s.region_code, s.on_day;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
        SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
        FROM old_rows c CROSS JOIN LATERAL strategy_count_rows(-1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) s
        GROUP BY s.region_code, s.on_day;
    ELSE
        PERFORM FROM (SELECT FROM old_rows WHERE status = 'closed'
                      UNION ALL SELECT FROM new_rows WHERE status = 'closed'
                      UNION ALL SELECT FROM (SELECT region_code, opened_at FROM old_rows EXCEPT ALL SELECT region_code, opened_at FROM new_rows) moved) r
        LIMIT 1;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
        SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
        FROM (
            SELECT d.* FROM old_rows c CROSS JOIN LATERAL strategy_count_rows(-1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) d
            UNION ALL
            SELECT d.* FROM new_rows c CROSS JOIN LATERAL strategy_count_rows(1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) d
        ) s
        GROUP BY s.region_code, s.on_day
        HAVING SUM(s.opened) <> 0 OR SUM(s.completed) <> 0 OR SUM(s.withdrawn) <> 0;
    END IF;
    RETURN NULL;
END $$;
