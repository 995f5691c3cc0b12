-- 0009: the REST surface of the academy — read views (embeddable through their foreign
-- keys) and the RPCs frontends call. Each RPC checks its permission and the branch, runs in
-- the request's one transaction, is audited through the tables' triggers, and answers JSON.
-- Errors: 400 bad input (22023/23514), 403 permission or branch (42501), 404 unknown id
-- (PT404), 409 conflict (23505/PT409).

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.courses WITH (security_invoker = true) AS
  SELECT c.tenant_id, c.id, c.branch_id, c.code, c.name, c.description, c.fee, c.capacity, c.starts_on, c.ends_on, c.status,
         c.created_at,
         (SELECT count(*) FROM academy.enrollments e WHERE e.tenant_id = c.tenant_id AND e.course_id = c.id AND e.status = 'active')::int AS enrolled,
         c.capacity - (SELECT count(*) FROM academy.enrollments e WHERE e.tenant_id = c.tenant_id AND e.course_id = c.id AND e.status = 'active')::int AS seats_left
    FROM academy.courses c;
COMMENT ON VIEW api.courses IS 'Courses of the caller''s branches, with enrolled students and seats left. Create with /rpc/create_course.';

CREATE VIEW api.students WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, document_id, first_name, last_name, email, phone, created_at FROM academy.students;
COMMENT ON VIEW api.students IS 'Students of the caller''s branches. Register with /rpc/register_student.';

CREATE VIEW api.enrollments WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, student_id, course_id, status, agreed_fee, discount, enrolled_at, withdrawn_at FROM academy.enrollments;
COMMENT ON VIEW api.enrollments IS 'Enrollments; embed students, courses, financial_status and payments (e.g. ?select=*,students(*),courses(code,name),financial_status(*)). Create with /rpc/enroll_student.';

CREATE VIEW api.financial_status WITH (security_invoker = true) AS
  SELECT tenant_id, enrollment_id, branch_id, amount_due, paid, balance,
         CASE WHEN balance > 0 AND due_date < current_date THEN 'overdue' ELSE status END AS status,
         due_date, updated_at
    FROM academy.financial_status;
COMMENT ON VIEW api.financial_status IS 'What each enrollment owes: amount due, paid, balance, status pending | partial | paid | overdue (balance left after the due date).';

CREATE VIEW api.payments WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, enrollment_id, amount, method, reference, received_by, paid_at, notes FROM academy.payments;
COMMENT ON VIEW api.payments IS 'Payments received (immutable). Register with /rpc/register_payment.';

CREATE VIEW api.attendance WITH (security_invoker = true) AS
  SELECT tenant_id, course_id, student_id, date, branch_id, status, note, recorded_by, recorded_at FROM academy.attendance;
COMMENT ON VIEW api.attendance IS 'Attendance per student, course and day. Record a whole class with /rpc/record_attendance.';

CREATE VIEW api.enrollment_invoices WITH (security_invoker = true) AS
  SELECT tenant_id, invoice_id, enrollment_id, branch_id, created_at FROM academy.enrollment_invoices;
COMMENT ON VIEW api.enrollment_invoices IS 'Which invoice bills which enrollment.';

GRANT SELECT ON api.courses, api.students, api.enrollments, api.financial_status, api.payments, api.attendance,
                api.enrollment_invoices TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------

-- The branch of a row of the caller's tenant even when the caller may not see that branch,
-- so "another branch" is a clear 403, not a 404.
CREATE FUNCTION academy.branch_of(p_kind text, p_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE p_kind
           WHEN 'course' THEN (SELECT branch_id FROM academy.courses WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
           WHEN 'student' THEN (SELECT branch_id FROM academy.students WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
           WHEN 'enrollment' THEN (SELECT branch_id FROM academy.enrollments WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
           WHEN 'branch' THEN (SELECT id FROM core.branches WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
         END
$$;
COMMENT ON FUNCTION academy.branch_of(text, uuid) IS 'Branch of a course, student, enrollment or branch id in the caller''s tenant (NULL when it does not exist). SECURITY DEFINER; tenant-scoped.';
REVOKE ALL ON FUNCTION academy.branch_of(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.branch_of(text, uuid) TO app_user;

-- 404 when the row does not exist in the caller's tenant, 403 when it is in another branch.
CREATE FUNCTION academy.require_branch(p_kind text, p_id uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  b uuid := academy.branch_of(p_kind, p_id);
BEGIN
  IF p_id IS NULL THEN
    RAISE EXCEPTION '%_id is required', p_kind USING ERRCODE = '22023';
  END IF;
  IF b IS NULL THEN
    RAISE EXCEPTION '% % not found', p_kind, p_id USING ERRCODE = 'PT404';
  END IF;
  IF NOT cimiento.can_access_branch(b) THEN
    RAISE EXCEPTION 'you cannot act in the branch of this %', p_kind USING ERRCODE = '42501';
  END IF;
  RETURN b;
END
$$;
COMMENT ON FUNCTION academy.require_branch(text, uuid) IS 'The branch of a row the caller may act on: 404 (PT404) if it does not exist in the tenant, 403 (42501) if it is in a branch the caller cannot act in.';
GRANT EXECUTE ON FUNCTION academy.require_branch(text, uuid) TO app_user;

CREATE FUNCTION api.create_course(
  branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date,
  description text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  c academy.courses%ROWTYPE;
BEGIN
  PERFORM cimiento.require_permission('courses.create');
  PERFORM academy.require_branch('branch', branch_id);
  IF fee IS NULL OR fee < 0 THEN RAISE EXCEPTION 'fee must be 0 or more' USING ERRCODE = '22023'; END IF;
  IF capacity IS NULL OR capacity < 1 THEN RAISE EXCEPTION 'capacity must be at least 1' USING ERRCODE = '22023'; END IF;
  IF starts_on IS NULL OR ends_on IS NULL OR ends_on < starts_on THEN
    RAISE EXCEPTION 'starts_on and ends_on are required and ends_on cannot be before starts_on' USING ERRCODE = '22023';
  END IF;
  BEGIN
    INSERT INTO academy.courses (branch_id, code, name, description, fee, capacity, starts_on, ends_on)
    VALUES (branch_id, btrim(code), btrim(name), description, fee, capacity, starts_on, ends_on)
    RETURNING * INTO c;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'a course with code % already exists', code USING ERRCODE = '23505';
  END;
  RETURN to_jsonb(c);
END
$$;
COMMENT ON FUNCTION api.create_course(uuid, text, text, numeric, integer, date, date, text) IS
  'Creates a course in a branch (courses.create). 400 bad input, 403 permission or branch, 404 unknown branch, 409 code taken.';
GRANT EXECUTE ON FUNCTION api.create_course(uuid, text, text, numeric, integer, date, date, text) TO app_user;

CREATE FUNCTION api.register_student(
  branch_id uuid, document_id text, first_name text, last_name text, email text DEFAULT NULL, phone text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  s academy.students%ROWTYPE;
  doc text := upper(regexp_replace(coalesce(document_id, ''), '[[:space:].]', '', 'g'));
BEGIN
  PERFORM cimiento.require_permission('students.create');
  PERFORM academy.require_branch('branch', branch_id);
  IF doc !~ '^[A-Z0-9][A-Z0-9-]{2,31}$' THEN
    RAISE EXCEPTION 'document_id must be 3 to 32 letters, digits or hyphens' USING ERRCODE = '22023';
  END IF;
  IF coalesce(btrim(first_name), '') = '' OR coalesce(btrim(last_name), '') = '' THEN
    RAISE EXCEPTION 'first_name and last_name are required' USING ERRCODE = '22023';
  END IF;
  BEGIN
    INSERT INTO academy.students (branch_id, document_id, first_name, last_name, email, phone)
    VALUES (branch_id, doc, btrim(first_name), btrim(last_name), nullif(btrim(email), ''), nullif(btrim(phone), ''))
    RETURNING * INTO s;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'a student with document % is already registered', doc USING ERRCODE = '23505';
  END;
  RETURN to_jsonb(s);
END
$$;
COMMENT ON FUNCTION api.register_student(uuid, text, text, text, text, text) IS
  'Registers a student in a branch (students.create); document_id is normalised to upper case. 400 bad input, 403, 404 unknown branch, 409 document already registered.';
GRANT EXECUTE ON FUNCTION api.register_student(uuid, text, text, text, text, text) TO app_user;

CREATE FUNCTION api.enroll_student(
  student_id uuid, course_id uuid, agreed_fee numeric DEFAULT NULL, discount numeric DEFAULT 0, due_date date DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  c academy.courses%ROWTYPE;
  e academy.enrollments%ROWTYPE;
  taken int;
BEGIN
  PERFORM cimiento.require_permission('enrollments.create');
  PERFORM academy.require_branch('course', course_id);
  IF academy.branch_of('student', student_id) IS NULL THEN
    RAISE EXCEPTION 'student % not found', student_id USING ERRCODE = 'PT404';
  END IF;
  -- Lock the course: concurrent enrolments are counted one at a time against the capacity.
  SELECT * INTO c FROM academy.courses co WHERE co.id = course_id FOR UPDATE;
  IF c.status <> 'open' THEN
    RAISE EXCEPTION 'course % is % and takes no enrolments', c.code, c.status USING ERRCODE = 'PT409';
  END IF;
  SELECT count(*) INTO taken FROM academy.enrollments en WHERE en.tenant_id = c.tenant_id AND en.course_id = c.id AND en.status = 'active';
  IF taken >= c.capacity THEN
    RAISE EXCEPTION 'course % is full (% of % seats taken)', c.code, taken, c.capacity USING ERRCODE = 'PT409';
  END IF;
  IF discount IS NULL OR discount < 0 OR discount > coalesce(agreed_fee, c.fee) THEN
    RAISE EXCEPTION 'discount must be between 0 and the agreed fee' USING ERRCODE = '22023';
  END IF;
  IF due_date IS NOT NULL THEN
    PERFORM set_config('cimiento.enrollment_due_date', due_date::text, true);
  END IF;
  BEGIN
    INSERT INTO academy.enrollments (branch_id, student_id, course_id, agreed_fee, discount)
    VALUES (c.branch_id, student_id, course_id, coalesce(agreed_fee, c.fee), discount)
    RETURNING * INTO e;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'the student is already enrolled in course %', c.code USING ERRCODE = '23505';
  END;
  PERFORM set_config('cimiento.enrollment_due_date', '', true);
  RETURN to_jsonb(e) || jsonb_build_object('financial_status',
    (SELECT to_jsonb(f) FROM api.financial_status f WHERE f.tenant_id = e.tenant_id AND f.enrollment_id = e.id));
END
$$;
COMMENT ON FUNCTION api.enroll_student(uuid, uuid, numeric, numeric, date) IS
  'Enrolls a student in an open course of a branch the caller acts in (enrollments.create), checking capacity; the financial status is created with it (due on the course start unless due_date). 400, 403 branch, 404 unknown student/course, 409 full, closed or duplicate.';
GRANT EXECUTE ON FUNCTION api.enroll_student(uuid, uuid, numeric, numeric, date) TO app_user;

CREATE FUNCTION api.register_payment(
  enrollment_id uuid, amount numeric, method text, reference text DEFAULT NULL, notes text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  b uuid;
  p academy.payments%ROWTYPE;
BEGIN
  PERFORM cimiento.require_permission('payments.create');
  b := academy.require_branch('enrollment', enrollment_id);
  IF amount IS NULL OR amount <= 0 THEN
    RAISE EXCEPTION 'amount must be greater than 0' USING ERRCODE = '22023';
  END IF;
  IF method IS NULL OR method NOT IN ('cash', 'card', 'transfer', 'deposit') THEN
    RAISE EXCEPTION 'method must be cash, card, transfer or deposit' USING ERRCODE = '22023';
  END IF;
  INSERT INTO academy.payments (branch_id, enrollment_id, amount, method, reference, notes)
  VALUES (b, enrollment_id, amount, method, reference, notes)
  RETURNING * INTO p;
  RETURN to_jsonb(p) || jsonb_build_object('financial_status',
    (SELECT to_jsonb(f) FROM api.financial_status f WHERE f.tenant_id = p.tenant_id AND f.enrollment_id = p.enrollment_id));
END
$$;
COMMENT ON FUNCTION api.register_payment(uuid, numeric, text, text, text) IS
  'Registers a payment for an enrollment (payments.create) and returns it with the updated financial status. 400 bad amount/method, 403, 404 unknown enrollment, 409 above the balance or withdrawn enrollment.';
GRANT EXECUTE ON FUNCTION api.register_payment(uuid, numeric, text, text, text) TO app_user;

CREATE FUNCTION api.record_attendance(course_id uuid, date date, records jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  b uuid;
  r jsonb;
  n int := 0;
BEGIN
  PERFORM cimiento.require_permission('attendance.record');
  b := academy.require_branch('course', course_id);
  IF date IS NULL THEN RAISE EXCEPTION 'date is required' USING ERRCODE = '22023'; END IF;
  IF records IS NULL OR jsonb_typeof(records) <> 'array' OR jsonb_array_length(records) = 0 THEN
    RAISE EXCEPTION 'records must be a non-empty array of {student_id, status, note}' USING ERRCODE = '22023';
  END IF;
  FOR r IN SELECT * FROM jsonb_array_elements(records) LOOP
    n := n + 1;
    IF jsonb_typeof(r -> 'student_id') IS DISTINCT FROM 'string' OR (r ->> 'student_id') !~* '^[0-9a-f-]{36}$' THEN
      RAISE EXCEPTION 'records[%].student_id must be a uuid', n USING ERRCODE = '22023';
    END IF;
    IF (r ->> 'status') IS NULL OR (r ->> 'status') NOT IN ('present', 'absent', 'late', 'excused') THEN
      RAISE EXCEPTION 'records[%].status must be present, absent, late or excused', n USING ERRCODE = '22023';
    END IF;
  END LOOP;
  INSERT INTO academy.attendance (course_id, student_id, date, branch_id, status, note)
  SELECT course_id, (r2 ->> 'student_id')::uuid, date, b, r2 ->> 'status', r2 ->> 'note'
    FROM jsonb_array_elements(records) AS r2
  ON CONFLICT ON CONSTRAINT attendance_pkey DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note;
  RETURN jsonb_build_object('course_id', course_id, 'date', date, 'recorded', n);
END
$$;
COMMENT ON FUNCTION api.record_attendance(uuid, date, jsonb) IS
  'Records a whole class for a day in one call (attendance.record): records [{student_id, status present|absent|late|excused, note}]; recording again corrects. 400 bad input, 403, 404 unknown course, 409 a student not enrolled.';
GRANT EXECUTE ON FUNCTION api.record_attendance(uuid, date, jsonb) TO app_user;

CREATE FUNCTION api.issue_enrollment_invoice(
  enrollment_id uuid, series_code text, tax_rate numeric DEFAULT 0, idempotency_key text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  b uuid;
  e record;
  doc jsonb;
BEGIN
  PERFORM cimiento.require_permission('invoices.issue');
  b := academy.require_branch('enrollment', enrollment_id);
  SELECT en.id, en.tenant_id, en.agreed_fee, en.discount, en.status, c.name AS course_name, c.code AS course_code,
         s.id AS student_id, s.first_name || ' ' || s.last_name AS student_name, s.document_id, s.email
    INTO e
    FROM academy.enrollments en
    JOIN academy.courses c ON c.tenant_id = en.tenant_id AND c.id = en.course_id
    JOIN academy.students s ON s.tenant_id = en.tenant_id AND s.id = en.student_id
   WHERE en.id = enrollment_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'enrollment % not found', enrollment_id USING ERRCODE = 'PT404';
  END IF;
  IF billing.series_branch(series_code, 'invoice') IS DISTINCT FROM b THEN
    RAISE EXCEPTION 'invoice series % does not belong to the branch of the enrollment', series_code USING ERRCODE = '22023',
      HINT = 'use a series of the enrollment''s branch';
  END IF;
  IF idempotency_key IS NULL AND EXISTS (
       SELECT 1 FROM academy.enrollment_invoices ei JOIN billing.invoices i ON i.tenant_id = ei.tenant_id AND i.id = ei.invoice_id
        WHERE ei.enrollment_id = e.id AND i.status = 'issued') THEN
    RAISE EXCEPTION 'the enrollment is already invoiced' USING ERRCODE = 'PT409',
      HINT = 'credit the existing invoice first (api.issue_credit_note), or pass an idempotency_key to retry safely';
  END IF;
  doc := api.issue_invoice(
    series_code => series_code,
    lines => jsonb_build_array(jsonb_build_object(
               'description', 'Matrícula: ' || e.course_name || ' (' || e.course_code || ')',
               'quantity', 1, 'unit_price', e.agreed_fee - e.discount, 'tax_rate', tax_rate)),
    customer_name => e.student_name, customer_tax_id => e.document_id, customer_email => e.email,
    student_id => e.student_id, idempotency_key => idempotency_key);
  INSERT INTO academy.enrollment_invoices (invoice_id, enrollment_id, branch_id)
  VALUES ((doc ->> 'id')::uuid, e.id, (doc ->> 'branch_id')::uuid)
  ON CONFLICT DO NOTHING;
  RETURN doc || jsonb_build_object('enrollment_id', e.id);
END
$$;
COMMENT ON FUNCTION api.issue_enrollment_invoice(uuid, text, numeric, text) IS
  'Issues the invoice of an enrollment (invoices.issue): one line for the agreed fee minus discount (tax_rate default 0: education is usually exempt), billed to the student, numbered gaplessly in the series. 403, 404 unknown enrollment or series, 409 already invoiced.';
GRANT EXECUTE ON FUNCTION api.issue_enrollment_invoice(uuid, text, numeric, text) TO app_user;
