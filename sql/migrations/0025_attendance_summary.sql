-- 0025: attendance per course reads a daily summary instead of every attendance record.
--
-- reports.course_attendance aggregated all of a tenant's records on every read (1M records:
-- ~670 ms). reports.attendance_by_course_day holds, per course and class day, how many
-- records there are, how many count (all but excused) and how many attended (present or
-- late), as deltas appended by statement triggers on academy.attendance in the recording
-- transaction (a change of status moves one record between the counts). The nightly
-- reports_compact job now folds these deltas too. Same columns, same figures.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE reports.attendance_by_course_day (
  tenant_id uuid NOT NULL,
  id        bigint GENERATED ALWAYS AS IDENTITY,
  branch_id uuid NOT NULL,
  course_id uuid NOT NULL,
  date      date NOT NULL,
  records   bigint NOT NULL,
  counted   bigint NOT NULL,
  attended  bigint NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, course_id, branch_id) REFERENCES academy.courses (tenant_id, id, branch_id)
);
CREATE INDEX attendance_by_course_day_course_idx ON reports.attendance_by_course_day (tenant_id, course_id, date)
  INCLUDE (branch_id, records, counted, attended);
COMMENT ON TABLE reports.attendance_by_course_day IS 'Attendance per tenant, course and class day, as deltas: records, counted (all but excused) and attended (present or late). One row per recording statement, folded nightly into one row per course and day by the reports_compact job. Written only by the attendance trigger and the job.';

-- ---------------------------------------------------------------------------------------
-- Row-level security: the tenant's branches, with attendance.read (as the records)
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('reports.attendance_by_course_day', true);
SELECT cimiento.enable_permission_policy('reports.attendance_by_course_day', 'select', '{attendance.read}');

-- ---------------------------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON reports.attendance_by_course_day TO app_user, analyst;
GRANT SELECT, INSERT, DELETE ON reports.attendance_by_course_day TO cimiento_jobs;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION reports.attendance_by_course_day_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO reports.attendance_by_course_day (tenant_id, branch_id, course_id, date, records, counted, attended)
    SELECT o.tenant_id, o.branch_id, o.course_id, o.date, -count(*),
           -count(*) FILTER (WHERE o.status <> 'excused'), -count(*) FILTER (WHERE o.status IN ('present', 'late'))
      FROM old_rows o GROUP BY 1, 2, 3, 4;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO reports.attendance_by_course_day (tenant_id, branch_id, course_id, date, records, counted, attended)
    SELECT n.tenant_id, n.branch_id, n.course_id, n.date, count(*),
           count(*) FILTER (WHERE n.status <> 'excused'), count(*) FILTER (WHERE n.status IN ('present', 'late'))
      FROM new_rows n GROUP BY 1, 2, 3, 4;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION reports.attendance_by_course_day_apply() FROM PUBLIC;
COMMENT ON FUNCTION reports.attendance_by_course_day_apply() IS 'Trigger (after each statement on academy.attendance): appends the statement''s records per course and day to reports.attendance_by_course_day (negated for the old version of changed or deleted records). SECURITY DEFINER: callers cannot write the summary.';
CREATE TRIGGER attendance_summary_insert AFTER INSERT ON academy.attendance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.attendance_by_course_day_apply();
CREATE TRIGGER attendance_summary_update AFTER UPDATE ON academy.attendance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.attendance_by_course_day_apply();
CREATE TRIGGER attendance_summary_delete AFTER DELETE ON academy.attendance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.attendance_by_course_day_apply();

-- The records already there.
INSERT INTO reports.attendance_by_course_day (tenant_id, branch_id, course_id, date, records, counted, attended)
SELECT a.tenant_id, a.branch_id, a.course_id, a.date, count(*),
       count(*) FILTER (WHERE a.status <> 'excused'), count(*) FILTER (WHERE a.status IN ('present', 'late'))
  FROM academy.attendance a GROUP BY 1, 2, 3, 4;

CREATE FUNCTION reports.compact_attendance_by_course_day() RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  WITH days AS (
    SELECT f.course_id, f.date FROM reports.attendance_by_course_day f GROUP BY 1, 2 HAVING count(*) > 1),
  folded AS (
    DELETE FROM reports.attendance_by_course_day f USING days d
     WHERE f.course_id = d.course_id AND f.date = d.date
    RETURNING f.tenant_id, f.branch_id, f.course_id, f.date, f.records, f.counted, f.attended),
  written AS (
    INSERT INTO reports.attendance_by_course_day (tenant_id, branch_id, course_id, date, records, counted, attended)
    SELECT tenant_id, branch_id, course_id, date, sum(records), sum(counted), sum(attended) FROM folded
     GROUP BY 1, 2, 3, 4 HAVING sum(records) <> 0
    RETURNING 1)
  SELECT count(*) FROM folded
$$;
REVOKE ALL ON FUNCTION reports.compact_attendance_by_course_day() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reports.compact_attendance_by_course_day() TO cimiento_jobs;
COMMENT ON FUNCTION reports.compact_attendance_by_course_day() IS 'Folds the caller tenant''s attendance deltas into one row per course and day (days whose records net to zero disappear); returns how many delta rows it folded. Part of the reports_compact job. VOLATILE.';

CREATE FUNCTION reports.compact_summaries() RETURNS bigint
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT reports.compact_collected_by_month() + reports.compact_attendance_by_course_day()
$$;
REVOKE ALL ON FUNCTION reports.compact_summaries() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reports.compact_summaries() TO cimiento_jobs;
COMMENT ON FUNCTION reports.compact_summaries() IS 'Scheduled job reports_compact (nightly, 02:30 UTC): folds the caller tenant''s report summaries (payments per month, attendance per course and day); returns the delta rows folded. Runs as cimiento_jobs under RLS, holding only payments.read and attendance.read. VOLATILE.';
SELECT cimiento.schedule('reports_compact', '30 2 * * *', 'reports.compact_summaries()', '{payments.read,attendance.read}');

-- ---------------------------------------------------------------------------------------
-- The report, same columns
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW reports.course_attendance WITH (security_invoker = true) AS
  WITH days AS (
    SELECT d.tenant_id, d.branch_id, d.course_id, d.date,
           sum(d.records) AS records, sum(d.counted) AS counted, sum(d.attended) AS attended
      FROM reports.attendance_by_course_day d
     GROUP BY d.tenant_id, d.branch_id, d.course_id, d.date
    HAVING sum(d.records) > 0)
  SELECT p.tenant_id, p.branch_id, p.course_id, c.code AS course_code, c.name AS course_name,
         count(*) AS sessions, sum(p.records)::bigint AS records,
         round(100.0 * sum(p.attended) / nullif(sum(p.counted), 0), 1) AS rate_pct
    FROM days p
    JOIN academy.courses c ON c.tenant_id = p.tenant_id AND c.id = p.course_id
   GROUP BY p.tenant_id, p.branch_id, p.course_id, c.code, c.name;
COMMENT ON VIEW reports.course_attendance IS 'Attendance rate per course (present + late over all but excused), in percent, and the number of class days recorded (from reports.attendance_by_course_day).';
