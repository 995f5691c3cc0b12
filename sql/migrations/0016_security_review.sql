-- 0016: security review. Each part fixes a mechanism, not a case:
--  1. A permission holds only in the branches of the grant that gives it. Tokens carry the
--     grants (role → branches); policies of branch-scoped tables ask for the row's branch
--     (cimiento.enable_permission_policy) and RPCs for the branch they act in
--     (cimiento.require_permission(p, branch) via academy.require_branch(kind, id, p)).
--  3. Issued documents are immutable for every login: numbering acts as cimiento_numbering
--     (numbering columns only) and the guards exempt nobody else; the guards, the numbering
--     trigger and the audit triggers are protected (cimiento.protect_trigger).
--  4. The audit trail is read per branch, like the data it records.
--  5. Users and role assignments need users.read / roles.read (one's own row excepted); a
--     user's own e-mail changes only through the api (password again); nobody grants a
--     role carrying permissions they lack, nor edits a built-in role.
--  6. Credit notes: the series must be of the invoice's branch, each line once; documents of
--     a series are numbered in date order and never dated in the future (the numbering
--     enforces it for every path).
--  7. enroll_student needs enrollments.create in the student's branch too.
--  8. Free-text fields of documents are bounded (400 naming the field).
--  9. The sealer has its own role and bookkeeping (audit.sealed_txids): an open transaction
--     no longer holds back sealing of others.
-- 10. The pre-request hook refuses a token without our audience.

-- ---------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------
INSERT INTO core.permissions (code, description) VALUES
  ('roles.read', 'See the tenant''s roles and the permissions they grant');
INSERT INTO core.builtin_role_permissions (role_name, permission) VALUES ('manager', 'roles.read');
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, 'roles.read' FROM core.roles r WHERE r.builtin AND r.name = 'manager'
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
-- The date of the last document numbered in a series: documents of a series are in date order.
ALTER TABLE billing.invoice_series ADD COLUMN last_issue_date date;
COMMENT ON COLUMN billing.invoice_series.last_issue_date IS 'Issue date of the last document numbered in the series (set by the numbering): a later document may not be dated before it.';
UPDATE billing.invoice_series s
   SET last_issue_date = (SELECT max(i.issue_date) FROM billing.invoices i WHERE i.tenant_id = s.tenant_id AND i.series_id = s.id);
SELECT cimiento.enable_audit('billing.invoice_series', ignore_columns => '{next_number,last_issue_date}');

-- Bounded free text on documents: what the PDF renders has a size.
ALTER TABLE billing.invoices
  ADD CONSTRAINT invoices_customer_tax_id_length CHECK (length(customer_tax_id) <= 32),
  ADD CONSTRAINT invoices_customer_address_length CHECK (length(customer_address) <= 500),
  ADD CONSTRAINT invoices_customer_email_length CHECK (length(customer_email) <= 254),
  ADD CONSTRAINT invoices_reason_length CHECK (length(reason) <= 500),
  ADD CONSTRAINT invoices_notes_length CHECK (length(notes) <= 2000);

-- ---------------------------------------------------------------------------------------
-- Policies: permissions per branch
-- ---------------------------------------------------------------------------------------
DROP POLICY courses_read ON academy.courses;
DROP POLICY courses_write_insert ON academy.courses;
DROP POLICY courses_write_update ON academy.courses;
SELECT cimiento.enable_permission_policy('academy.courses', 'select', '{courses.read}');
SELECT cimiento.enable_permission_policy('academy.courses', 'insert', '{courses.create}');
SELECT cimiento.enable_permission_policy('academy.courses', 'update', '{courses.update}');
DROP POLICY students_read ON academy.students;
DROP POLICY students_write_insert ON academy.students;
DROP POLICY students_write_update ON academy.students;
SELECT cimiento.enable_permission_policy('academy.students', 'select', '{students.read}');
SELECT cimiento.enable_permission_policy('academy.students', 'insert', '{students.create}');
SELECT cimiento.enable_permission_policy('academy.students', 'update', '{students.update}');
DROP POLICY enrollments_read ON academy.enrollments;
DROP POLICY enrollments_write_insert ON academy.enrollments;
DROP POLICY enrollments_write_update ON academy.enrollments;
SELECT cimiento.enable_permission_policy('academy.enrollments', 'select', '{enrollments.read}');
SELECT cimiento.enable_permission_policy('academy.enrollments', 'insert', '{enrollments.create}');
SELECT cimiento.enable_permission_policy('academy.enrollments', 'update', '{enrollments.update}');
DROP POLICY financial_status_read ON academy.financial_status;
SELECT cimiento.enable_permission_policy('academy.financial_status', 'select', '{enrollments.read,payments.read}');
DROP POLICY payments_read ON academy.payments;
DROP POLICY payments_write_insert ON academy.payments;
SELECT cimiento.enable_permission_policy('academy.payments', 'select', '{payments.read}');
SELECT cimiento.enable_permission_policy('academy.payments', 'insert', '{payments.create}');
DROP POLICY attendance_read ON academy.attendance;
DROP POLICY attendance_write_insert ON academy.attendance;
DROP POLICY attendance_write_update ON academy.attendance;
SELECT cimiento.enable_permission_policy('academy.attendance', 'select', '{attendance.read}');
SELECT cimiento.enable_permission_policy('academy.attendance', 'insert', '{attendance.record}');
SELECT cimiento.enable_permission_policy('academy.attendance', 'update', '{attendance.record}');
DROP POLICY enrollment_invoices_read ON academy.enrollment_invoices;
DROP POLICY enrollment_invoices_write_insert ON academy.enrollment_invoices;
SELECT cimiento.enable_permission_policy('academy.enrollment_invoices', 'select', '{invoices.read,invoices.issue}');
SELECT cimiento.enable_permission_policy('academy.enrollment_invoices', 'insert', '{invoices.issue}');

DROP POLICY invoice_series_manage_insert ON billing.invoice_series;
DROP POLICY invoice_series_manage_update ON billing.invoice_series;
DROP POLICY invoice_series_manage_delete ON billing.invoice_series;
SELECT cimiento.enable_permission_policy('billing.invoice_series', 'insert', '{series.manage}');
SELECT cimiento.enable_permission_policy('billing.invoice_series', 'update', '{series.manage}');
SELECT cimiento.enable_permission_policy('billing.invoice_series', 'delete', '{series.manage}');
DROP POLICY invoices_read ON billing.invoices;
DROP POLICY invoices_issue_update ON billing.invoices;
DROP POLICY invoices_issue_delete ON billing.invoices;
SELECT cimiento.enable_permission_policy('billing.invoices', 'select', '{invoices.read,invoices.issue}');
SELECT cimiento.enable_permission_policy('billing.invoices', 'update', '{invoices.issue,credit_notes.issue}');
SELECT cimiento.enable_permission_policy('billing.invoices', 'delete', '{invoices.issue,credit_notes.issue}');
-- Which permission an insert needs depends on the kind of document (same predicate form).
DROP POLICY invoices_issue_insert ON billing.invoices;
CREATE POLICY invoices_issue_insert ON billing.invoices AS RESTRICTIVE FOR INSERT
  WITH CHECK (CASE kind
    WHEN 'invoice' THEN ((SELECT cimiento.permission_branches('invoices.issue')) IS NULL
                         OR branch_id = ANY ((SELECT cimiento.permission_branches('invoices.issue'))::uuid[]))
    ELSE ((SELECT cimiento.permission_branches('credit_notes.issue')) IS NULL
          OR branch_id = ANY ((SELECT cimiento.permission_branches('credit_notes.issue'))::uuid[])) END);
COMMENT ON POLICY invoices_issue_insert ON billing.invoices IS 'An invoice needs invoices.issue, a credit note credit_notes.issue, in the document''s branch.';
DROP POLICY invoice_items_read ON billing.invoice_items;
DROP POLICY invoice_items_write_insert ON billing.invoice_items;
DROP POLICY invoice_items_write_update ON billing.invoice_items;
DROP POLICY invoice_items_write_delete ON billing.invoice_items;
SELECT cimiento.enable_permission_policy('billing.invoice_items', 'select', '{invoices.read,invoices.issue}');
SELECT cimiento.enable_permission_policy('billing.invoice_items', 'insert', '{invoices.issue,credit_notes.issue}');
SELECT cimiento.enable_permission_policy('billing.invoice_items', 'update', '{invoices.issue,credit_notes.issue}');
SELECT cimiento.enable_permission_policy('billing.invoice_items', 'delete', '{invoices.issue,credit_notes.issue}');
DROP POLICY invoice_documents_read ON billing.invoice_documents;
SELECT cimiento.enable_permission_policy('billing.invoice_documents', 'select', '{invoices.read,invoices.issue}');

-- Users, roles and assignments: seeing them is a permission; one's own rows are always visible.
CREATE POLICY users_read ON core.users AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('users.read')) OR (SELECT cimiento.has_permission('users.manage'))
         OR id = (SELECT cimiento.current_user_id()));
CREATE POLICY user_roles_read ON core.user_roles AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('users.read')) OR (SELECT cimiento.has_permission('users.manage'))
         OR user_id = (SELECT cimiento.current_user_id()));
CREATE POLICY roles_read ON core.roles AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('roles.read')) OR (SELECT cimiento.has_permission('roles.manage'))
         OR (SELECT cimiento.has_permission('users.manage')) OR name = ANY ((SELECT cimiento.current_roles())::text[]));
CREATE POLICY role_permissions_read ON core.role_permissions AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('roles.read')) OR (SELECT cimiento.has_permission('roles.manage'))
         OR (SELECT cimiento.has_permission('users.manage')));
COMMENT ON POLICY users_read ON core.users IS 'Seeing the tenant''s users needs users.read (or users.manage); everyone sees their own row.';
COMMENT ON POLICY user_roles_read ON core.user_roles IS 'Seeing role assignments needs users.read (or users.manage); everyone sees their own.';
COMMENT ON POLICY roles_read ON core.roles IS 'Seeing roles needs roles.read, roles.manage or users.manage; everyone sees the roles they hold.';
COMMENT ON POLICY role_permissions_read ON core.role_permissions IS 'Seeing what roles grant needs roles.read, roles.manage or users.manage.';

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------

-- The roles, the branches claim (union: what rows the user may see) and the grants claim
-- (role → its branches, ["*"] for all: where each role's permissions hold).
DROP FUNCTION core.auth_user_for_login(text, text);
DROP FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval);
DROP FUNCTION core.auth_roles_and_branches(uuid, uuid);
CREATE FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH g AS (
    SELECT r.name, CASE WHEN bool_or(ur.branch_id IS NULL) THEN '["*"]'::jsonb
                        ELSE jsonb_agg(DISTINCT ur.branch_id) END AS branches
      FROM core.user_roles ur JOIN core.roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
     WHERE ur.tenant_id = p_tenant AND ur.user_id = p_user
     GROUP BY r.name)
  SELECT coalesce((SELECT array_agg(g.name ORDER BY g.name) FROM g), '{}'),
         CASE WHEN EXISTS (SELECT 1 FROM g WHERE g.branches = '["*"]'::jsonb) THEN '["*"]'::jsonb
              ELSE coalesce((SELECT jsonb_agg(DISTINCT b) FROM g, jsonb_array_elements(g.branches) AS b), '[]'::jsonb) END,
         coalesce((SELECT jsonb_object_agg(g.name, g.branches) FROM g), '{}'::jsonb)
$$;
COMMENT ON FUNCTION core.auth_roles_and_branches(uuid, uuid) IS 'Auth: a user''s role names, its branches claim (union; ["*"] when any assignment is tenant-wide) and its grants claim {role: [branch ids] | ["*"]} (where each role''s permissions hold). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_roles_and_branches(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_roles_and_branches(uuid, uuid) TO cimiento_api;

CREATE FUNCTION core.auth_user_for_login(p_tenant text, p_email text)
RETURNS TABLE (tenant_id uuid, tenant_slug text, tenant_active boolean, user_id uuid, user_active boolean,
               password_hash text, full_name text, totp_enabled boolean, totp_secret text, roles text[],
               branches jsonb, grants jsonb, mfa_required boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT t.id, t.slug, t.active, u.id, u.active, u.password_hash, u.full_name, u.totp_enabled, u.totp_secret,
         r.roles, r.branches, r.grants,
         coalesce(r.roles && ARRAY(SELECT jsonb_array_elements_text(t.settings -> 'mfa_required_roles')), false)
    FROM core.tenants t
    JOIN core.users u ON u.tenant_id = t.id AND u.email_key = lower(btrim(p_email))
    CROSS JOIN LATERAL core.auth_roles_and_branches(t.id, u.id) r
   WHERE t.slug = lower(btrim(p_tenant))
$$;

COMMENT ON FUNCTION core.auth_user_for_login(text, text) IS 'Auth: what the sign-in service needs to check a login (tenant by slug, user by email case-insensitively), or no row. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_user_for_login(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_user_for_login(text, text) TO cimiento_api;

CREATE FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval)
RETURNS TABLE (outcome text, session_id uuid, user_id uuid, roles text[], branches jsonb, grants jsonb, amr text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tok core.refresh_tokens%ROWTYPE;
  ses core.sessions%ROWTYPE;
  rb record;
  new_id uuid := gen_random_uuid();
BEGIN
  SELECT * INTO tok FROM core.refresh_tokens t WHERE t.tenant_id = p_tenant AND t.token_hash = p_hash FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'invalid'::text, NULL::uuid, NULL::uuid, NULL::text[], NULL::jsonb, NULL::jsonb, NULL::text[];
    RETURN;
  END IF;
  SELECT * INTO ses FROM core.sessions s WHERE s.tenant_id = p_tenant AND s.id = tok.session_id FOR UPDATE;
  IF tok.rotated_at IS NOT NULL THEN
    IF ses.revoked_at IS NULL AND now() - tok.rotated_at <= p_grace THEN
      RETURN QUERY SELECT 'reused'::text, ses.id, ses.user_id, NULL::text[], NULL::jsonb, NULL::jsonb, NULL::text[];
      RETURN;
    END IF;
    UPDATE core.sessions s SET revoked_at = coalesce(s.revoked_at, now()),
                               revoked_reason = coalesce(s.revoked_reason, 'refresh token reused')
     WHERE s.tenant_id = p_tenant AND s.id = ses.id;
    RETURN QUERY SELECT 'revoked'::text, ses.id, ses.user_id, NULL::text[], NULL::jsonb, NULL::jsonb, NULL::text[];
    RETURN;
  END IF;
  IF tok.expires_at < now() OR ses.revoked_at IS NOT NULL OR ses.expires_at < now()
     OR NOT EXISTS (SELECT 1 FROM core.users u JOIN core.tenants t ON t.id = u.tenant_id
                     WHERE u.tenant_id = p_tenant AND u.id = ses.user_id AND u.active AND t.active) THEN
    RETURN QUERY SELECT 'invalid'::text, NULL::uuid, NULL::uuid, NULL::text[], NULL::jsonb, NULL::jsonb, NULL::text[];
    RETURN;
  END IF;
  INSERT INTO core.refresh_tokens (tenant_id, id, session_id, token_hash, expires_at)
  VALUES (p_tenant, new_id, ses.id, p_new_hash, ses.expires_at);
  UPDATE core.refresh_tokens SET rotated_at = now(), replaced_by = new_id WHERE tenant_id = p_tenant AND id = tok.id;
  UPDATE core.sessions SET last_seen_at = now() WHERE tenant_id = p_tenant AND id = ses.id;
  SELECT * INTO rb FROM core.auth_roles_and_branches(p_tenant, ses.user_id);
  RETURN QUERY SELECT 'ok'::text, ses.id, ses.user_id, rb.roles, rb.branches, rb.grants, ses.amr;
END
$$;
COMMENT ON FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval) IS 'Auth: rotates a refresh token (ok | reused within grace | revoked: reuse after grace revokes the session | invalid). Row locks make concurrent refreshes of one token yield exactly one ok. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval) TO cimiento_api;

CREATE OR REPLACE FUNCTION hooks.pre_request() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
BEGIN
  IF claims IS NULL OR coalesce(claims ->> 'role', 'anon') = 'anon' THEN
    RETURN;
  END IF;
  IF length(current_setting('request.jwt.claims', true)) > 4096
     OR jsonb_typeof(claims -> 'exp') IS DISTINCT FROM 'number' OR jsonb_typeof(claims -> 'iat') IS DISTINCT FROM 'number'
     OR (claims ? 'nbf' AND jsonb_typeof(claims -> 'nbf') IS DISTINCT FROM 'number')
     OR claims ->> 'iss' IS DISTINCT FROM 'cimiento' OR claims -> 'aud' IS NULL OR claims ->> 'sid' IS NULL OR claims ->> 'sub' IS NULL
     OR claims ->> 'tid' IS NULL OR (claims ->> 'iat')::numeric > extract(epoch FROM now()) + 60 THEN
    RAISE EXCEPTION 'malformed token' USING ERRCODE = 'PT401', HINT = 'sign in again';
  END IF;
  IF NOT core.auth_session_active(cimiento.current_tenant(), cimiento.current_session(), cimiento.current_user_id()) THEN
    RAISE EXCEPTION 'session revoked or expired' USING ERRCODE = 'PT401', HINT = 'sign in again';
  END IF;
END
$$;
COMMENT ON FUNCTION hooks.pre_request() IS 'PostgREST db-pre-request: refuses (401) a signed-in request whose claims are malformed (including a missing aud: PostgREST checks a present one against jwt-aud but lets a token without one through) or whose session is revoked/expired or whose user or tenant is deactivated. One indexed lookup per request.';
GRANT EXECUTE ON FUNCTION hooks.pre_request() TO anon, app_user;

-- The branch of a row the caller may act on with a permission: 404 (PT404) if it does not
-- exist in the tenant, 403 (42501) if the permission does not hold in its branch.
CREATE FUNCTION academy.require_branch(p_kind text, p_id uuid, p_permission text) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  b uuid := academy.require_branch(p_kind, p_id);
BEGIN
  IF NOT cimiento.has_permission(p_permission, b) THEN
    RAISE EXCEPTION 'permission denied: % is required in the branch of this %', p_permission, p_kind
      USING ERRCODE = '42501', HINT = format('ask a tenant admin for a role that grants %s in that branch', p_permission);
  END IF;
  RETURN b;
END
$$;
COMMENT ON FUNCTION academy.require_branch(text, uuid, text) IS 'The branch of a row the caller may act on with a permission: 404 (PT404) if it does not exist in the tenant, 403 (42501) unless a grant of the caller gives the permission in that branch.';
GRANT EXECUTE ON FUNCTION academy.require_branch(text, uuid, text) TO app_user;

-- Free-text fields of a document, bounded (400 naming the field).
CREATE FUNCTION billing.check_text_lengths(p_fields jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  f record;
  max_len int;
BEGIN
  FOR f IN SELECT key, value FROM jsonb_each_text(p_fields) WHERE value IS NOT NULL LOOP
    max_len := CASE f.key WHEN 'customer_name' THEN 200 WHEN 'customer_tax_id' THEN 32 WHEN 'customer_address' THEN 500
                          WHEN 'customer_email' THEN 254 WHEN 'reason' THEN 500 WHEN 'notes' THEN 2000 ELSE 500 END;
    IF length(f.value) > max_len THEN
      RAISE EXCEPTION '% is too long: at most % characters', f.key, max_len USING ERRCODE = '22001';
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION billing.check_text_lengths(jsonb) IS 'Refuses (22001 → 400, naming the field) a document''s free-text field longer than its bound: customer_name 200, customer_tax_id 32, customer_address 500, customer_email 254, reason 500, notes 2000.';
GRANT EXECUTE ON FUNCTION billing.check_text_lengths(jsonb) TO app_user;

CREATE OR REPLACE FUNCTION api.create_course(
  branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date,
  description text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  c academy.courses%ROWTYPE;
BEGIN
  PERFORM cimiento.require_permission('courses.create');
  PERFORM academy.require_branch('branch', branch_id, 'courses.create');
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

CREATE OR REPLACE FUNCTION api.register_student(
  branch_id uuid, document_id text, first_name text, last_name text, email text DEFAULT NULL, phone text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  s academy.students%ROWTYPE;
  doc text := upper(regexp_replace(coalesce(document_id, ''), '[[:space:].]', '', 'g'));
BEGIN
  PERFORM cimiento.require_permission('students.create');
  PERFORM academy.require_branch('branch', branch_id, 'students.create');
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

CREATE OR REPLACE FUNCTION api.enroll_student(
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
  PERFORM academy.require_branch('course', course_id, 'enrollments.create');
  -- The student too must be one the caller may enroll: existing is not enough.
  PERFORM academy.require_branch('student', student_id, 'enrollments.create');
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
  'Enrolls a student in an open course (enrollments.create in the branches of both the course and the student), checking capacity; the financial status is created with it (due on the course start unless due_date). 400, 403 branch, 404 unknown student/course, 409 full, closed or duplicate.';
GRANT EXECUTE ON FUNCTION api.enroll_student(uuid, uuid, numeric, numeric, date) TO app_user;

CREATE OR REPLACE FUNCTION api.register_payment(
  enrollment_id uuid, amount numeric, method text, reference text DEFAULT NULL, notes text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  b uuid;
  p academy.payments%ROWTYPE;
BEGIN
  PERFORM cimiento.require_permission('payments.create');
  b := academy.require_branch('enrollment', enrollment_id, 'payments.create');
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

CREATE OR REPLACE FUNCTION api.record_attendance(course_id uuid, date date, records jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  b uuid;
  r jsonb;
  n int := 0;
BEGIN
  PERFORM cimiento.require_permission('attendance.record');
  b := academy.require_branch('course', course_id, 'attendance.record');
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

CREATE OR REPLACE FUNCTION api.issue_enrollment_invoice(
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
  b := academy.require_branch('enrollment', enrollment_id, 'invoices.issue');
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

CREATE OR REPLACE FUNCTION api.issue_invoice(
  series_code      text,
  lines            jsonb,
  customer_name    text DEFAULT NULL,
  customer_tax_id  text DEFAULT NULL,
  customer_address text DEFAULT NULL,
  customer_email   text DEFAULT NULL,
  student_id       uuid DEFAULT NULL,
  customer_id      uuid DEFAULT NULL,
  issue_date       date DEFAULT NULL,
  currency         text DEFAULT NULL,
  notes            text DEFAULT NULL,
  idempotency_key  text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  v_branch uuid;
  v_active boolean;
  v_id uuid := gen_random_uuid();
  v_hash text;
  v_prior jsonb;
  v_currency text;
BEGIN
  PERFORM cimiento.require_permission('invoices.issue');
  PERFORM billing.check_lines(lines);
  PERFORM billing.check_text_lengths(jsonb_build_object('customer_name', customer_name, 'customer_tax_id', customer_tax_id,
    'customer_address', customer_address, 'customer_email', customer_email, 'notes', notes));
  IF issue_date > current_date THEN
    RAISE EXCEPTION 'issue_date % is in the future', issue_date USING ERRCODE = '22008';
  END IF;
  IF customer_name IS NULL OR btrim(customer_name) = '' THEN
    RAISE EXCEPTION 'customer_name is required' USING ERRCODE = '22023';
  END IF;
  v_hash := md5(jsonb_build_array(series_code, lines, customer_name, customer_tax_id, customer_address,
                                  customer_email, student_id, customer_id, issue_date, currency, notes)::text);
  v_prior := billing.idempotent_replay(idempotency_key, v_hash);
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;

  v_branch := billing.series_branch(series_code, 'invoice');
  IF v_branch IS NULL THEN
    RAISE EXCEPTION 'no invoice series %', series_code USING ERRCODE = 'PT404',
      HINT = 'create it with POST /invoice_series';
  END IF;
  IF NOT cimiento.has_permission('invoices.issue', v_branch) THEN
    RAISE EXCEPTION 'you cannot issue invoices in the branch of series %', series_code USING ERRCODE = '42501';
  END IF;
  SELECT s.active INTO v_active FROM billing.invoice_series s
   WHERE s.code = series_code AND s.kind = 'invoice' ORDER BY s.fiscal_year DESC LIMIT 1;
  IF NOT v_active THEN
    RAISE EXCEPTION 'invoice series % is closed', series_code USING ERRCODE = 'PT409';
  END IF;
  v_currency := coalesce(currency, (SELECT t.currency FROM core.tenants t WHERE t.id = cimiento.current_tenant()));

  v_prior := billing.insert_draft(jsonb_build_object(
    'id', v_id, 'branch_id', v_branch, 'kind', 'invoice', 'series_code', series_code, 'issue_date', issue_date,
    'currency', v_currency, 'customer_name', customer_name, 'customer_tax_id', customer_tax_id,
    'customer_address', customer_address, 'customer_email', customer_email, 'student_id', student_id,
    'customer_id', customer_id, 'notes', notes, 'idempotency_key', idempotency_key, 'request_hash', v_hash));
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;
  INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
  SELECT v_id, l.n, v_branch, btrim(l.v ->> 'description'), (l.v ->> 'quantity')::numeric, (l.v ->> 'unit_price')::numeric,
         coalesce((l.v ->> 'tax_rate')::numeric, 21)
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, n);
  UPDATE billing.invoices SET status = 'issued' WHERE id = v_id;
  PERFORM billing.number_now();
  RETURN billing.document_json(cimiento.current_tenant(), v_id);
END
$$;
COMMENT ON FUNCTION api.issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) IS
$$Issues an invoice in one call: creates it from lines [{description, quantity, unit_price, tax_rate (default 21)}], computes totals and gives it the next gapless number of the series for its fiscal year. With idempotency_key a retried call returns the first invoice instead of issuing twice. Needs invoices.issue and access to the series' branch. Errors: 400 bad lines or missing customer, 403 permission/branch, 404 unknown series, 409 closed series or key reused for another request.$$;
GRANT EXECUTE ON FUNCTION api.issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text) TO app_user;

CREATE OR REPLACE FUNCTION api.issue_credit_note(
  invoice_id      uuid,
  reason          text,
  lines           jsonb DEFAULT NULL,
  series_code     text DEFAULT NULL,
  issue_date      date DEFAULT NULL,
  idempotency_key text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  orig billing.invoices%ROWTYPE;
  v_id uuid := gen_random_uuid();
  v_hash text;
  v_prior jsonb;
  v_series text;
  v_req jsonb;
  l record;
  n int := 0;
  left_qty numeric;
BEGIN
  PERFORM cimiento.require_permission('credit_notes.issue');
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reason is required: a credit note states why it corrects the invoice' USING ERRCODE = '22023';
  END IF;
  IF lines IS NOT NULL AND (jsonb_typeof(lines) <> 'array' OR jsonb_array_length(lines) = 0) THEN
    RAISE EXCEPTION 'lines must be a non-empty array of {line_no, quantity}, or omitted to credit everything left'
      USING ERRCODE = '22023';
  END IF;
  PERFORM billing.check_text_lengths(jsonb_build_object('reason', reason));
  IF lines IS NOT NULL AND (SELECT count(*) <> count(DISTINCT r.v -> 'line_no') FROM jsonb_array_elements(lines) AS r(v)) THEN
    RAISE EXCEPTION 'each line_no may appear only once in lines' USING ERRCODE = '22023';
  END IF;
  IF issue_date > current_date THEN
    RAISE EXCEPTION 'issue_date % is in the future', issue_date USING ERRCODE = '22008';
  END IF;
  v_hash := md5(jsonb_build_array(invoice_id, reason, lines, series_code, issue_date)::text);
  v_prior := billing.idempotent_replay(idempotency_key, v_hash);
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;

  -- Lock the invoice: concurrent credit notes on it are serialised, so they can't over-credit.
  SELECT * INTO orig FROM billing.invoices i WHERE i.id = invoice_id AND i.kind = 'invoice' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'invoice % not found', invoice_id USING ERRCODE = 'PT404';
  END IF;
  IF NOT cimiento.has_permission('credit_notes.issue', orig.branch_id) THEN
    RAISE EXCEPTION 'you cannot credit invoices of another branch' USING ERRCODE = '42501';
  END IF;
  IF orig.status = 'draft' THEN
    RAISE EXCEPTION 'invoice % is a draft: change or delete it instead of crediting it', invoice_id USING ERRCODE = 'PT409';
  ELSIF orig.status = 'cancelled' THEN
    RAISE EXCEPTION 'invoice % is already fully credited', orig.number_display USING ERRCODE = 'PT409';
  END IF;

  v_series := coalesce(series_code,
    (SELECT s.code FROM billing.invoice_series s
      WHERE s.kind = 'credit_note' AND s.branch_id = orig.branch_id AND s.active
      ORDER BY s.fiscal_year DESC, s.code LIMIT 1));
  IF v_series IS NULL OR billing.series_branch(v_series, 'credit_note') IS NULL THEN
    RAISE EXCEPTION 'no credit note series for the branch of invoice %', orig.number_display USING ERRCODE = 'PT404',
      HINT = 'create one with POST /invoice_series and kind credit_note';
  END IF;
  IF billing.series_branch(v_series, 'credit_note') IS DISTINCT FROM orig.branch_id THEN
    RAISE EXCEPTION 'credit note series % does not belong to the branch of invoice %', v_series, orig.number_display
      USING ERRCODE = '22023', HINT = 'use a credit note series of the invoice''s branch';
  END IF;

  -- What to credit: the given lines, or everything left.
  IF lines IS NULL THEN
    v_req := (SELECT jsonb_agg(jsonb_build_object('line_no', r.line_no, 'quantity', r.left_qty) ORDER BY r.line_no)
                FROM (SELECT i.line_no, i.quantity - billing.credited_quantity(orig.tenant_id, orig.id, i.line_no, NULL) AS left_qty
                        FROM billing.invoice_items i WHERE i.tenant_id = orig.tenant_id AND i.invoice_id = orig.id) r
               WHERE r.left_qty > 0);
    IF v_req IS NULL THEN
      RAISE EXCEPTION 'invoice % has nothing left to credit', orig.number_display USING ERRCODE = 'PT409';
    END IF;
  ELSE
    v_req := lines;
  END IF;

  v_prior := billing.insert_draft(jsonb_build_object(
    'id', v_id, 'branch_id', orig.branch_id, 'kind', 'credit_note', 'series_code', v_series, 'issue_date', issue_date,
    'currency', orig.currency, 'customer_name', orig.customer_name, 'customer_tax_id', orig.customer_tax_id,
    'customer_address', orig.customer_address, 'customer_email', orig.customer_email, 'student_id', orig.student_id,
    'customer_id', orig.customer_id, 'corrects_invoice_id', orig.id, 'reason', reason,
    'idempotency_key', idempotency_key, 'request_hash', v_hash));
  IF v_prior IS NOT NULL THEN
    RETURN v_prior;
  END IF;

  FOR l IN SELECT r.v AS req, oi.* FROM jsonb_array_elements(v_req) AS r(v)
             LEFT JOIN billing.invoice_items oi
               ON oi.tenant_id = orig.tenant_id AND oi.invoice_id = orig.id
              AND jsonb_typeof(r.v -> 'line_no') = 'number' AND oi.line_no = (r.v ->> 'line_no')::int
  LOOP
    n := n + 1;
    IF l.line_no IS NULL THEN
      RAISE EXCEPTION 'lines[%]: invoice % has no line %', n, orig.number_display, l.req -> 'line_no' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l.req -> 'quantity') IS DISTINCT FROM 'number' OR (l.req ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION 'lines[%].quantity must be a number greater than 0', n USING ERRCODE = '22023';
    END IF;
    left_qty := l.quantity - billing.credited_quantity(orig.tenant_id, orig.id, l.line_no, v_id);
    IF (l.req ->> 'quantity')::numeric > left_qty THEN
      RAISE EXCEPTION 'line % of invoice %: % left to credit, % requested', l.line_no, orig.number_display,
        left_qty, (l.req ->> 'quantity')::numeric USING ERRCODE = 'PT409';
    END IF;
    INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate, corrects_line_no)
    VALUES (v_id, n, orig.branch_id, l.description, (l.req ->> 'quantity')::numeric, l.unit_price, l.tax_rate, l.line_no);
  END LOOP;

  UPDATE billing.invoices SET status = 'issued' WHERE id = v_id;
  IF (SELECT total FROM billing.invoices WHERE id = v_id) > billing.creditable_amount(orig.tenant_id, orig.id)
                                                           + (SELECT total FROM billing.invoices WHERE id = v_id) THEN
    RAISE EXCEPTION 'credit note exceeds what remains creditable on invoice %', orig.number_display USING ERRCODE = 'PT409';
  END IF;
  PERFORM billing.number_now();
  RETURN billing.document_json(orig.tenant_id, v_id);
END
$$;
COMMENT ON FUNCTION api.issue_credit_note(uuid, text, jsonb, text, date, text) IS
$$Issues a credit note (factura rectificativa) correcting an issued invoice: lines [{line_no, quantity}] of the invoice, or omitted to credit everything left. It has its own gapless series (default: the branch's credit-note series). Never credits more than remains; an invoice fully credited becomes cancelled. With idempotency_key a retry returns the first credit note. Needs credit_notes.issue. Errors: 400 bad input, 403 permission/branch, 404 unknown invoice or series, 409 draft/cancelled invoice or over-credit.$$;
GRANT EXECUTE ON FUNCTION api.issue_credit_note(uuid, text, jsonb, text, date, text) TO app_user;

-- A role carries its permissions wherever it is granted: nobody grants (or widens) a role
-- whose permissions they do not hold themselves in that branch (everywhere for a
-- tenant-wide grant), and nobody changes what a built-in role grants or grants a
-- permission they lack. Applies to API callers (app_user); the migration owner seeds.
CREATE FUNCTION core.user_roles_no_escalation() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  missing text;
  role_name text;
BEGIN
  IF current_user <> 'app_user' THEN
    RETURN NEW;
  END IF;
  SELECT r.name INTO role_name FROM core.roles r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.role_id;
  SELECT rp.permission INTO missing
    FROM core.role_permissions rp
   WHERE rp.tenant_id = NEW.tenant_id AND rp.role_id = NEW.role_id
     AND NOT cimiento.has_permission(rp.permission, NEW.branch_id)
   LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'you cannot grant role %: it carries % which you do not hold %', role_name, missing,
        CASE WHEN NEW.branch_id IS NULL THEN 'in every branch' ELSE 'in that branch' END
      USING ERRCODE = '42501', HINT = 'only someone who holds every permission of a role may grant it';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION core.user_roles_no_escalation() IS 'Trigger: an API caller may grant a role (in a branch, or everywhere) only if they hold every permission it carries there (42501).';
REVOKE ALL ON FUNCTION core.user_roles_no_escalation() FROM PUBLIC;
CREATE TRIGGER user_roles_no_escalation BEFORE INSERT OR UPDATE ON core.user_roles
  FOR EACH ROW EXECUTE FUNCTION core.user_roles_no_escalation();

CREATE FUNCTION core.role_permissions_no_escalation() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r record := CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF current_user <> 'app_user' THEN
    RETURN r;
  END IF;
  IF EXISTS (SELECT 1 FROM core.roles ro WHERE ro.tenant_id = r.tenant_id AND ro.id = r.role_id AND ro.builtin) THEN
    RAISE EXCEPTION 'built-in roles cannot be changed' USING ERRCODE = '42501',
      HINT = 'create a tenant role with the permissions you need';
  END IF;
  IF TG_OP = 'INSERT' AND NOT cimiento.has_permission(NEW.permission, NULL) THEN
    RAISE EXCEPTION 'you cannot grant % to a role: you do not hold it in every branch', NEW.permission
      USING ERRCODE = '42501';
  END IF;
  RETURN r;
END
$$;
COMMENT ON FUNCTION core.role_permissions_no_escalation() IS 'Trigger: API callers may not change what a built-in role grants, nor add to a role a permission they do not hold tenant-wide (42501).';
REVOKE ALL ON FUNCTION core.role_permissions_no_escalation() FROM PUBLIC;
CREATE TRIGGER role_permissions_no_escalation BEFORE INSERT OR DELETE ON core.role_permissions
  FOR EACH ROW EXECUTE FUNCTION core.role_permissions_no_escalation();

-- One's own e-mail is where password resets go: changing it needs the password again,
-- which only the api asks for (core.auth_change_email).
CREATE FUNCTION core.users_own_email() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_user = 'app_user' AND NEW.email IS DISTINCT FROM OLD.email AND OLD.id = cimiento.current_user_id() THEN
    RAISE EXCEPTION 'changing your own e-mail needs your password' USING ERRCODE = '42501',
      HINT = 'use POST /auth/email on the api with your current password';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION core.users_own_email() IS 'Trigger: an API caller cannot change their own e-mail directly (42501): the api does it after checking the password.';
REVOKE ALL ON FUNCTION core.users_own_email() FROM PUBLIC;
CREATE TRIGGER users_own_email BEFORE UPDATE OF email ON core.users
  FOR EACH ROW EXECUTE FUNCTION core.users_own_email();

CREATE FUNCTION core.auth_change_email(p_tenant uuid, p_user uuid, p_email text) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH hit AS (UPDATE core.users SET email = btrim(p_email) WHERE tenant_id = p_tenant AND id = p_user RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;
COMMENT ON FUNCTION core.auth_change_email(uuid, uuid, text) IS 'Auth: changes a user''s e-mail after the api checked their password. 23505 taken, 23514 malformed. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_change_email(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_change_email(uuid, uuid, text) TO cimiento_api;

-- ---------------------------------------------------------------------------------------
-- Immutability for every login
-- ---------------------------------------------------------------------------------------
-- Issued documents: nobody changes or deletes them; the numbering (cimiento_numbering) only
-- fills the numbering columns of an unnumbered one, or cancels a fully credited invoice.
-- An AFTER trigger, so it sees the row exactly as it would be stored.
DROP TRIGGER invoices_guard_issued ON billing.invoices;
CREATE OR REPLACE FUNCTION billing.invoices_guard_issued() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  numbering_columns text[] := '{series_id,number,fiscal_year,issued_at,number_display,status}';
BEGIN
  IF OLD.status <> 'draft' THEN
    IF TG_OP = 'UPDATE' AND current_user = 'cimiento_numbering'
       AND to_jsonb(NEW) - numbering_columns = to_jsonb(OLD) - numbering_columns
       AND (OLD.number IS NULL OR (NEW.number = OLD.number AND NEW.series_id = OLD.series_id
                                   AND NEW.number_display = OLD.number_display AND NEW.issued_at = OLD.issued_at
                                   AND NEW.fiscal_year = OLD.fiscal_year))
       AND (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'cancelled')) THEN
      RETURN NULL;
    END IF;
    RAISE EXCEPTION '% % is % and cannot be changed',
        CASE OLD.kind WHEN 'invoice' THEN 'invoice' ELSE 'credit note' END,
        coalesce(OLD.number_display, OLD.id::text), OLD.status
      USING ERRCODE = 'PT409',
            HINT = 'issued documents are immutable; correct an invoice with a credit note (api.issue_credit_note)';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.tenant_id <> OLD.tenant_id OR NEW.id <> OLD.id OR NEW.kind <> OLD.kind
                           OR NEW.branch_id <> OLD.branch_id) THEN
    RAISE EXCEPTION 'tenant, id, kind and branch of a document cannot change' USING ERRCODE = '22023';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION billing.invoices_guard_issued() IS 'Trigger (AFTER, protected): refuses any change or deletion of an issued or cancelled document (PT409 → HTTP 409) by every role; cimiento_numbering may only number an unnumbered document or cancel a fully credited invoice.';
CREATE TRIGGER invoices_guard_issued AFTER UPDATE OR DELETE ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION billing.invoices_guard_issued();

CREATE OR REPLACE FUNCTION billing.invoice_items_guard_issued() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  doc record;
  t uuid := CASE TG_OP WHEN 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  inv uuid := CASE TG_OP WHEN 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
BEGIN
  SELECT status, branch_id, number_display, kind INTO doc FROM billing.invoices WHERE tenant_id = t AND id = inv;
  IF doc.status IS NOT NULL AND doc.status <> 'draft' THEN
    RAISE EXCEPTION 'the lines of % % cannot be changed: it is %',
        CASE doc.kind WHEN 'invoice' THEN 'invoice' ELSE 'credit note' END, coalesce(doc.number_display, inv::text), doc.status
      USING ERRCODE = 'PT409', HINT = 'issued documents are immutable; correct an invoice with a credit note';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  NEW.branch_id := coalesce(doc.branch_id, NEW.branch_id);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION billing.invoice_items_guard_issued() IS 'Trigger (protected): lines change only while their document is a draft, for every role; fills branch_id from the document.';

-- Immutable records (payments, stored documents): no role is exempt any more.
CREATE OR REPLACE FUNCTION core.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '%', coalesce(TG_ARGV[0], TG_TABLE_NAME || ' rows cannot be changed or deleted') USING ERRCODE = 'PT409',
    HINT = 'record a correcting operation (e.g. a credit note) instead';
END
$$;
COMMENT ON FUNCTION core.refuse_change() IS 'Trigger (protected): refuses UPDATE, DELETE and TRUNCATE (409, message = trigger argument) to every role. For immutable records.';

CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON billing.invoices
  FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('invoices cannot be truncated: issued documents are immutable');
CREATE TRIGGER invoice_items_no_truncate BEFORE TRUNCATE ON billing.invoice_items
  FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('invoice lines cannot be truncated: issued documents are immutable');
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON academy.payments
  FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('payments cannot be truncated');
CREATE TRIGGER invoice_documents_no_truncate BEFORE TRUNCATE ON billing.invoice_documents
  FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('stored documents cannot be truncated');

-- Numbering acts as cimiento_numbering: it reads the documents and writes only numbers.
GRANT USAGE ON SCHEMA billing TO cimiento_numbering;
GRANT SELECT, INSERT ON billing.invoice_series TO cimiento_numbering;
GRANT UPDATE (next_number, last_issue_date) ON billing.invoice_series TO cimiento_numbering;
GRANT SELECT ON billing.invoices, billing.invoice_items TO cimiento_numbering;
GRANT UPDATE (series_id, number, fiscal_year, issued_at, number_display, status) ON billing.invoices TO cimiento_numbering;

-- From here on, only the cluster superuser may disable, drop or replace these.
SELECT cimiento.protect_trigger('billing.invoices', 'invoices_guard_issued');
SELECT cimiento.protect_trigger('billing.invoices', 'invoices_no_truncate');
SELECT cimiento.protect_trigger('billing.invoices', 'invoices_number_at_commit');
SELECT cimiento.protect_trigger('billing.invoice_items', 'invoice_items_guard_issued');
SELECT cimiento.protect_trigger('billing.invoice_items', 'invoice_items_no_truncate');
SELECT cimiento.protect_trigger('academy.payments', 'payments_immutable');
SELECT cimiento.protect_trigger('academy.payments', 'payments_no_truncate');
SELECT cimiento.protect_trigger('billing.invoice_documents', 'invoice_documents_immutable');
SELECT cimiento.protect_trigger('billing.invoice_documents', 'invoice_documents_no_truncate');
SELECT cimiento.protect_trigger('audit.log', 'log_append_only');
SELECT cimiento.protect_trigger('audit.log', 'log_no_truncate');
SELECT cimiento.protect_trigger('audit.seals', 'seals_append_only');
SELECT cimiento.protect_trigger('audit.seals', 'seals_no_truncate');
SELECT cimiento.protect_trigger(t.tgrelid::regclass, t.tgname)
  FROM pg_trigger t WHERE t.tgname IN ('cimiento_audit', 'cimiento_audit_truncate') ORDER BY t.tgrelid::regclass::text, t.tgname;

-- ---------------------------------------------------------------------------------------
-- Audit: the sealer's role and bookkeeping; the trail read per branch
-- ---------------------------------------------------------------------------------------
SET LOCAL ROLE audit_owner;
CREATE TABLE audit.sealed_txids (
  txid bigint PRIMARY KEY
);
COMMENT ON TABLE audit.sealed_txids IS 'Transactions at or above the sealer''s horizon that are already sealed (a long transaction elsewhere holds the horizon back); pruned as the horizon passes them.';
GRANT USAGE ON SCHEMA audit TO cimiento_sealer;
GRANT SELECT ON audit.log, audit.chain_base TO cimiento_sealer;
GRANT SELECT, INSERT ON audit.seals TO cimiento_sealer;
GRANT SELECT, UPDATE ON audit.sealer_state TO cimiento_sealer;
GRANT SELECT, INSERT, DELETE ON audit.sealed_txids TO cimiento_sealer;
GRANT SELECT ON audit.sealed_txids TO app_user;

DROP POLICY log_read ON audit.log;
SELECT cimiento.enable_permission_policy('audit.log', 'select', '{audit.read}');
RESET ROLE;

CREATE OR REPLACE VIEW api.audit_log WITH (security_invoker = true) AS
  SELECT l.tenant_id, l.id, l.branch_id, l.table_name, l.operation, l.row_pk, l.row_key, l.new_row, l.old_row, l.changes,
         l.actor_user, l.actor_roles, l.actor_session, l.actor_login, l.request_id, l.txid, l.created_at,
         l.txid < st.horizon OR EXISTS (SELECT 1 FROM audit.sealed_txids s WHERE s.txid = l.txid) AS sealed
    FROM audit.log l CROSS JOIN audit.sealer_state st;
COMMENT ON VIEW api.audit_log IS 'The caller''s tenant audit trail: rows of a branch need audit.read in that branch, rows without branch (users, roles, tenant) audit.read in every branch. A row''s history by row_key (audit.row_key(table_name, row_pk)), what a user did by actor_user. sealed is true once the row is in the tamper-evident chain.';

-- ---------------------------------------------------------------------------------------
-- 8. PDF rendering: a failed render is recorded with its reason and retried with backoff a
-- bounded number of times; neither downloads nor the catch-up re-render it meanwhile.
-- ---------------------------------------------------------------------------------------
CREATE TABLE billing.document_render_failures (
  tenant_id        uuid NOT NULL DEFAULT cimiento.current_tenant(),
  invoice_id       uuid NOT NULL,
  attempts         integer NOT NULL CONSTRAINT document_render_failures_attempts CHECK (attempts > 0),
  last_error       text NOT NULL,
  first_failed_at  timestamptz NOT NULL DEFAULT now(),
  last_failed_at   timestamptz NOT NULL DEFAULT now(),
  next_attempt_at  timestamptz,
  PRIMARY KEY (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id)
);
COMMENT ON TABLE billing.document_render_failures IS 'Issued documents whose PDF could not be rendered: attempts, the last reason (for operators, never shown to callers) and when the next attempt is due (NULL: gave up after billing.render_max_attempts(); a DBA retries with billing.retry_document_render). The row goes away when the PDF is stored.';
COMMENT ON COLUMN billing.document_render_failures.next_attempt_at IS 'When the api may try again (NULL: no more automatic attempts).';
SELECT cimiento.enable_tenant_isolation('billing.document_render_failures');
SELECT cimiento.enable_permission_policy('billing.document_render_failures', 'select', '{invoices.read,invoices.issue}');
GRANT SELECT ON billing.document_render_failures TO app_user;

-- The retry policy, in one place.
CREATE FUNCTION billing.render_max_attempts() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 5 $$;
COMMENT ON FUNCTION billing.render_max_attempts() IS 'How many times a document''s PDF is rendered automatically before giving up (5). Backoff between attempts: 30 s × 4^(attempt−1), at most 1 h.';
GRANT EXECUTE ON FUNCTION billing.render_max_attempts() TO cimiento_api, app_user;

CREATE FUNCTION billing.record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text)
RETURNS TABLE (attempts integer, next_attempt_at timestamptz)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO billing.document_render_failures AS f (tenant_id, invoice_id, attempts, last_error, next_attempt_at)
  SELECT i.tenant_id, i.id, 1, left(p_reason, 2000), now() + interval '30 seconds'
    FROM billing.invoices i
   WHERE i.tenant_id = p_tenant AND i.id = p_invoice AND i.number IS NOT NULL
  ON CONFLICT (tenant_id, invoice_id) DO UPDATE
     SET attempts = f.attempts + 1,
         last_error = EXCLUDED.last_error,
         last_failed_at = now(),
         next_attempt_at = CASE WHEN f.attempts + 1 >= billing.render_max_attempts() THEN NULL
                                ELSE now() + least(interval '30 seconds' * power(4, f.attempts), interval '1 hour') END
  RETURNING f.attempts, f.next_attempt_at
$$;
COMMENT ON FUNCTION billing.record_render_failure(uuid, uuid, text) IS 'Records that rendering an issued document''s PDF failed (reason kept for operators) and schedules the next attempt with backoff, or none after billing.render_max_attempts(). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION billing.record_render_failure(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.record_render_failure(uuid, uuid, text) TO cimiento_api;

-- What the api must do about a document: serve it, render it, or wait.
CREATE FUNCTION billing.document_render_state(p_tenant uuid, p_invoice uuid,
  OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.number IS NOT NULL,
         d.invoice_id IS NOT NULL,
         COALESCE(f.attempts, 0),
         i.number IS NOT NULL AND d.invoice_id IS NULL AND (f.invoice_id IS NULL OR f.next_attempt_at <= now()),
         pg_catalog.ceil(EXTRACT(epoch FROM f.next_attempt_at - now()))::integer
    FROM billing.invoices i
    LEFT JOIN billing.invoice_documents d ON d.tenant_id = i.tenant_id AND d.invoice_id = i.id
    LEFT JOIN billing.document_render_failures f ON f.tenant_id = i.tenant_id AND f.invoice_id = i.id
   WHERE i.tenant_id = p_tenant AND i.id = p_invoice
$$;
COMMENT ON FUNCTION billing.document_render_state(uuid, uuid) IS 'Whether a document is issued, its PDF stored, how many renders failed, whether a render is due now and, if one is scheduled, in how many seconds (NULL: none scheduled). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION billing.document_render_state(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.document_render_state(uuid, uuid) TO cimiento_api;

CREATE OR REPLACE FUNCTION billing.documents_to_render(p_limit integer) RETURNS TABLE (tenant_id uuid, invoice_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.tenant_id, i.id FROM billing.invoices i
   WHERE i.number IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM billing.invoice_documents d WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id)
     AND NOT EXISTS (SELECT 1 FROM billing.document_render_failures f
                      WHERE f.tenant_id = i.tenant_id AND f.invoice_id = i.id
                        AND (f.next_attempt_at IS NULL OR f.next_attempt_at > now()))
   ORDER BY i.issued_at NULLS LAST
   LIMIT least(greatest(p_limit, 0), 1000)
$$;
COMMENT ON FUNCTION billing.documents_to_render(integer) IS 'Issued documents without a stored PDF whose render is due (never failed, or their backoff elapsed), oldest first, at most 1000. SECURITY DEFINER, cimiento_api only.';

CREATE OR REPLACE FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  stored text;
BEGIN
  IF pg_catalog.encode(pg_catalog.sha256(p_content), 'hex') <> p_sha256 THEN
    RAISE EXCEPTION 'the sha256 does not match the content' USING ERRCODE = '22023';
  END IF;
  INSERT INTO billing.invoice_documents (tenant_id, invoice_id, branch_id, sha256, content, size_bytes, renderer_version)
  SELECT i.tenant_id, i.id, i.branch_id, p_sha256, p_content, pg_catalog.length(p_content), p_renderer
    FROM billing.invoices i WHERE i.tenant_id = p_tenant AND i.id = p_invoice AND i.number IS NOT NULL
  ON CONFLICT (tenant_id, invoice_id) DO NOTHING;
  SELECT d.sha256 INTO stored FROM billing.invoice_documents d WHERE d.tenant_id = p_tenant AND d.invoice_id = p_invoice;
  IF stored IS NOT NULL THEN
    DELETE FROM billing.document_render_failures f WHERE f.tenant_id = p_tenant AND f.invoice_id = p_invoice;
  END IF;
  RETURN stored;
END
$$;
COMMENT ON FUNCTION billing.store_document(uuid, uuid, text, bytea, text) IS 'Stores the PDF of an issued document if none is stored yet (clearing its recorded render failures) and returns the stored sha256 (the first render wins). SECURITY DEFINER, cimiento_api only.';

CREATE FUNCTION billing.retry_document_render(p_tenant uuid, p_invoice uuid) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH gone AS (DELETE FROM billing.document_render_failures f WHERE f.tenant_id = p_tenant AND f.invoice_id = p_invoice RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM gone)
$$;
COMMENT ON FUNCTION billing.retry_document_render(uuid, uuid) IS 'Operators: forgets a document''s render failures so the api renders it again at its next catch-up (within a minute) or download. Returns whether failures were recorded.';
REVOKE ALL ON FUNCTION billing.retry_document_render(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing.retry_document_render(uuid, uuid) TO cimiento_owner;

SELECT cimiento.enable_audit('billing.document_render_failures');
SELECT cimiento.protect_trigger('billing.document_render_failures', t.tgname)
  FROM pg_trigger t WHERE t.tgrelid = 'billing.document_render_failures'::regclass AND t.tgname IN ('cimiento_audit', 'cimiento_audit_truncate')
 ORDER BY t.tgname;
