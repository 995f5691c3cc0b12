--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: academy; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA academy;

ALTER SCHEMA academy OWNER TO cimiento_owner;

--
-- Name: SCHEMA academy; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA academy IS 'Courses, students, enrollments, financial status, payments, attendance.';

--
-- Name: api; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA api;

ALTER SCHEMA api OWNER TO cimiento_owner;

--
-- Name: SCHEMA api; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA api IS 'Cimiento REST API. The only schema PostgREST exposes: views and RPC functions.';

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: audit_owner
--

CREATE SCHEMA audit;

ALTER SCHEMA audit OWNER TO audit_owner;

--
-- Name: SCHEMA audit; Type: COMMENT; Schema: -; Owner: audit_owner
--

COMMENT ON SCHEMA audit IS 'Append-only audit trail and its SHA-256 seals. Owned by audit_owner; no API role may change it.';

--
-- Name: billing; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA billing;

ALTER SCHEMA billing OWNER TO cimiento_owner;

--
-- Name: SCHEMA billing; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA billing IS 'Invoice series, invoices, items, credit notes, stored PDF documents.';

--
-- Name: cimiento; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA cimiento;

ALTER SCHEMA cimiento OWNER TO postgres;

--
-- Name: SCHEMA cimiento; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA cimiento IS 'Cimiento engine: tenant isolation, per-branch permissions and owner scopes, gapless numbering, workflows, audit chain.';

--
-- Name: commerce; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA commerce;

ALTER SCHEMA commerce OWNER TO cimiento_owner;

--
-- Name: SCHEMA commerce; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA commerce IS 'Categories, products, customers, sales, inventory movements.';

--
-- Name: core; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA core;

ALTER SCHEMA core OWNER TO cimiento_owner;

--
-- Name: SCHEMA core; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA core IS 'Tenants, branches, users, roles, permissions, sessions, direct SQL logins.';

--
-- Name: public; Type: SCHEMA; Schema: -; Owner: postgres
--

-- *not* creating schema, since initdb creates it

ALTER SCHEMA public OWNER TO postgres;

--
-- Name: pg_cron; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA public;

--
-- Name: EXTENSION pg_cron; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_cron IS 'Job scheduler for PostgreSQL';

--
-- Name: hooks; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA hooks;

ALTER SCHEMA hooks OWNER TO cimiento_owner;

--
-- Name: SCHEMA hooks; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA hooks IS 'Functions PostgREST calls around requests (not exposed as endpoints).';

--
-- Name: imports; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA imports;

ALTER SCHEMA imports OWNER TO cimiento_owner;

--
-- Name: SCHEMA imports; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA imports IS 'Bulk imports: registered targets, batches (workflow), staged rows with their errors, lineage of what a batch created.';

--
-- Name: insurance; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA insurance;

ALTER SCHEMA insurance OWNER TO cimiento_owner;

--
-- Name: SCHEMA insurance; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA insurance IS 'Clients, coverages, policies, instalments, payments (reversals as entries), receipts, collection proposals.';

--
-- Name: meta; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA meta;

ALTER SCHEMA meta OWNER TO cimiento_owner;

--
-- Name: SCHEMA meta; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA meta IS 'Cimiento bookkeeping (migration ledger); not exposed to any API role.';

--
-- Name: reports; Type: SCHEMA; Schema: -; Owner: cimiento_owner
--

CREATE SCHEMA reports;

ALTER SCHEMA reports OWNER TO cimiento_owner;

--
-- Name: SCHEMA reports; Type: COMMENT; Schema: -; Owner: cimiento_owner
--

COMMENT ON SCHEMA reports IS 'security_invoker views for analysts; scoped by tenant and branch through RLS.';

--
-- Name: cimiento; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS cimiento WITH SCHEMA cimiento;

--
-- Name: EXTENSION cimiento; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION cimiento IS 'Cimiento: tenant isolation helpers, gapless invoice numbering, tamper-evident audit';

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

--
-- Name: EXTENSION unaccent; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';

--
-- Name: attendance_check_enrolled(); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.attendance_check_enrolled() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM academy.enrollments e
                  WHERE e.tenant_id = NEW.tenant_id AND e.course_id = NEW.course_id AND e.student_id = NEW.student_id
                    AND e.status = 'active') THEN
    RAISE EXCEPTION 'student % is not enrolled in this course', NEW.student_id USING ERRCODE = 'PT409';
  END IF;
  NEW.recorded_by := coalesce(cimiento.current_user_id(), NEW.recorded_by);
  NEW.recorded_at := now();
  RETURN NEW;
END
$$;

ALTER FUNCTION academy.attendance_check_enrolled() OWNER TO cimiento_owner;

--
-- Name: FUNCTION attendance_check_enrolled(); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.attendance_check_enrolled() IS 'Trigger: attendance only for students with an active enrollment in the course (409 otherwise).';

--
-- Name: branch_of(text, uuid); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.branch_of(p_kind text, p_id uuid) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT CASE p_kind
           WHEN 'course' THEN (SELECT branch_id FROM academy.courses WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
           WHEN 'student' THEN (SELECT branch_id FROM academy.students WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
           WHEN 'enrollment' THEN (SELECT branch_id FROM academy.enrollments WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
           WHEN 'branch' THEN (SELECT id FROM core.branches WHERE tenant_id = cimiento.current_tenant() AND id = p_id)
         END
$$;

ALTER FUNCTION academy.branch_of(p_kind text, p_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION branch_of(p_kind text, p_id uuid); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.branch_of(p_kind text, p_id uuid) IS 'Branch of a course, student, enrollment or branch id in the caller''s tenant (NULL when it does not exist). SECURITY DEFINER; tenant-scoped.';

--
-- Name: enrollment_course_is_open(jsonb); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.enrollment_course_is_open(p_row jsonb) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT EXISTS (SELECT 1 FROM academy.courses c
                  WHERE c.tenant_id = (p_row ->> 'tenant_id')::uuid AND c.id = (p_row ->> 'course_id')::uuid AND c.status = 'open')
$$;

ALTER FUNCTION academy.enrollment_course_is_open(p_row jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION enrollment_course_is_open(p_row jsonb); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.enrollment_course_is_open(p_row jsonb) IS 'Workflow guard of enrollments.reinstate: the enrollment''s course is open. SECURITY DEFINER (reads one course of the row''s own tenant).';

--
-- Name: enrollments_mark_withdrawn(); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.enrollments_mark_withdrawn() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  UPDATE academy.financial_status f SET withdrawn = (NEW.status = 'withdrawn')
   WHERE f.tenant_id = NEW.tenant_id AND f.enrollment_id = NEW.id AND f.withdrawn IS DISTINCT FROM (NEW.status = 'withdrawn');
  RETURN NULL;
END
$$;

ALTER FUNCTION academy.enrollments_mark_withdrawn() OWNER TO cimiento_owner;

--
-- Name: FUNCTION enrollments_mark_withdrawn(); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.enrollments_mark_withdrawn() IS 'Trigger (after a change of an enrollment''s status): marks its financial status withdrawn or not, in the same transaction. SECURITY DEFINER: callers cannot write the financial status.';

--
-- Name: enrollments_open_account(); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.enrollments_open_account() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO academy.financial_status (tenant_id, enrollment_id, branch_id, amount_due, status, due_date)
  VALUES (NEW.tenant_id, NEW.id, NEW.branch_id, NEW.agreed_fee - NEW.discount,
          CASE WHEN NEW.agreed_fee - NEW.discount = 0 THEN 'paid' ELSE 'pending' END,
          coalesce(nullif(current_setting('cimiento.enrollment_due_date', true), '')::date,
                   (SELECT c.starts_on FROM academy.courses c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.course_id)));
  RETURN NULL;
END
$$;

ALTER FUNCTION academy.enrollments_open_account() OWNER TO cimiento_owner;

--
-- Name: FUNCTION enrollments_open_account(); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.enrollments_open_account() IS 'Trigger: creates the financial status of a new enrollment (amount due = agreed fee - discount, due on the course start unless the enrolling call says otherwise). SECURITY DEFINER: financial_status is not writable by API roles.';

--
-- Name: mark_overdue(); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.mark_overdue() RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH marked AS (
    UPDATE academy.financial_status f
       SET status = 'overdue', updated_at = pg_catalog.now()
     WHERE f.paid < f.amount_due AND f.due_date < CURRENT_DATE AND f.status <> 'overdue'
    RETURNING 1)
  SELECT pg_catalog.count(*) FROM marked
$$;

ALTER FUNCTION academy.mark_overdue() OWNER TO cimiento_owner;

--
-- Name: FUNCTION mark_overdue(); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.mark_overdue() IS 'Scheduled job academy_overdue (nightly, 03:15 UTC): stores status overdue on every financial status of the tenant with a balance after its due date; returns how many it marked. Runs as cimiento_jobs for one tenant at a time, under RLS, holding only payments.read. VOLATILE.';

--
-- Name: payments_apply(); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.payments_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  fs academy.financial_status%ROWTYPE;
  enr_status text;
BEGIN
  SELECT * INTO fs FROM academy.financial_status
   WHERE tenant_id = NEW.tenant_id AND enrollment_id = NEW.enrollment_id FOR UPDATE;
  SELECT status INTO enr_status FROM academy.enrollments WHERE tenant_id = NEW.tenant_id AND id = NEW.enrollment_id;
  IF enr_status IS NULL OR fs.enrollment_id IS NULL THEN
    RAISE EXCEPTION 'enrollment % not found', NEW.enrollment_id USING ERRCODE = 'PT404';
  END IF;
  IF enr_status = 'withdrawn' THEN
    RAISE EXCEPTION 'the enrollment is withdrawn: payments are refused' USING ERRCODE = 'PT409';
  END IF;
  IF NEW.amount > fs.balance THEN
    RAISE EXCEPTION 'a payment of % exceeds the balance of %', NEW.amount, fs.balance USING ERRCODE = 'PT409',
      HINT = format('at most %s can be paid', fs.balance);
  END IF;
  UPDATE academy.financial_status
     SET paid = paid + NEW.amount,
         status = CASE WHEN paid + NEW.amount >= amount_due THEN 'paid' ELSE 'partial' END,
         updated_at = now()
   WHERE tenant_id = NEW.tenant_id AND enrollment_id = NEW.enrollment_id;
  RETURN NEW;
END
$$;

ALTER FUNCTION academy.payments_apply() OWNER TO cimiento_owner;

--
-- Name: FUNCTION payments_apply(); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.payments_apply() IS 'Trigger: refuses a payment for a withdrawn enrollment or above the balance (409), and updates paid and status of the financial status in the same transaction, under a row lock. SECURITY DEFINER.';

--
-- Name: require_branch(text, uuid); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.require_branch(p_kind text, p_id uuid) RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  b uuid := academy.branch_of(p_kind, p_id);
BEGIN
  IF p_id IS NULL THEN
    RAISE EXCEPTION '%_id is required', p_kind USING ERRCODE = '22023', COLUMN = p_kind || '_id';
  END IF;
  IF b IS NULL THEN
    RAISE EXCEPTION '% % not found', p_kind, p_id USING ERRCODE = 'PT404', COLUMN = p_kind || '_id';
  END IF;
  IF NOT cimiento.can_access_branch(b) THEN
    RAISE EXCEPTION 'you cannot act in the branch of this %', p_kind USING ERRCODE = '42501', COLUMN = p_kind || '_id';
  END IF;
  RETURN b;
END
$$;

ALTER FUNCTION academy.require_branch(p_kind text, p_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION require_branch(p_kind text, p_id uuid); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.require_branch(p_kind text, p_id uuid) IS 'The branch of a row the caller may act on: 404 (PT404) if it does not exist in the tenant, 403 (42501) if it is in a branch the caller cannot act in. Errors name the argument (<kind>_id).';

--
-- Name: require_branch(text, uuid, text); Type: FUNCTION; Schema: academy; Owner: cimiento_owner
--

CREATE FUNCTION academy.require_branch(p_kind text, p_id uuid, p_permission text) RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  b uuid := academy.require_branch(p_kind, p_id);
BEGIN
  IF NOT cimiento.has_permission(p_permission, b) THEN
    RAISE EXCEPTION 'permission denied: % is required in the branch of this %', p_permission, p_kind
      USING ERRCODE = '42501', COLUMN = p_kind || '_id',
            HINT = format('ask a tenant admin for a role that grants %s in that branch', p_permission);
  END IF;
  RETURN b;
END
$$;

ALTER FUNCTION academy.require_branch(p_kind text, p_id uuid, p_permission text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION require_branch(p_kind text, p_id uuid, p_permission text); Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON FUNCTION academy.require_branch(p_kind text, p_id uuid, p_permission text) IS 'The branch of a row the caller may act on with a permission: 404 (PT404) if it does not exist in the tenant, 403 (42501) unless a grant of the caller gives the permission in that branch. Errors name the argument (<kind>_id).';

--
-- Name: adjust_stock(uuid, uuid, numeric, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_location commerce.locations;
  v_id uuid := gen_random_uuid();
BEGIN
  PERFORM cimiento.require_permission('inventory.adjust');
  v_location := commerce.require_location(location_id, 'inventory.adjust');
  IF quantity IS NULL OR quantity = 0 OR quantity <> round(quantity, 3) THEN
    RAISE EXCEPTION 'quantity must be a non-zero number (positive adds, negative removes) with at most 3 decimals' USING ERRCODE = '22023';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reason is required for an adjustment (count, breakage, loss…)' USING ERRCODE = '22023';
  END IF;
  IF length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  IF product_id IS NULL OR NOT EXISTS (SELECT 1 FROM commerce.products p WHERE p.id = product_id) THEN
    RAISE EXCEPTION 'product % not found', product_id USING ERRCODE = 'PT404';
  END IF;
  INSERT INTO commerce.inventory_movements (id, branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, reason)
  VALUES (v_id, v_location.branch_id, v_location.id, product_id, 'adjustment', quantity,
          coalesce((SELECT c.average_cost FROM commerce.product_costs c WHERE c.product_id = product_id), 0), 'adjustment', btrim(reason));
  RETURN (SELECT to_jsonb(m) FROM commerce.inventory_movements m WHERE m.id = v_id)
         || jsonb_build_object('stock', (SELECT s.quantity FROM commerce.stock_levels s
                                          WHERE s.product_id = product_id AND s.location_id = v_location.id));
END
$$;

ALTER FUNCTION api.adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text) IS 'Corrects the stock of a product at a location (a count, breakage, loss) with a new adjustment movement at the average cost: quantity positive adds, negative removes (never below zero unless the product allows backorder). A reason is required. Returns the movement and the new stock. Needs inventory.adjust in the location''s branch. Errors: 400 bad quantity or missing reason, 403, 404 unknown location or product, 409 stock short.';

--
-- Name: allowed_transitions(text, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.allowed_transitions(entity text, id text) RETURNS TABLE(transition text, from_state text, to_state text, reason_required boolean)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT * FROM cimiento.allowed_transitions(entity, id)
$$;

ALTER FUNCTION api.allowed_transitions(entity text, id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION allowed_transitions(entity text, id text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.allowed_transitions(entity text, id text) IS 'The transitions the caller may take now on a row of a workflow entity (enrollments, courses): transition, from_state, to_state, reason_required — to draw the buttons. 404 unknown entity or row.';

--
-- Name: approve_proposal(uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.approve_proposal(id uuid) RETURNS jsonb
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT insurance.decide_proposal(id, 'approved', NULL)
$$;

ALTER FUNCTION api.approve_proposal(id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION approve_proposal(id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.approve_proposal(id uuid) IS 'Approves a pending or under-review proposal (proposals.approve in its branch; 403 otherwise, also for a role that requires a second factor signed in without one): its payment is applied and its receipt used in this transaction. Approving it again → 409, so two managers at once make one payment. Returns the proposal. VOLATILE.';

--
-- Name: assign_receipts(uuid, text[]); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.assign_receipts(collector_id uuid, numbers text[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_n int;
BEGIN
  IF numbers IS NULL OR cardinality(numbers) = 0 OR cardinality(numbers) > 1000 THEN
    RAISE EXCEPTION 'give 1 to 1000 receipt numbers' USING ERRCODE = '22023';
  END IF;
  UPDATE insurance.receipts r SET status = 'assigned', collector_id = collector_id
   WHERE r.number = ANY (numbers) AND r.status = 'available';
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n <> (SELECT count(DISTINCT x) FROM unnest(numbers) x) THEN
    RAISE EXCEPTION 'only % of the % receipts are available to assign', v_n, cardinality(numbers) USING ERRCODE = 'PT409',
      HINT = 'see /collection_receipts?status=eq.available';
  END IF;
  RETURN v_n;
END
$$;

ALTER FUNCTION api.assign_receipts(collector_id uuid, numbers text[]) OWNER TO cimiento_owner;

--
-- Name: FUNCTION assign_receipts(collector_id uuid, numbers text[]); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.assign_receipts(collector_id uuid, numbers text[]) IS 'Assigns available receipts (by number) to a collector (receipts.manage in their branch), all or none: 409 when one is not available or the collector would hold more than receipts_per_collector. Returns how many. VOLATILE.';

--
-- Name: cancel_import(uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.cancel_import(batch_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
BEGIN
  IF v_batch.status NOT IN ('uploaded', 'validating', 'validated') THEN
    RAISE EXCEPTION 'the batch is % and can no longer be cancelled', v_batch.status USING ERRCODE = 'PT409',
      HINT = 'a batch is cancelled before its promotion starts';
  END IF;
  UPDATE imports.batches b SET status = 'cancelled', finished_at = now(), lease_until = NULL
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;

ALTER FUNCTION api.cancel_import(batch_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION cancel_import(batch_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.cancel_import(batch_id uuid) IS 'Cancels the caller''s batch before its promotion starts (validation under way stops at its next chunk). Errors: 403, 404, 409 promoting or finished.';

--
-- Name: create_course(uuid, text, text, numeric, integer, date, date, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.create_course(branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date, description text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION api.create_course(branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date, description text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION create_course(branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date, description text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.create_course(branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date, description text) IS 'Creates a course in a branch (courses.create). 400 bad input, 403 permission or branch, 404 unknown branch, 409 code taken.';

--
-- Name: create_import(text, text, text[], jsonb, text, text, text, text, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.create_import(target text, file_name text, headers text[], mapping jsonb DEFAULT NULL::jsonb, mode text DEFAULT 'insert'::text, format text DEFAULT 'json'::text, encoding text DEFAULT NULL::text, delimiter text DEFAULT NULL::text, sheet text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_target imports.targets;
  v_mapping jsonb;
  v_unknown text;
  v_missing text;
  v_id uuid;
BEGIN
  PERFORM cimiento.require_permission('imports.create');
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = target;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown import target %', target USING ERRCODE = '22023', HINT = 'see /import_targets';
  END IF;
  PERFORM cimiento.require_permission(v_target.permission);
  IF headers IS NULL OR cardinality(headers) = 0 THEN
    RAISE EXCEPTION 'the file has no header row' USING ERRCODE = '22023', HINT = 'the first row names the columns';
  END IF;
  IF (SELECT count(DISTINCT h) FROM unnest(headers) h) <> cardinality(headers) OR EXISTS (SELECT 1 FROM unnest(headers) h WHERE coalesce(btrim(h), '') = '') THEN
    RAISE EXCEPTION 'every column needs a distinct, non-empty header' USING ERRCODE = '22023', HINT = 'rename the repeated or empty headers';
  END IF;
  IF mode NOT IN ('insert', 'upsert') THEN
    RAISE EXCEPTION 'mode must be insert or upsert' USING ERRCODE = '22023', HINT = 'insert creates rows; upsert updates by natural key';
  END IF;
  IF mode = 'upsert' AND v_target.update_function IS NULL THEN
    RAISE EXCEPTION 'target % only creates rows', target USING ERRCODE = '22023', HINT = 'use mode insert';
  END IF;
  v_mapping := coalesce(mapping, imports.suggest_mapping(target, headers));
  IF jsonb_typeof(v_mapping) <> 'object' THEN
    RAISE EXCEPTION 'mapping must be an object {header: column}' USING ERRCODE = '22023', HINT = 'see /import_targets for the columns';
  END IF;
  SELECT string_agg(m.key || ' → ' || m.value, ', ') INTO v_unknown FROM jsonb_each_text(v_mapping) m
   WHERE NOT m.key = ANY (headers)
      OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_target.columns) c WHERE c ->> 'name' = m.value);
  IF v_unknown IS NOT NULL THEN
    RAISE EXCEPTION 'the mapping names a header the file lacks or a column the target lacks: %', v_unknown
      USING ERRCODE = '22023', HINT = 'map each header to a column of /import_targets';
  END IF;
  IF (SELECT count(*) FROM jsonb_each_text(v_mapping)) <> (SELECT count(DISTINCT value) FROM jsonb_each_text(v_mapping)) THEN
    RAISE EXCEPTION 'two headers are mapped to the same column' USING ERRCODE = '22023', HINT = 'map each column once';
  END IF;
  SELECT string_agg(c ->> 'name', ', ') INTO v_missing FROM jsonb_array_elements(v_target.columns) c
   WHERE ((c ->> 'required')::boolean AND mode = 'insert' OR c ->> 'name' = ANY (v_target.natural_key))
     AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(v_mapping) m WHERE m.value = c ->> 'name');
  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION 'no header is mapped to the required column(s) %', v_missing
      USING ERRCODE = '22023', HINT = 'add the column to the file or pass a mapping';
  END IF;
  INSERT INTO imports.batches (target, mode, file_name, format, encoding, delimiter, sheet, headers, mapping)
  VALUES (target, mode, file_name, format, encoding, delimiter, sheet, headers, v_mapping)
  RETURNING id INTO v_id;
  PERFORM imports.keep_identity(v_id);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = v_id);
END
$$;

ALTER FUNCTION api.create_import(target text, file_name text, headers text[], mapping jsonb, mode text, format text, encoding text, delimiter text, sheet text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION create_import(target text, file_name text, headers text[], mapping jsonb, mode text, format text, encoding text, delimiter text, sheet text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.create_import(target text, file_name text, headers text[], mapping jsonb, mode text, format text, encoding text, delimiter text, sheet text) IS 'Starts an import batch (imports.create and the target''s permission): the target (see /import_targets), the file''s name and headers, the mapping {header: column} (suggested from the headers when omitted: accents and case ignored), mode insert | upsert (update by natural key; a file of updates needs only the natural key and the columns it changes). Then stage rows with /rpc/stage_import_rows and start validation with /rpc/validate_import — or upload the whole file with POST /imports on the api, which does all three. Errors: 400 unknown target, bad headers or mapping, a required column unmapped; 403.';

--
-- Name: create_policy(uuid, uuid, text, text, text, integer, text, text, date, numeric, uuid, text, boolean); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text, vehicle_year integer, vin text, plates text DEFAULT NULL::text, starts_on date DEFAULT NULL::date, prima_total numeric DEFAULT NULL::numeric, branch_id uuid DEFAULT NULL::uuid, series_code text DEFAULT 'POL'::text, issue boolean DEFAULT true) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_tenant   uuid := cimiento.current_tenant();
  v_branch   uuid := branch_id;
  v_branches uuid[];
  v_id       uuid;
BEGIN
  IF v_branch IS NULL THEN
    v_branches := cimiento.permission_branches('policies.create');
    IF v_branches IS NULL OR cardinality(v_branches) <> 1 THEN
      RAISE EXCEPTION 'say in which branch (branch_id)' USING ERRCODE = '22023',
        HINT = 'it may be left out only by a caller who quotes in exactly one branch';
    END IF;
    v_branch := v_branches[1];
  END IF;
  IF NOT EXISTS (SELECT 1 FROM insurance.payment_plans pp WHERE pp.code = payment_plan) THEN
    RAISE EXCEPTION 'unknown payment plan %', payment_plan USING ERRCODE = '22023', HINT = 'see /payment_plans';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM insurance.clients c WHERE c.id = client_id) THEN
    RAISE EXCEPTION 'no such client' USING ERRCODE = 'PT404';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM insurance.coverages c WHERE c.id = coverage_id AND c.active) THEN
    RAISE EXCEPTION 'no such active coverage' USING ERRCODE = 'PT404';
  END IF;
  INSERT INTO insurance.policies (tenant_id, branch_id, series_code, client_id, coverage_id, vehicle_make, vehicle_model,
                                  vehicle_year, vin, plates, prima_total, payment_plan, starts_on)
  VALUES (v_tenant, v_branch, coalesce(series_code, 'POL'), client_id, coverage_id, vehicle_make, vehicle_model,
          vehicle_year, vin, plates, prima_total, payment_plan, coalesce(starts_on, core.local_today(v_tenant)))
  RETURNING id INTO v_id;
  IF issue THEN
    RETURN api.issue_policy(v_id);
  END IF;
  RETURN insurance.policy_json(v_id);
END
$$;

ALTER FUNCTION api.create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text, vehicle_year integer, vin text, plates text, starts_on date, prima_total numeric, branch_id uuid, series_code text, issue boolean) OWNER TO cimiento_owner;

--
-- Name: FUNCTION create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text, vehicle_year integer, vin text, plates text, starts_on date, prima_total numeric, branch_id uuid, series_code text, issue boolean); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text, vehicle_year integer, vin text, plates text, starts_on date, prima_total numeric, branch_id uuid, series_code text, issue boolean) IS 'Quotes a policy for a client (vehicle, coverage, payment plan; prima_total from the coverage''s price for the plan unless given; starts today unless starts_on, ends a year later) in branch_id (may be left out by a caller who quotes in one branch) and, unless issue is false, issues it: numbered in its series (POL-000001…) and its instalments written, summing to prima_total. Returns the policy with its instalments. 403 without policies.create / policies.issue in the branch. VOLATILE.';

--
-- Name: create_sale(uuid, jsonb, jsonb, uuid, text, uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.create_sale(branch_id uuid, lines jsonb, payments jsonb, customer_id uuid DEFAULT NULL::uuid, idempotency_key text DEFAULT NULL::text, location_id uuid DEFAULT NULL::uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_tenant uuid := cimiento.current_tenant();
  v_sale uuid := gen_random_uuid();
  v_hash text;
  v_prior record;
  v_location commerce.locations;
  v_customer commerce.customers;
  v_series text;
  v_doc_id uuid;
  v_json jsonb;
  r record;
  n int := 0;
BEGIN
  PERFORM cimiento.require_permission('sales.create');
  IF branch_id IS NULL THEN
    RAISE EXCEPTION 'branch_id is required' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM core.branches b WHERE b.id = branch_id) THEN
    RAISE EXCEPTION 'branch % not found', branch_id USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission('sales.create', branch_id);
  PERFORM commerce.check_product_lines(lines, 'lines', '{unit_price}');
  IF payments IS NULL OR jsonb_typeof(payments) <> 'array' OR jsonb_array_length(payments) NOT BETWEEN 1 AND 20 THEN
    RAISE EXCEPTION 'payments must be an array of 1 to 20 {method, amount, reference}' USING ERRCODE = '22023';
  END IF;
  FOR r IN SELECT p.v, p.i FROM jsonb_array_elements(payments) WITH ORDINALITY AS p(v, i) LOOP
    IF jsonb_typeof(r.v) <> 'object' OR coalesce(r.v ->> 'method', '') NOT IN ('cash', 'card', 'transfer') THEN
      RAISE EXCEPTION 'payments[%].method must be cash, card or transfer', r.i USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(r.v -> 'amount') IS DISTINCT FROM 'number' OR (r.v ->> 'amount')::numeric <= 0
       OR (r.v ->> 'amount')::numeric <> round((r.v ->> 'amount')::numeric, 2) OR (r.v ->> 'amount')::numeric >= 1e10 THEN
      RAISE EXCEPTION 'payments[%].amount must be greater than 0 with at most 2 decimals', r.i USING ERRCODE = '22023';
    END IF;
    IF length(r.v ->> 'reference') > 100 THEN
      RAISE EXCEPTION 'payments[%].reference is too long: at most 100 characters', r.i USING ERRCODE = '22001';
    END IF;
  END LOOP;

  v_hash := md5(jsonb_build_array(branch_id, lines, payments, customer_id, location_id)::text);
  IF idempotency_key IS NOT NULL THEN
    SELECT s.id, s.request_hash INTO v_prior FROM commerce.sales s WHERE s.idempotency_key = idempotency_key;
    IF FOUND THEN
      IF v_prior.request_hash IS DISTINCT FROM v_hash THEN
        RAISE EXCEPTION 'idempotency key % was already used for a different sale', idempotency_key
          USING ERRCODE = 'PT409', HINT = 'use a new key for a new sale';
      END IF;
      RETURN commerce.sale_json(v_tenant, v_prior.id);
    END IF;
  END IF;

  IF location_id IS NULL THEN
    SELECT * INTO v_location FROM commerce.locations l WHERE l.branch_id = branch_id AND l.active ORDER BY l.is_default DESC, l.code LIMIT 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the branch has no active stock location' USING ERRCODE = 'PT404', HINT = 'create one with POST /locations';
    END IF;
  ELSE
    v_location := commerce.require_location(location_id, 'sales.create');
    IF v_location.branch_id <> branch_id THEN
      RAISE EXCEPTION 'location % is not in the branch of the sale', v_location.code USING ERRCODE = '22023';
    END IF;
  END IF;
  IF customer_id IS NOT NULL THEN
    SELECT * INTO v_customer FROM commerce.customers c WHERE c.id = customer_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'customer % not found', customer_id USING ERRCODE = 'PT404';
    END IF;
  END IF;
  v_series := commerce.sale_series(branch_id, v_customer.tax_id IS NULL);

  -- Every product active and at the price the caller saw (check_product_lines found them).
  FOR r IN SELECT l.i, l.v, p.sku, p.active, p.sale_price
             FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
             JOIN commerce.products p ON p.id = (l.v ->> 'product_id')::uuid
            ORDER BY l.i LOOP
    IF NOT r.active THEN
      RAISE EXCEPTION 'lines[%]: product % is not for sale (inactive)', r.i, r.sku USING ERRCODE = 'PT409';
    END IF;
    IF r.v ? 'unit_price' AND (r.v ->> 'unit_price')::numeric <> r.sale_price THEN
      RAISE EXCEPTION 'lines[%]: the price of % is %, not %', r.i, r.sku, r.sale_price, r.v ->> 'unit_price'
        USING ERRCODE = 'PT409', HINT = 'the price changed: reload the product and confirm the new price';
    END IF;
  END LOOP;

  BEGIN
    INSERT INTO commerce.sales (id, branch_id, location_id, customer_id, idempotency_key, request_hash)
    VALUES (v_sale, branch_id, v_location.id, customer_id, idempotency_key, v_hash);
  EXCEPTION WHEN unique_violation THEN
    -- A concurrent call with the same key won: answer as a retry would.
    SELECT s.id, s.request_hash INTO v_prior FROM commerce.sales s WHERE s.idempotency_key = idempotency_key;
    IF NOT FOUND OR v_prior.request_hash IS DISTINCT FROM v_hash THEN
      RAISE EXCEPTION 'idempotency key % was already used for a different sale', idempotency_key USING ERRCODE = 'PT409';
    END IF;
    RETURN commerce.sale_json(v_tenant, v_prior.id);
  END;
  INSERT INTO commerce.sale_lines (sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate)
  SELECT v_sale, l.i, branch_id, p.id, (l.v ->> 'quantity')::numeric, p.sale_price, p.tax_rate
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
    JOIN commerce.products p ON p.id = (l.v ->> 'product_id')::uuid;
  INSERT INTO commerce.sale_payments (sale_id, line_no, branch_id, method, amount, reference)
  SELECT v_sale, p.i, branch_id, p.v ->> 'method', (p.v ->> 'amount')::numeric, p.v ->> 'reference'
    FROM jsonb_array_elements(payments) WITH ORDINALITY AS p(v, i);
  v_doc_id := billing.issue_invoice_pending(
    series_code      => v_series,
    lines            => (SELECT jsonb_agg(jsonb_build_object('description', p.name, 'quantity', l.quantity,
                                                             'unit_price', l.unit_price, 'tax_rate', l.tax_rate) ORDER BY l.line_no)
                           FROM commerce.sale_lines l JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
                          WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale),
    customer_name    => coalesce(v_customer.name, 'Cliente final'),
    customer_tax_id  => v_customer.tax_id,
    customer_address => v_customer.address,
    customer_email   => v_customer.email,
    customer_id      => customer_id);
  UPDATE commerce.sales s SET invoice_id = v_doc_id WHERE s.id = v_sale;
  v_json := commerce.sale_json(v_tenant, v_sale);
  -- The contended rows last, so they are held for the shortest time (until commit): the
  -- stock levels of the sale's products (in product order: concurrent sales lock them in one
  -- order, no deadlock), then the series' counter for the document's number.
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id)
  SELECT branch_id, v_location.id, l.product_id, 'sale', -l.quantity, l.unit_cost, 'sale', v_sale
    FROM commerce.sale_lines l WHERE l.tenant_id = v_tenant AND l.sale_id = v_sale
   ORDER BY l.product_id, l.line_no;
  PERFORM billing.number_now();
  RETURN v_json || jsonb_build_object('document', commerce.sale_document_json(v_tenant, v_doc_id));
END
$$;

ALTER FUNCTION api.create_sale(branch_id uuid, lines jsonb, payments jsonb, customer_id uuid, idempotency_key text, location_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION create_sale(branch_id uuid, lines jsonb, payments jsonb, customer_id uuid, idempotency_key text, location_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.create_sale(branch_id uuid, lines jsonb, payments jsonb, customer_id uuid, idempotency_key text, location_id uuid) IS 'Sells in one transaction: lines [{product_id, quantity, unit_price (optional: refused with 409 if it is not the current price)}], payments [{method: cash|card|transfer, amount, reference}] (only cash may exceed the total: the difference is the change), an optional customer and stock location (default: the branch''s default location, else its first active one by code). Takes the stock under row locks (409 naming the available quantity when short, unless the product allows backorder), issues the sale''s document — a ticket (simplified invoice) or, for a customer with a tax id, a full invoice — with its gapless number and PDF, and counts the sale in the customer''s stats. With idempotency_key a retried call returns the first sale. Needs sales.create and invoices.issue in the branch. Errors: 400 bad lines or payments, 403 branch or permission, 404 unknown branch, product, customer, location or series, 409 stock short, price changed, inactive product, key reused.';

--
-- Name: enroll_student(uuid, uuid, numeric, numeric, date); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.enroll_student(student_id uuid, course_id uuid, agreed_fee numeric DEFAULT NULL::numeric, discount numeric DEFAULT 0, due_date date DEFAULT NULL::date) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION api.enroll_student(student_id uuid, course_id uuid, agreed_fee numeric, discount numeric, due_date date) OWNER TO cimiento_owner;

--
-- Name: FUNCTION enroll_student(student_id uuid, course_id uuid, agreed_fee numeric, discount numeric, due_date date); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.enroll_student(student_id uuid, course_id uuid, agreed_fee numeric, discount numeric, due_date date) IS 'Enrolls a student in an open course (enrollments.create in the branches of both the course and the student), checking capacity; the financial status is created with it (due on the course start unless due_date). 400, 403 branch, 404 unknown student/course, 409 full, closed or duplicate.';

--
-- Name: file_proposal(uuid, integer, numeric, text, text, numeric, numeric, text, timestamp with time zone, uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text, latitude numeric DEFAULT NULL::numeric, longitude numeric DEFAULT NULL::numeric, photo_ref text DEFAULT NULL::text, collected_at timestamp with time zone DEFAULT NULL::timestamp with time zone, collector_id uuid DEFAULT NULL::uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_receipt uuid;
  v_id      uuid;
BEGIN
  SELECT r.id INTO v_receipt FROM insurance.receipts r WHERE r.number = upper(btrim(receipt_number));
  IF v_receipt IS NULL THEN
    RAISE EXCEPTION 'receipt % is not assigned to you', receipt_number USING ERRCODE = 'PT409';
  END IF;
  INSERT INTO insurance.collection_proposals (tenant_id, branch_id, collector_id, policy_id, instalment_no, amount, method,
                                              receipt_id, latitude, longitude, photo_ref, collected_at)
  VALUES (cimiento.current_tenant(), NULL, -- the policy's branch (insurance.proposals_check sets it)
          coalesce(collector_id, cimiento.current_user_id()), policy_id, instalment_no, amount, method, v_receipt, latitude, longitude, photo_ref, coalesce(collected_at, now()))
  RETURNING id INTO v_id;
  RETURN (SELECT to_jsonb(x) FROM api.collection_proposals x WHERE x.id = v_id);
END
$$;

ALTER FUNCTION api.file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text, latitude numeric, longitude numeric, photo_ref text, collected_at timestamp with time zone, collector_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text, latitude numeric, longitude numeric, photo_ref text, collected_at timestamp with time zone, collector_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text, latitude numeric, longitude numeric, photo_ref text, collected_at timestamp with time zone, collector_id uuid) IS 'A collector records a collection in the field as a pending proposal: policy, instalment, amount, method, the number of the receipt handed over (assigned to them), GPS point, photo reference, when; collector_id only when a manager (proposals.approve) enters it for a collector. 404 unknown policy or instalment, 409 receipt not theirs or used, amount above what is owed, policy not in force; 403 without proposals.create in the branch. VOLATILE.';

--
-- Name: import_product(text, text, numeric, numeric, text, text, numeric, numeric, uuid, numeric); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.import_product(sku text, name text, sale_price numeric, tax_rate numeric DEFAULT NULL::numeric, unit text DEFAULT NULL::text, barcode text DEFAULT NULL::text, cost numeric DEFAULT NULL::numeric, reorder_point numeric DEFAULT NULL::numeric, location_id uuid DEFAULT NULL::uuid, opening_stock numeric DEFAULT NULL::numeric) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_product jsonb;
BEGIN
  IF coalesce(opening_stock, 0) < 0 THEN
    RAISE EXCEPTION 'opening_stock cannot be negative' USING ERRCODE = '22023', COLUMN = 'opening_stock';
  END IF;
  IF coalesce(opening_stock, 0) > 0 AND location_id IS NULL THEN
    RAISE EXCEPTION 'opening stock needs the location it is in' USING ERRCODE = '22023', COLUMN = 'location_id';
  END IF;
  BEGIN
    INSERT INTO api.products (sku, name, sale_price, tax_rate, unit, barcode, cost, reorder_point)
    VALUES (btrim(sku), btrim(name), sale_price, coalesce(tax_rate, 21), coalesce(unit, 'unit'), nullif(btrim(barcode), ''),
            coalesce(cost, 0), coalesce(reorder_point, 0))
    RETURNING to_jsonb(products.*) INTO v_product;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'a product with this SKU or barcode already exists' USING ERRCODE = '23505',
      COLUMN = CASE WHEN EXISTS (SELECT 1 FROM commerce.products p WHERE p.sku = btrim(sku)) THEN 'sku' ELSE 'barcode' END;
  END;
  IF coalesce(opening_stock, 0) > 0 THEN
    BEGIN
      PERFORM api.receive_stock(location_id,
        jsonb_build_array(jsonb_build_object('product_id', v_product ->> 'id', 'quantity', opening_stock, 'unit_cost', coalesce(cost, 0))),
        NULL, 'existencias iniciales');
    EXCEPTION WHEN OTHERS THEN
      DECLARE
        v_state text;
        v_message text;
      BEGIN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
        RAISE EXCEPTION '%', v_message USING ERRCODE = v_state,
          COLUMN = CASE WHEN v_state IN ('42501', 'PT404', 'PT409') THEN 'location_id' ELSE 'opening_stock' END;
      END;
    END;
  END IF;
  RETURN v_product;
END
$$;

ALTER FUNCTION api.import_product(sku text, name text, sale_price numeric, tax_rate numeric, unit text, barcode text, cost numeric, reorder_point numeric, location_id uuid, opening_stock numeric) OWNER TO cimiento_owner;

--
-- Name: FUNCTION import_product(sku text, name text, sale_price numeric, tax_rate numeric, unit text, barcode text, cost numeric, reorder_point numeric, location_id uuid, opening_stock numeric); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.import_product(sku text, name text, sale_price numeric, tax_rate numeric, unit text, barcode text, cost numeric, reorder_point numeric, location_id uuid, opening_stock numeric) IS 'Creates a product as POST /products does (products.manage) and, when opening_stock > 0, receives it into location_id at its cost (api.receive_stock: inventory.manage in the location''s branch) in the same transaction — the import target for catalogs with opening stock. Returns the product. Errors name their argument: 400, 403, 404 unknown location, 409 SKU or barcode taken.';

--
-- Name: issue_credit_note(uuid, text, jsonb, text, date, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.issue_credit_note(invoice_id uuid, reason text, lines jsonb DEFAULT NULL::jsonb, series_code text DEFAULT NULL::text, issue_date date DEFAULT NULL::date, idempotency_key text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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
  PERFORM billing.number_now();
  RETURN billing.document_json(orig.tenant_id, v_id);
END
$$;

ALTER FUNCTION api.issue_credit_note(invoice_id uuid, reason text, lines jsonb, series_code text, issue_date date, idempotency_key text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION issue_credit_note(invoice_id uuid, reason text, lines jsonb, series_code text, issue_date date, idempotency_key text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.issue_credit_note(invoice_id uuid, reason text, lines jsonb, series_code text, issue_date date, idempotency_key text) IS 'Issues a credit note (factura rectificativa) correcting an issued invoice: lines [{line_no, quantity}] of the invoice, or omitted to credit everything left, at the invoice''s prices and tax rates. It has its own gapless series (default: the branch''s credit-note series). Never credits more of a line than remains; each document rounds its own taxes, so partial credit notes may add up to a cent more or less than the invoice; an invoice whose lines are all credited becomes cancelled. With idempotency_key a retry returns the first credit note. Needs credit_notes.issue. Errors: 400 bad input, 403 permission/branch, 404 unknown invoice or series, 409 draft/cancelled invoice or more than remains of a line.';

--
-- Name: issue_enrollment_invoice(uuid, text, numeric, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.issue_enrollment_invoice(enrollment_id uuid, series_code text, tax_rate numeric DEFAULT 0, idempotency_key text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION api.issue_enrollment_invoice(enrollment_id uuid, series_code text, tax_rate numeric, idempotency_key text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION issue_enrollment_invoice(enrollment_id uuid, series_code text, tax_rate numeric, idempotency_key text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.issue_enrollment_invoice(enrollment_id uuid, series_code text, tax_rate numeric, idempotency_key text) IS 'Issues the invoice of an enrollment (invoices.issue): one line for the agreed fee minus discount (tax_rate default 0: education is usually exempt), billed to the student, numbered gaplessly in the series. 403, 404 unknown enrollment or series, 409 already invoiced.';

--
-- Name: issue_invoice(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.issue_invoice(series_code text, lines jsonb, customer_name text DEFAULT NULL::text, customer_tax_id text DEFAULT NULL::text, customer_address text DEFAULT NULL::text, customer_email text DEFAULT NULL::text, student_id uuid DEFAULT NULL::uuid, customer_id uuid DEFAULT NULL::uuid, issue_date date DEFAULT NULL::date, currency text DEFAULT NULL::text, notes text DEFAULT NULL::text, idempotency_key text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_id uuid;
BEGIN
  v_id := billing.issue_invoice_pending(series_code, lines, customer_name, customer_tax_id, customer_address, customer_email,
                                        student_id, customer_id, issue_date, currency, notes, idempotency_key);
  PERFORM billing.number_now();
  RETURN billing.document_json(cimiento.current_tenant(), v_id);
END
$$;

ALTER FUNCTION api.issue_invoice(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION issue_invoice(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.issue_invoice(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text) IS 'Issues an invoice in one call: creates it from lines [{description, quantity, unit_price, tax_rate (default 21)}], computes totals and gives it the next gapless number of the series for its fiscal year. With idempotency_key a retried call returns the first invoice instead of issuing twice. Needs invoices.issue and access to the series'' branch. Errors: 400 bad lines or missing customer, 403 permission/branch, 404 unknown series, 409 closed series or key reused for another request.';

--
-- Name: issue_policy(uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.issue_policy(policy_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
BEGIN
  PERFORM cimiento.transition('policies', policy_id::text, 'active');
  PERFORM insurance.number_now();
  RETURN insurance.policy_json(policy_id);
END
$$;

ALTER FUNCTION api.issue_policy(policy_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION issue_policy(policy_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.issue_policy(policy_id uuid) IS 'Issues a quoted policy (workflow transition issue, policies.issue): numbers it and writes its instalments; returns it with them. 404 unknown, 409 not a quote. VOLATILE.';

--
-- Name: promote_import(uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.promote_import(batch_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
BEGIN
  IF v_batch.status IN ('promoting', 'done') THEN
    RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);  -- promoting twice is promoting once
  END IF;
  IF v_batch.status <> 'validated' THEN
    RAISE EXCEPTION 'the batch is %: only a validated batch is promoted', v_batch.status USING ERRCODE = 'PT409',
      HINT = 'wait until validation ends';
  END IF;
  UPDATE imports.batches b SET status = 'promoting', phase_started_at = now(), lease_until = NULL
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  PERFORM pg_notify('cimiento_imports', v_batch.id::text);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;

ALTER FUNCTION api.promote_import(batch_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION promote_import(batch_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.promote_import(batch_id uuid) IS 'Starts writing the valid rows of the caller''s validated batch to its target, in the background and resumable; the invalid rows are left out (download them with GET /imports/{id}/errors.csv on the api). Calling it again while promoting or done changes nothing. Errors: 403, 404, 409 not validated.';

--
-- Name: receive_stock(uuid, jsonb, uuid, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.receive_stock(location_id uuid, lines jsonb, supplier_id uuid DEFAULT NULL::uuid, reference text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_location commerce.locations;
  v_receipt uuid := gen_random_uuid();
  r record;
BEGIN
  PERFORM cimiento.require_permission('inventory.manage');
  v_location := commerce.require_location(location_id, 'inventory.manage');
  PERFORM commerce.check_product_lines(lines, 'lines', '{unit_cost}');
  IF length(reference) > 100 THEN
    RAISE EXCEPTION 'reference is too long: at most 100 characters' USING ERRCODE = '22001';
  END IF;
  IF supplier_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM commerce.suppliers s WHERE s.id = supplier_id) THEN
    RAISE EXCEPTION 'supplier % not found', supplier_id USING ERRCODE = 'PT404';
  END IF;
  FOR r IN SELECT l.i, l.v FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i) ORDER BY l.i LOOP
    IF NOT r.v ? 'unit_cost' THEN
      RAISE EXCEPTION 'lines[%].unit_cost is required: stock comes in at its cost', r.i USING ERRCODE = '22023';
    END IF;
  END LOOP;
  INSERT INTO commerce.receipts (id, branch_id, location_id, supplier_id, reference)
  VALUES (v_receipt, v_location.branch_id, v_location.id, supplier_id, reference);
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id)
  SELECT v_location.branch_id, v_location.id, (l.v ->> 'product_id')::uuid, 'receipt', (l.v ->> 'quantity')::numeric,
         (l.v ->> 'unit_cost')::numeric, 'receipt', v_receipt
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
   ORDER BY (l.v ->> 'product_id')::uuid, l.i;
  RETURN (SELECT to_jsonb(x) FROM commerce.receipts x WHERE x.id = v_receipt)
         || jsonb_build_object('lines', (SELECT jsonb_agg(jsonb_build_object('product_id', m.product_id, 'quantity', m.quantity,
                                                                              'unit_cost', m.unit_cost, 'stock', s.quantity,
                                                                              'average_cost', c.average_cost) ORDER BY m.product_id)
                                           FROM commerce.inventory_movements m
                                           JOIN commerce.stock_levels s ON s.tenant_id = m.tenant_id AND s.product_id = m.product_id
                                                                       AND s.location_id = m.location_id
                                           JOIN commerce.product_costs c ON c.tenant_id = m.tenant_id AND c.product_id = m.product_id
                                          WHERE m.source_id = v_receipt));
END
$$;

ALTER FUNCTION api.receive_stock(location_id uuid, lines jsonb, supplier_id uuid, reference text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION receive_stock(location_id uuid, lines jsonb, supplier_id uuid, reference text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.receive_stock(location_id uuid, lines jsonb, supplier_id uuid, reference text) IS 'Receives goods into a location: lines [{product_id, quantity, unit_cost}], an optional supplier and reference (delivery note). Adds the stock and moves each product''s average cost. Returns the receipt with each line''s new stock and average cost. Needs inventory.manage in the location''s branch. Errors: 400 bad lines, 403 permission, 404 unknown location, product or supplier, 409 closed location.';

--
-- Name: record_attendance(uuid, date, jsonb); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.record_attendance(course_id uuid, date date, records jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

ALTER FUNCTION api.record_attendance(course_id uuid, date date, records jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION record_attendance(course_id uuid, date date, records jsonb); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.record_attendance(course_id uuid, date date, records jsonb) IS 'Records a whole class for a day in one call (attendance.record): records [{student_id, status present|absent|late|excused, note}]; recording again corrects. 400 bad input, 403, 404 unknown course, 409 a student not enrolled.';

--
-- Name: record_payment(uuid, integer, numeric, text, date, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.record_payment(policy_id uuid, instalment_no integer, amount numeric, method text, paid_on date DEFAULT NULL::date, reference text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_id uuid;
BEGIN
  IF amount IS NULL OR amount <= 0 THEN
    RAISE EXCEPTION 'amount must be positive' USING ERRCODE = '22023', HINT = 'reverse a payment with /rpc/revert_payment';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM insurance.policies p WHERE p.id = policy_id) THEN
    RAISE EXCEPTION 'no such policy' USING ERRCODE = 'PT404';
  END IF;
  -- The branch is the policy's (insurance.payments_check sets it).
  INSERT INTO insurance.payments (tenant_id, policy_id, instalment_no, amount, method, paid_on, reference)
  VALUES (cimiento.current_tenant(), policy_id, instalment_no, amount, method, paid_on, reference)
  RETURNING id INTO v_id;
  RETURN (SELECT to_jsonb(x) FROM api.policy_payments x WHERE x.id = v_id);
EXCEPTION WHEN check_violation THEN
  RAISE EXCEPTION 'unknown payment method %', method USING ERRCODE = '22023',
    HINT = 'cash, deposit, transfer, crucero, konfio or terminal_banorte';
END
$$;

ALTER FUNCTION api.record_payment(policy_id uuid, instalment_no integer, amount numeric, method text, paid_on date, reference text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION record_payment(policy_id uuid, instalment_no integer, amount numeric, method text, paid_on date, reference text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.record_payment(policy_id uuid, instalment_no integer, amount numeric, method text, paid_on date, reference text) IS 'Records a payment (partial allowed) against an instalment of a policy in force: method cash, deposit, transfer, crucero, konfio or terminal_banorte; dated today unless paid_on (never in the future nor more than 8 months back: 400); never more than the instalment owes (409). The instalment and the policy''s state follow at once (an overdue policy paid up is active again). 403 without payments.create in the branch. VOLATILE.';

--
-- Name: register_payment(uuid, numeric, text, text, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.register_payment(enrollment_id uuid, amount numeric, method text, reference text DEFAULT NULL::text, notes text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION api.register_payment(enrollment_id uuid, amount numeric, method text, reference text, notes text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION register_payment(enrollment_id uuid, amount numeric, method text, reference text, notes text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.register_payment(enrollment_id uuid, amount numeric, method text, reference text, notes text) IS 'Registers a payment for an enrollment (payments.create) and returns it with the updated financial status. 400 bad amount/method, 403, 404 unknown enrollment, 409 above the balance or withdrawn enrollment.';

--
-- Name: register_receipt_lot(uuid, integer, integer, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text DEFAULT 'R'::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_id uuid;
BEGIN
  INSERT INTO insurance.receipt_lots (tenant_id, branch_id, prefix, first_no, last_no)
  VALUES (cimiento.current_tenant(), branch_id, upper(coalesce(prefix, 'R')), first_no, last_no)
  RETURNING id INTO v_id;
  RETURN (SELECT to_jsonb(l) || jsonb_build_object('receipts', l.last_no - l.first_no + 1) FROM api.receipt_lots l WHERE l.id = v_id);
EXCEPTION WHEN check_violation THEN
  RAISE EXCEPTION 'a lot is 1 to 10 000 receipts numbered from 1, with a prefix of 1 to 4 letters' USING ERRCODE = '22023';
END
$$;

ALTER FUNCTION api.register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text) IS 'Registers a lot of pre-printed receipts of a branch (receipts.manage): numbers prefix + six digits from first_no to last_no, available to be assigned. 409 when a number exists already. VOLATILE.';

--
-- Name: register_student(uuid, text, text, text, text, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.register_student(branch_id uuid, document_id text, first_name text, last_name text, email text DEFAULT NULL::text, phone text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
#variable_conflict use_variable
DECLARE
  s academy.students%ROWTYPE;
  doc text := upper(regexp_replace(coalesce(document_id, ''), '[[:space:].]', '', 'g'));
BEGIN
  PERFORM cimiento.require_permission('students.create');
  PERFORM academy.require_branch('branch', branch_id, 'students.create');
  IF doc !~ '^[A-Z0-9][A-Z0-9-]{2,31}$' THEN
    RAISE EXCEPTION 'document_id must be 3 to 32 letters, digits or hyphens' USING ERRCODE = '22023', COLUMN = 'document_id';
  END IF;
  IF coalesce(btrim(first_name), '') = '' THEN
    RAISE EXCEPTION 'first_name and last_name are required' USING ERRCODE = '22023', COLUMN = 'first_name';
  END IF;
  IF coalesce(btrim(last_name), '') = '' THEN
    RAISE EXCEPTION 'first_name and last_name are required' USING ERRCODE = '22023', COLUMN = 'last_name';
  END IF;
  BEGIN
    INSERT INTO academy.students (branch_id, document_id, first_name, last_name, email, phone)
    VALUES (branch_id, doc, btrim(first_name), btrim(last_name), nullif(btrim(email), ''), nullif(btrim(phone), ''))
    RETURNING * INTO s;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'a student with document % is already registered', doc USING ERRCODE = '23505', COLUMN = 'document_id';
  END;
  RETURN to_jsonb(s);
END
$_$;

ALTER FUNCTION api.register_student(branch_id uuid, document_id text, first_name text, last_name text, email text, phone text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION register_student(branch_id uuid, document_id text, first_name text, last_name text, email text, phone text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.register_student(branch_id uuid, document_id text, first_name text, last_name text, email text, phone text) IS 'Registers a student in a branch (students.create); document_id is normalised to upper case. 400 bad input, 403, 404 unknown branch, 409 document already registered. Errors name the argument they are about.';

--
-- Name: reject_proposal(uuid, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.reject_proposal(id uuid, reason text) RETURNS jsonb
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT insurance.decide_proposal(id, 'rejected', reason)
$$;

ALTER FUNCTION api.reject_proposal(id uuid, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION reject_proposal(id uuid, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.reject_proposal(id uuid, reason text) IS 'Rejects a pending or under-review proposal with a reason (proposals.reject; 400 without reason, 409 already decided); its receipt stays with the collector for another collection. Returns the proposal. VOLATILE.';

--
-- Name: renew_policy(uuid, date, boolean); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.renew_policy(policy_id uuid, starts_on date DEFAULT NULL::date, issue boolean DEFAULT true) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_old insurance.policies;
  v_id  uuid;
BEGIN
  SELECT * INTO v_old FROM insurance.policies p WHERE p.id = policy_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such policy' USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.transition('policies', policy_id::text, 'renewed');
  INSERT INTO insurance.policies (tenant_id, branch_id, series_code, client_id, coverage_id, seller_id, vehicle_make, vehicle_model,
                                  vehicle_year, vin, plates, payment_plan, starts_on, renewed_from)
  VALUES (v_old.tenant_id, v_old.branch_id, v_old.series_code, v_old.client_id, v_old.coverage_id, v_old.seller_id,
          v_old.vehicle_make, v_old.vehicle_model, v_old.vehicle_year, v_old.vin, v_old.plates, v_old.payment_plan,
          coalesce(starts_on, v_old.ends_on), v_old.id)
  RETURNING id INTO v_id;
  IF issue THEN
    RETURN api.issue_policy(v_id);
  END IF;
  RETURN insurance.policy_json(v_id);
END
$$;

ALTER FUNCTION api.renew_policy(policy_id uuid, starts_on date, issue boolean) OWNER TO cimiento_owner;

--
-- Name: FUNCTION renew_policy(policy_id uuid, starts_on date, issue boolean); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.renew_policy(policy_id uuid, starts_on date, issue boolean) IS 'Renews an expired policy (transition renew, policies.renew): the old one becomes renewed and a new one for the same client, vehicle, coverage, seller and plan starts where it ended (or on starts_on) at today''s catalog price, issued unless issue is false. Returns the new policy. 409 unless expired. VOLATILE.';

--
-- Name: report_product_ledger(uuid, uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.report_product_ledger(product_id uuid, location_id uuid DEFAULT NULL::uuid) RETURNS TABLE(moved_at timestamp with time zone, location_id uuid, kind text, quantity numeric, unit_cost numeric, source_type text, source_id uuid, reason text, balance numeric)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT * FROM reports.product_ledger(product_id, location_id)
$$;

ALTER FUNCTION api.report_product_ledger(product_id uuid, location_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION report_product_ledger(product_id uuid, location_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.report_product_ledger(product_id uuid, location_id uuid) IS 'A product''s stock ledger with its running balance (one location, or all of the caller''s): see reports.product_ledger.';

--
-- Name: report_slow_movers(integer); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.report_slow_movers(days integer DEFAULT 30) RETURNS TABLE(tenant_id uuid, product_id uuid, sku text, product_name text, on_hand numeric, last_sold_on date, days_without_sale integer)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT * FROM reports.slow_movers(days)
$$;

ALTER FUNCTION api.report_slow_movers(days integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION report_slow_movers(days integer); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.report_slow_movers(days integer) IS 'Products with stock and no sale in the last N days (default 30): see reports.slow_movers. 400 outside 1..3650.';

--
-- Name: return_sale(uuid, jsonb, uuid, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.return_sale(sale_id uuid, lines jsonb, location_id uuid DEFAULT NULL::uuid, reason text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_sale commerce.sales;
  v_location commerce.locations;
  v_return uuid := gen_random_uuid();
  v_credit jsonb;
  r record;
BEGIN
  PERFORM cimiento.require_permission('sales.return');
  IF sale_id IS NULL THEN
    RAISE EXCEPTION 'sale_id is required' USING ERRCODE = '22023';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reason is required: a return states why the goods come back' USING ERRCODE = '22023';
  END IF;
  IF length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  IF lines IS NULL OR jsonb_typeof(lines) <> 'array' OR jsonb_array_length(lines) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'lines must be a non-empty array of {line_no, quantity}' USING ERRCODE = '22023';
  END IF;
  -- One return of a sale at a time: later ones see what earlier ones took back.
  SELECT * INTO v_sale FROM commerce.sales s WHERE s.id = sale_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sale % not found', sale_id USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission('sales.return', v_sale.branch_id);
  IF v_sale.status = 'voided' THEN
    RAISE EXCEPTION 'the sale is voided: nothing is left to return' USING ERRCODE = 'PT409';
  END IF;
  v_location := commerce.require_location(coalesce(location_id, v_sale.location_id), 'sales.return');
  IF v_location.branch_id <> v_sale.branch_id THEN
    RAISE EXCEPTION 'location % is not in the branch of the sale', v_location.code USING ERRCODE = '22023';
  END IF;
  FOR r IN SELECT x.i, x.v, l.line_no, l.quantity AS sold, p.sku,
                  (SELECT coalesce(sum(rl.quantity), 0) FROM commerce.return_lines rl
                    WHERE rl.tenant_id = v_sale.tenant_id AND rl.sale_id = v_sale.id AND rl.sale_line_no = l.line_no) AS returned,
                  count(*) OVER (PARTITION BY x.v -> 'line_no') AS times
             FROM jsonb_array_elements(lines) WITH ORDINALITY AS x(v, i)
             LEFT JOIN commerce.sale_lines l
               ON l.tenant_id = v_sale.tenant_id AND l.sale_id = v_sale.id
              AND jsonb_typeof(x.v -> 'line_no') = 'number' AND l.line_no = (x.v ->> 'line_no')::numeric
             LEFT JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
            ORDER BY x.i LOOP
    IF r.line_no IS NULL THEN
      RAISE EXCEPTION 'lines[%]: the sale has no line %', r.i, coalesce(r.v ->> 'line_no', 'NULL') USING ERRCODE = '22023';
    END IF;
    IF r.times > 1 THEN
      RAISE EXCEPTION 'lines[%]: line % is named more than once', r.i, r.line_no USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(r.v -> 'quantity') IS DISTINCT FROM 'number' OR (r.v ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION 'lines[%].quantity must be a number greater than 0', r.i USING ERRCODE = '22023';
    END IF;
    IF (r.v ->> 'quantity')::numeric > r.sold - r.returned THEN
      RAISE EXCEPTION 'lines[%]: % of % sold, % already returned: at most % can be returned', r.i, trim_scale(r.sold), r.sku,
          trim_scale(r.returned), trim_scale(r.sold - r.returned)
        USING ERRCODE = 'PT409', DETAIL = json_build_object('line_no', r.line_no, 'returnable', trim_scale(r.sold - r.returned))::text;
    END IF;
  END LOOP;

  v_credit := api.issue_credit_note(
    invoice_id => v_sale.invoice_id,
    reason     => reason,
    lines      => (SELECT jsonb_agg(jsonb_build_object('line_no', (x.v ->> 'line_no')::int, 'quantity', (x.v ->> 'quantity')::numeric)
                                    ORDER BY x.i)
                     FROM jsonb_array_elements(lines) WITH ORDINALITY AS x(v, i)));
  INSERT INTO commerce.returns (id, branch_id, sale_id, location_id, reason, credit_note_id)
  VALUES (v_return, v_sale.branch_id, v_sale.id, v_location.id, btrim(reason), (v_credit ->> 'id')::uuid);
  INSERT INTO commerce.return_lines (return_id, sale_line_no, branch_id, sale_id, quantity)
  SELECT v_return, (x.v ->> 'line_no')::int, v_sale.branch_id, v_sale.id, (x.v ->> 'quantity')::numeric
    FROM jsonb_array_elements(lines) AS x(v);
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id, reason)
  SELECT v_sale.branch_id, v_location.id, l.product_id, 'return', rl.quantity, l.unit_cost, 'return', v_return, btrim(reason)
    FROM commerce.return_lines rl
    JOIN commerce.sale_lines l ON l.tenant_id = rl.tenant_id AND l.sale_id = rl.sale_id AND l.line_no = rl.sale_line_no
   WHERE rl.tenant_id = v_sale.tenant_id AND rl.return_id = v_return
   ORDER BY l.product_id, l.line_no;
  RETURN (SELECT to_jsonb(rt) FROM commerce.returns rt WHERE rt.tenant_id = v_sale.tenant_id AND rt.id = v_return)
         || jsonb_build_object('credit_note', jsonb_build_object('id', v_credit -> 'id', 'number_display', v_credit -> 'number_display',
                                                                 'total', v_credit -> 'total',
                                                                 'pdf', '/invoices/' || (v_credit ->> 'id') || '/pdf'),
                               'sale', commerce.sale_json(v_sale.tenant_id, v_sale.id));
END
$$;

ALTER FUNCTION api.return_sale(sale_id uuid, lines jsonb, location_id uuid, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION return_sale(sale_id uuid, lines jsonb, location_id uuid, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.return_sale(sale_id uuid, lines jsonb, location_id uuid, reason text) IS 'Takes back goods of a sale: lines [{line_no, quantity}] of the sale, never more than sold minus already returned; restocks them into the sale''s location (or location_id of its branch) at their cost of sale and issues a credit note for them. A reason is required. Needs sales.return and credit_notes.issue in the sale''s branch. Errors: 400 bad lines or missing reason, 403 permission, 404 unknown sale or location, 409 voided sale or more than can be returned (DETAIL: {line_no, returnable}).';

--
-- Name: revert_payment(uuid, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.revert_payment(payment_id uuid, reason text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_orig insurance.payments;
  v_id   uuid;
BEGIN
  SELECT * INTO v_orig FROM insurance.payments p WHERE p.id = payment_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such payment' USING ERRCODE = 'PT404';
  END IF;
  -- insurance.payments_check takes everything else from the payment it reverses; a second
  -- reversal breaks payments_reverse_once.
  INSERT INTO insurance.payments (tenant_id, reverses_id, reason) VALUES (v_orig.tenant_id, payment_id, reason)
  RETURNING id INTO v_id;
  RETURN (SELECT to_jsonb(x) FROM api.policy_payments x WHERE x.id = v_id);
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'the payment is already reversed' USING ERRCODE = 'PT409';
END
$$;

ALTER FUNCTION api.revert_payment(payment_id uuid, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION revert_payment(payment_id uuid, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.revert_payment(payment_id uuid, reason text) IS 'Reverses a payment with a reversing entry (negative amount, today, the reason; payments.revert in its branch: 403 otherwise): never a delete. The instalment and the policy''s state are recomputed in the same transaction (a paid-up policy whose instalment is past due again becomes overdue). 400 without a reason, 409 already reversed or a reversal. Returns the reversal. VOLATILE.';

--
-- Name: search_clients(text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.search_clients(q text) RETURNS TABLE(id uuid, name text, rfc text, phone text, seller_id uuid, score real)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_key text := insurance.search_key(btrim(coalesce(q, '')));
BEGIN
  IF length(v_key) < 2 OR length(v_key) > 100 THEN
    RAISE EXCEPTION 'search for 2 to 100 characters' USING ERRCODE = '22023';
  END IF;
  -- pg_trgm's word similarity at its threshold (0.6): a typo or two in a name still
  -- matches; the GIN index serves it under RLS (the operator is LEAKPROOF, bootstrap.sql).
  RETURN QUERY
  SELECT c.id, c.name, c.rfc, c.phone, c.seller_id, public.word_similarity(v_key, c.search_text) AS score
    FROM insurance.clients c
   WHERE v_key OPERATOR(public.<%) c.search_text
   ORDER BY score DESC, c.name, c.id
   LIMIT 20;
END
$$;

ALTER FUNCTION api.search_clients(q text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION search_clients(q text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.search_clients(q text) IS 'The 20 clients best matching q by name, RFC or phone, ignoring accents and case and tolerating typos (pg_trgm word similarity over unaccented text, GIN index), best first with their score. 400 for fewer than 2 or more than 100 characters. STABLE.';

--
-- Name: normalize_tax_id(text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.normalize_tax_id(p_tax_id text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT upper(regexp_replace(p_tax_id, '[[:space:].-]', '', 'g'))
$$;

ALTER FUNCTION core.normalize_tax_id(p_tax_id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION normalize_tax_id(p_tax_id text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.normalize_tax_id(p_tax_id text) IS 'A tax identifier as stored: upper case, without spaces, dots or dashes (e.g. '' 12.345.678-z '' → ''12345678Z''). IMMUTABLE, PARALLEL SAFE.';

--
-- Name: tax_id_kind(text, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.tax_id_kind(p_country text, p_tax_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT CASE upper(p_country)
           WHEN 'ES' THEN core.spanish_tax_id_kind(core.normalize_tax_id(p_tax_id))
           WHEN 'EC' THEN core.ecuadorian_tax_id_kind(core.normalize_tax_id(p_tax_id))
           WHEN 'MX' THEN core.mexican_tax_id_kind(core.normalize_tax_id(p_tax_id))
         END
$$;

ALTER FUNCTION core.tax_id_kind(p_country text, p_tax_id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION tax_id_kind(p_country text, p_tax_id text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.tax_id_kind(p_country text, p_tax_id text) IS 'Kind of a tax id for its country (ES: nif, nie, cif; EC: cedula, ruc; MX: persona_fisica, persona_moral, generic), NULL when invalid. IMMUTABLE, PARALLEL SAFE.';

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: customers; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.customers (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    tax_id_country text,
    tax_id text,
    tax_id_kind text GENERATED ALWAYS AS (core.tax_id_kind(tax_id_country, tax_id)) STORED,
    email text,
    phone text,
    address text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customers_address_length CHECK ((length(address) <= 500)),
    CONSTRAINT customers_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT customers_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT customers_phone_format CHECK ((phone ~ '^\+?[0-9 ().-]{6,20}$'::text)),
    CONSTRAINT customers_tax_id_country CHECK ((tax_id_country = ANY (ARRAY['ES'::text, 'EC'::text]))),
    CONSTRAINT customers_tax_id_normalized CHECK ((tax_id = core.normalize_tax_id(tax_id))),
    CONSTRAINT customers_tax_id_valid CHECK (((tax_id IS NULL) OR (tax_id_kind IS NOT NULL)))
);

ALTER TABLE ONLY commerce.customers FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.customers OWNER TO cimiento_owner;

--
-- Name: TABLE customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.customers IS 'Customers of the tenant (every branch). tax_id, when given, is valid for tax_id_country (ES: NIF/NIE/CIF; EC: cédula/RUC, check characters verified) and normalized; a customer with a tax id gets full invoices, one without gets tickets.';

--
-- Name: customers; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.customers WITH (security_invoker='true') AS
 SELECT customers.tenant_id,
    customers.id,
    customers.name,
    customers.tax_id_country,
    customers.tax_id,
    customers.tax_id_kind,
    customers.email,
    customers.phone,
    customers.address,
    customers.created_at
   FROM commerce.customers;

ALTER TABLE api.customers OWNER TO cimiento_owner;

--
-- Name: VIEW customers; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.customers IS 'Customers. tax_id (with tax_id_country ES or EC) is checked with its check characters (400 otherwise) and stored normalized (upper case, no spaces, dots or dashes). Search with /rpc/search_customers; stats: /customer_stats.';

--
-- Name: search_customers(text, integer); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.search_customers(q text, max_rows integer DEFAULT 20) RETURNS SETOF api.customers
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_q text := btrim(coalesce(q, ''));
BEGIN
  IF length(v_q) < 2 THEN
    RAISE EXCEPTION 'q must have at least 2 characters' USING ERRCODE = '22023';
  END IF;
  IF max_rows IS NULL OR max_rows NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'max_rows must be between 1 and 200' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT c.* FROM api.customers c
     WHERE c.tax_id LIKE core.normalize_tax_id(v_q) || '%'
        OR c.name ILIKE '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%'
     ORDER BY (c.tax_id = core.normalize_tax_id(v_q)) DESC NULLS LAST, lower(c.name), c.id
     LIMIT max_rows;
END
$$;

ALTER FUNCTION api.search_customers(q text, max_rows integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION search_customers(q text, max_rows integer); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.search_customers(q text, max_rows integer) IS 'Customers whose tax id starts with q (written with or without spaces, dots or dashes) or whose name contains q (case-insensitive); an exact tax id first, then by name. At most max_rows (default 20, up to 200). 400 when q has fewer than 2 characters.';

--
-- Name: stage_import_rows(uuid, integer, jsonb); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
  v_n integer;
BEGIN
  IF v_batch.status <> 'uploaded' THEN
    RAISE EXCEPTION 'rows are staged before validation starts' USING ERRCODE = 'PT409', HINT = 'start a new batch';
  END IF;
  IF jsonb_typeof(rows) <> 'array' OR first_row_no IS NULL OR first_row_no < 1 THEN
    RAISE EXCEPTION 'rows must be an array of arrays of texts, numbered from first_row_no >= 1' USING ERRCODE = '22023',
      HINT = 'each row lists its values in the order of the headers';
  END IF;
  INSERT INTO imports.rows (tenant_id, batch_id, row_no, raw)
  SELECT v_batch.tenant_id, v_batch.id, first_row_no + r.i::integer - 1,
         (SELECT coalesce(jsonb_object_agg(h.name, v.value), '{}')
            FROM unnest(v_batch.headers) WITH ORDINALITY AS h(name, pos)
            JOIN jsonb_array_elements_text(CASE jsonb_typeof(r.v) WHEN 'array' THEN r.v ELSE '[]' END) WITH ORDINALITY AS v(value, pos)
              ON v.pos = h.pos)
    FROM jsonb_array_elements(rows) WITH ORDINALITY AS r(v, i);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'rows from % are already staged', first_row_no USING ERRCODE = '23505', HINT = 'stage each row once';
END
$$;

ALTER FUNCTION api.stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb) IS 'Stages rows of the caller''s batch while it is uploaded: rows is an array of arrays of texts in the order of the batch''s headers, the first numbered first_row_no. Returns how many. Errors: 400 not an array, 403 another user''s batch, 404, 409 validation started, 409 rows already staged.';

--
-- Name: suggest_import_mapping(text, text[]); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.suggest_import_mapping(target text, headers text[]) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT imports.suggest_mapping(target, headers)
$$;

ALTER FUNCTION api.suggest_import_mapping(target text, headers text[]) OWNER TO cimiento_owner;

--
-- Name: FUNCTION suggest_import_mapping(target text, headers text[]); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.suggest_import_mapping(target text, headers text[]) IS 'The mapping {header: column} a file''s headers suggest for a target (accents, case and punctuation ignored), to show before uploading. STABLE.';

--
-- Name: transfer_stock(uuid, uuid, jsonb, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_from commerce.locations;
  v_to commerce.locations;
  v_transfer uuid := gen_random_uuid();
BEGIN
  PERFORM cimiento.require_permission('inventory.manage');
  v_from := commerce.require_location(from_location_id, 'inventory.manage');
  v_to := commerce.require_location(to_location_id, 'inventory.manage');
  IF v_from.id = v_to.id THEN
    RAISE EXCEPTION 'a transfer goes between two different locations' USING ERRCODE = '22023';
  END IF;
  PERFORM commerce.check_product_lines(lines, 'lines');
  IF length(reason) > 500 THEN
    RAISE EXCEPTION 'reason is too long: at most 500 characters' USING ERRCODE = '22001';
  END IF;
  INSERT INTO commerce.inventory_movements (branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, transfer_id, reason)
  SELECT m.branch_id, m.location_id, (l.v ->> 'product_id')::uuid, m.kind, m.sign * (l.v ->> 'quantity')::numeric,
         coalesce((SELECT c.average_cost FROM commerce.product_costs c WHERE c.product_id = (l.v ->> 'product_id')::uuid), 0),
         'transfer', v_transfer, reason
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, i)
    CROSS JOIN (VALUES (1, v_from.branch_id, v_from.id, 'transfer_out', -1), (2, v_to.branch_id, v_to.id, 'transfer_in', 1))
                 AS m(step, branch_id, location_id, kind, sign)
   ORDER BY m.step, (l.v ->> 'product_id')::uuid, l.i;
  RETURN jsonb_build_object('transfer_id', v_transfer, 'from_location_id', v_from.id, 'to_location_id', v_to.id,
                            'movements', (SELECT jsonb_agg(to_jsonb(m) ORDER BY m.kind DESC, m.product_id)
                                            FROM commerce.inventory_movements m WHERE m.transfer_id = v_transfer));
END
$$;

ALTER FUNCTION api.transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text) IS 'Moves stock between two locations (of one branch or of two): lines [{product_id, quantity}] become linked transfer_out and transfer_in movements sharing a transfer_id, at the average cost. Needs inventory.manage in both branches. Errors: 400 bad lines or same location, 403, 404 unknown location or product, 409 stock short at the source.';

--
-- Name: transition(text, text, text, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.transition(entity text, id text, to_state text, reason text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT cimiento.transition(entity, id, to_state, reason)
$$;

ALTER FUNCTION api.transition(entity text, id text, to_state text, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION transition(entity text, id text, to_state text, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.transition(entity text, id text, to_state text, reason text) IS 'Moves a row of a workflow entity (enrollments, courses) to another state and returns it. Errors: 404 unknown entity or row, 409 not an allowed transition (the hint lists what is allowed from the current state) or its condition is not met, 403 without the transition''s permission in the row''s branch, 400 a required reason missing. See allowed_transitions for what the caller may do now.';

--
-- Name: update_student(text, text, text, text, text, uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.update_student(document_id text, first_name text DEFAULT NULL::text, last_name text DEFAULT NULL::text, email text DEFAULT NULL::text, phone text DEFAULT NULL::text, branch_id uuid DEFAULT NULL::uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  s academy.students%ROWTYPE;
  doc text := upper(regexp_replace(coalesce(document_id, ''), '[[:space:].]', '', 'g'));
BEGIN
  PERFORM cimiento.require_permission('students.update');
  SELECT * INTO s FROM academy.students x WHERE x.document_id = doc;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF branch_id IS NOT NULL AND branch_id <> s.branch_id THEN
    RAISE EXCEPTION 'a student changes branch by enrolling there, not by an update' USING ERRCODE = '22023', COLUMN = 'branch_id';
  END IF;
  PERFORM academy.require_branch('student', s.id, 'students.update');
  UPDATE academy.students x
     SET first_name = coalesce(nullif(btrim(first_name), ''), x.first_name),
         last_name = coalesce(nullif(btrim(last_name), ''), x.last_name),
         email = coalesce(nullif(btrim(email), ''), x.email),
         phone = coalesce(nullif(btrim(phone), ''), x.phone)
   WHERE x.id = s.id
  RETURNING * INTO s;
  RETURN to_jsonb(s);
END
$$;

ALTER FUNCTION api.update_student(document_id text, first_name text, last_name text, email text, phone text, branch_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION update_student(document_id text, first_name text, last_name text, email text, phone text, branch_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.update_student(document_id text, first_name text, last_name text, email text, phone text, branch_id uuid) IS 'Updates the student with this document (students.update in their branch): names, email and phone; the values not given are kept. Returns the student, or null when no student has the document (an import then registers one). 400 bad values or another branch, 403.';

--
-- Name: validate_import(uuid); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.validate_import(batch_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_batch imports.batches := imports.require_batch(batch_id);
  v_target imports.targets;
BEGIN
  IF v_batch.status <> 'uploaded' THEN
    RAISE EXCEPTION 'the batch is %, not uploaded', v_batch.status USING ERRCODE = 'PT409', HINT = 'each batch is validated once';
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  PERFORM imports.mark_repeated_keys(v_batch, v_target);
  UPDATE imports.batches b
     SET status = 'validating', phase_started_at = now(), lease_until = NULL,
         rows_total = (SELECT count(*) FROM imports.rows r WHERE r.tenant_id = b.tenant_id AND r.batch_id = b.id)
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = v_batch.id;
  PERFORM pg_notify('cimiento_imports', v_batch.id::text);
  RETURN (SELECT to_jsonb(i) FROM api.imports i WHERE i.id = batch_id);
END
$$;

ALTER FUNCTION api.validate_import(batch_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION validate_import(batch_id uuid); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.validate_import(batch_id uuid) IS 'Starts validating the caller''s uploaded batch in the background (the api works it a chunk at a time as the caller); rows repeating an earlier row''s natural key are marked first. Follow it at /imports?id=eq.… (rows_checked, rows_per_second, seconds_left). Errors: 403, 404, 409 not uploaded.';

--
-- Name: void_sale(uuid, text); Type: FUNCTION; Schema: api; Owner: cimiento_owner
--

CREATE FUNCTION api.void_sale(sale_id uuid, reason text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_variable
DECLARE
  v_status text;
BEGIN
  IF sale_id IS NULL THEN
    RAISE EXCEPTION 'sale_id is required' USING ERRCODE = '22023';
  END IF;
  SELECT s.status INTO v_status FROM commerce.sales s WHERE s.id = sale_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sale % not found', sale_id USING ERRCODE = 'PT404';
  END IF;
  IF v_status = 'voided' THEN
    RAISE EXCEPTION 'the sale is already voided' USING ERRCODE = 'PT409';
  END IF;
  PERFORM cimiento.transition('sales', sale_id::text, 'voided', reason);
  RETURN commerce.sale_json(cimiento.current_tenant(), sale_id);
END
$$;

ALTER FUNCTION api.void_sale(sale_id uuid, reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION void_sale(sale_id uuid, reason text); Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON FUNCTION api.void_sale(sale_id uuid, reason text) IS 'Voids a sale of today (the workflow transition sales.void, with a reason): what was not returned goes back to stock and what was not credited gets a credit note. Returns the sale. Needs sales.void and credit_notes.issue in the sale''s branch. Errors: 400 reason missing, 403 permission, 404 unknown sale, 409 already voided or not of today (return the goods instead).';

--
-- Name: prune(uuid, bigint); Type: FUNCTION; Schema: audit; Owner: audit_owner
--

CREATE FUNCTION audit.prune(p_tenant uuid, p_up_to_seq bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v record;
  last record;
  n bigint;
BEGIN
  SELECT * INTO v FROM cimiento.verify_audit(p_tenant);
  IF NOT v.ok THEN
    RAISE EXCEPTION 'audit chain of % does not verify (%): not pruning', p_tenant, v.problem USING ERRCODE = '55000';
  END IF;
  SELECT seq, chain_hash INTO last FROM audit.seals WHERE tenant_id = p_tenant AND seq = p_up_to_seq;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no seal % for tenant %', p_up_to_seq, p_tenant USING ERRCODE = '22023';
  END IF;
  PERFORM set_config('cimiento.audit_maintenance', 'on', true);
  INSERT INTO audit.chain_base (tenant_id, seq, chain_hash, max_log_id)
  SELECT p_tenant, last.seq, last.chain_hash, max(i)
    FROM audit.seals, unnest(log_ids) AS i WHERE tenant_id = p_tenant AND seq <= p_up_to_seq
  ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, chain_hash = EXCLUDED.chain_hash,
                                        max_log_id = greatest(audit.chain_base.max_log_id, EXCLUDED.max_log_id), pruned_at = now();
  WITH gone AS (DELETE FROM audit.seals WHERE tenant_id = p_tenant AND seq <= p_up_to_seq RETURNING log_ids)
  DELETE FROM audit.log l USING gone WHERE l.tenant_id = p_tenant AND l.id = ANY (gone.log_ids);
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('cimiento.audit_maintenance', 'off', true);
  RETURN n;
END
$$;

ALTER FUNCTION audit.prune(p_tenant uuid, p_up_to_seq bigint) OWNER TO audit_owner;

--
-- Name: FUNCTION prune(p_tenant uuid, p_up_to_seq bigint); Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON FUNCTION audit.prune(p_tenant uuid, p_up_to_seq bigint) IS 'Maintenance (superuser only): after archiving them, removes a tenant''s sealed audit rows up to a seq and records the chain base, so verify_audit still checks the rest. Refuses a chain that does not verify.';

--
-- Name: refuse_change(); Type: FUNCTION; Schema: audit; Owner: cimiento_guard
--

CREATE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF current_user = 'audit_owner' AND current_setting('cimiento.audit_maintenance', true) = 'on' THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD WHEN 'TRUNCATE' THEN NULL ELSE NEW END;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only: % on audit.% is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501', HINT = 'only audit.prune(), run by a superuser, removes old sealed rows';
END
$$;

ALTER FUNCTION audit.refuse_change() OWNER TO cimiento_guard;

--
-- Name: FUNCTION refuse_change(); Type: COMMENT; Schema: audit; Owner: cimiento_guard
--

COMMENT ON FUNCTION audit.refuse_change() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on the audit tables, even to their owner, outside audit.prune().';

--
-- Name: row_key(text, jsonb); Type: FUNCTION; Schema: audit; Owner: audit_owner
--

CREATE FUNCTION audit.row_key(p_table text, p_pk jsonb) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT hashtextextended(p_table || ' ' || p_pk::text, 0)
$$;

ALTER FUNCTION audit.row_key(p_table text, p_pk jsonb) OWNER TO audit_owner;

--
-- Name: FUNCTION row_key(p_table text, p_pk jsonb); Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON FUNCTION audit.row_key(p_table text, p_pk jsonb) IS 'The indexed key of a row''s history in audit.log: audit.row_key(table_name, row_pk).';

--
-- Name: check_lines(jsonb); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.check_lines(p_lines jsonb) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  l jsonb;
  n int := 0;
BEGIN
  IF p_lines IS NULL OR jsonb_typeof(p_lines) <> 'array' OR jsonb_array_length(p_lines) = 0 THEN
    RAISE EXCEPTION 'lines must be a non-empty array of {description, quantity, unit_price, tax_rate}'
      USING ERRCODE = '22023';
  END IF;
  IF jsonb_array_length(p_lines) > 1000 THEN
    RAISE EXCEPTION 'a document has at most 1000 lines' USING ERRCODE = '22023';
  END IF;
  FOR l IN SELECT * FROM jsonb_array_elements(p_lines) LOOP
    n := n + 1;
    IF jsonb_typeof(l) <> 'object' THEN
      RAISE EXCEPTION 'lines[%] must be an object', n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'description') IS DISTINCT FROM 'string' OR btrim(l ->> 'description') = '' THEN
      RAISE EXCEPTION 'lines[%].description is required', n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'quantity') IS DISTINCT FROM 'number' OR (l ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION 'lines[%].quantity must be a number greater than 0', n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'unit_price') IS DISTINCT FROM 'number' OR (l ->> 'unit_price')::numeric < 0 THEN
      RAISE EXCEPTION 'lines[%].unit_price must be a number of at least 0', n USING ERRCODE = '22023';
    END IF;
    IF l ? 'tax_rate' AND (jsonb_typeof(l -> 'tax_rate') IS DISTINCT FROM 'number'
                           OR (l ->> 'tax_rate')::numeric NOT BETWEEN 0 AND 100) THEN
      RAISE EXCEPTION 'lines[%].tax_rate must be a percentage between 0 and 100', n USING ERRCODE = '22023';
    END IF;
  END LOOP;
END
$$;

ALTER FUNCTION billing.check_lines(p_lines jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION check_lines(p_lines jsonb); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.check_lines(p_lines jsonb) IS 'Validates invoice lines (22023 naming the first bad field). IMMUTABLE.';

--
-- Name: check_text_lengths(jsonb); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.check_text_lengths(p_fields jsonb) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION billing.check_text_lengths(p_fields jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION check_text_lengths(p_fields jsonb); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.check_text_lengths(p_fields jsonb) IS 'Refuses (22001 → 400, naming the field) a document''s free-text field longer than its bound: customer_name 200, customer_tax_id 32, customer_address 500, customer_email 254, reason 500, notes 2000.';

--
-- Name: creditable_amount(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.creditable_amount(p_tenant uuid, p_invoice uuid) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT o.total - coalesce((SELECT sum(cn.total) FROM billing.invoices cn
                              WHERE cn.tenant_id = o.tenant_id AND cn.corrects_invoice_id = o.id
                                AND cn.kind = 'credit_note' AND cn.status <> 'draft'), 0)
    FROM billing.invoices o WHERE o.tenant_id = p_tenant AND o.id = p_invoice
$$;

ALTER FUNCTION billing.creditable_amount(p_tenant uuid, p_invoice uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION creditable_amount(p_tenant uuid, p_invoice uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.creditable_amount(p_tenant uuid, p_invoice uuid) IS 'Total of an invoice minus its issued credit notes. STABLE.';

--
-- Name: credited_quantity(uuid, uuid, integer, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT coalesce(sum(ci.quantity), 0)
    FROM billing.invoice_items ci
    JOIN billing.invoices cn ON cn.tenant_id = ci.tenant_id AND cn.id = ci.invoice_id
   WHERE cn.tenant_id = p_tenant AND cn.corrects_invoice_id = p_invoice AND cn.id IS DISTINCT FROM p_exclude
     AND cn.status <> 'draft' AND ci.corrects_line_no = p_line
$$;

ALTER FUNCTION billing.credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid) IS 'Quantity of an invoice line already credited by issued credit notes (excluding one being issued). STABLE.';

--
-- Name: document_json(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.document_json(p_tenant uuid, p_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN (
  SELECT jsonb_build_object(
           'id', d.id, 'kind', d.kind, 'simplified', billing.document_simplified(d.tenant_id, d.series_id),
           'status', d.status, 'branch_id', d.branch_id,
           'series_code', d.series_code, 'fiscal_year', d.fiscal_year, 'number', d.number,
           'number_display', d.number_display, 'issue_date', d.issue_date, 'currency', d.currency,
           'customer', jsonb_build_object('name', d.customer_name, 'tax_id', d.customer_tax_id,
                                          'address', d.customer_address, 'email', d.customer_email,
                                          'student_id', d.student_id, 'customer_id', d.customer_id),
           'corrects_invoice_id', d.corrects_invoice_id, 'reason', d.reason, 'notes', d.notes,
           'subtotal', d.subtotal, 'tax_total', d.tax_total, 'total', d.total,
           'idempotency_key', d.idempotency_key, 'issued_at', d.issued_at,
           'lines', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'line_no', i.line_no, 'description', i.description, 'quantity', i.quantity,
                                 'unit_price', i.unit_price, 'tax_rate', i.tax_rate, 'subtotal', i.line_subtotal,
                                 'corrects_line_no', i.corrects_line_no) ORDER BY i.line_no)
                                FROM billing.invoice_items i WHERE i.tenant_id = d.tenant_id AND i.invoice_id = d.id), '[]'),
           'taxes', coalesce((SELECT jsonb_agg(jsonb_build_object('tax_rate', t.tax_rate, 'base', t.base, 'tax', t.tax))
                                FROM billing.document_taxes(d.tenant_id, d.id) t), '[]'))
    FROM billing.invoices d WHERE d.tenant_id = p_tenant AND d.id = p_id);
END
$$;

ALTER FUNCTION billing.document_json(p_tenant uuid, p_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION document_json(p_tenant uuid, p_id uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.document_json(p_tenant uuid, p_id uuid) IS 'An invoice or credit note as JSON (header, simplified — its series is —, customer, lines, taxes), as the caller may see it. STABLE.';

--
-- Name: document_numbered(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  -- Invoices return at once (a plain index probe, planned once per session).
  IF NOT EXISTS (SELECT 1 FROM billing.invoices d WHERE d.tenant_id = p_tenant AND d.id = p_id AND d.kind = 'credit_note') THEN
    RETURN;
  END IF;
  UPDATE billing.invoices o SET status = 'cancelled'
    FROM billing.invoices cn
   WHERE cn.tenant_id = p_tenant AND cn.id = p_id AND cn.kind = 'credit_note'
     AND o.tenant_id = cn.tenant_id AND o.id = cn.corrects_invoice_id AND o.status = 'issued'
     AND NOT EXISTS (SELECT 1 FROM billing.invoice_items i
                      WHERE i.tenant_id = o.tenant_id AND i.invoice_id = o.id
                        AND i.quantity > billing.credited_quantity(o.tenant_id, o.id, i.line_no, NULL));
END
$$;

ALTER FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION document_numbered(p_tenant uuid, p_id uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) IS 'After-numbering function of billing.invoices (run by the numbering as cimiento_numbering): a credit note after which every line of the invoice it corrects is fully credited (by quantity) cancels that invoice.';

--
-- Name: document_render_state(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION billing.document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer) IS 'Whether a document is issued, its PDF stored, how many renders failed, whether a render is due now and, if one is scheduled, in how many seconds (NULL: none scheduled). SECURITY DEFINER, cimiento_api only.';

--
-- Name: document_simplified(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN coalesce((SELECT s.simplified FROM billing.invoice_series s WHERE s.tenant_id = p_tenant AND s.id = p_series), false);
END
$$;

ALTER FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION document_simplified(p_tenant uuid, p_series uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) IS 'Whether a document numbered in this series is a simplified invoice (its series is; false before numbering). The one place the rule lives. STABLE, PARALLEL SAFE.';

--
-- Name: document_taxes(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid) RETURNS TABLE(tax_rate numeric, base numeric, tax numeric)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN QUERY
  SELECT i.tax_rate, sum(i.line_subtotal), round(sum(i.line_subtotal) * i.tax_rate / 100, 2)
    FROM billing.invoice_items i
   WHERE i.tenant_id = p_tenant AND i.invoice_id = p_invoice
   GROUP BY i.tax_rate
   ORDER BY i.tax_rate;
END
$$;

ALTER FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION document_taxes(p_tenant uuid, p_invoice uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid) IS 'Tax breakdown of a document: base and tax per rate (tax rounded per rate). STABLE.';

--
-- Name: documents_to_render(integer); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.documents_to_render(p_limit integer) RETURNS TABLE(tenant_id uuid, invoice_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT i.tenant_id, i.id FROM billing.invoices i
   WHERE i.number IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM billing.invoice_documents d WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id)
     AND NOT EXISTS (SELECT 1 FROM billing.document_render_failures f
                      WHERE f.tenant_id = i.tenant_id AND f.invoice_id = i.id
                        AND (f.next_attempt_at IS NULL OR f.next_attempt_at > now()))
   ORDER BY i.issued_at NULLS LAST
   LIMIT least(greatest(p_limit, 0), 1000)
$$;

ALTER FUNCTION billing.documents_to_render(p_limit integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION documents_to_render(p_limit integer); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.documents_to_render(p_limit integer) IS 'Issued documents without a stored PDF whose render is due (never failed, or their backoff elapsed), oldest first, at most 1000. SECURITY DEFINER, cimiento_api only.';

--
-- Name: idempotent_replay(text, text); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.idempotent_replay(p_key text, p_hash text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  prior record;
BEGIN
  IF p_key IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT tenant_id, id, request_hash INTO prior FROM billing.invoices
   WHERE tenant_id = cimiento.current_tenant() AND idempotency_key = p_key;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF prior.request_hash IS DISTINCT FROM p_hash THEN
    RAISE EXCEPTION 'idempotency key % was already used for a different request', p_key
      USING ERRCODE = 'PT409', HINT = 'use a new key for a new document';
  END IF;
  RETURN billing.document_json(prior.tenant_id, prior.id);
END
$$;

ALTER FUNCTION billing.idempotent_replay(p_key text, p_hash text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION idempotent_replay(p_key text, p_hash text); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.idempotent_replay(p_key text, p_hash text) IS 'The document an earlier call with this idempotency key created (same request), NULL if none; PT409 if the key was used for a different request.';

--
-- Name: insert_draft(jsonb); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.insert_draft(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  prior jsonb;
BEGIN
  INSERT INTO billing.invoices (id, branch_id, kind, series_code, issue_date, currency, customer_name, customer_tax_id,
                                customer_address, customer_email, student_id, customer_id, corrects_invoice_id, reason, notes,
                                idempotency_key, request_hash)
  SELECT d.id, d.branch_id, d.kind, d.series_code, coalesce(d.issue_date, current_date), d.currency, btrim(d.customer_name),
         d.customer_tax_id, d.customer_address, d.customer_email, d.student_id, d.customer_id, d.corrects_invoice_id,
         btrim(d.reason), d.notes, d.idempotency_key, d.request_hash
    FROM jsonb_populate_record(NULL::billing.invoices, p) AS d;
  RETURN NULL;
EXCEPTION WHEN unique_violation THEN
  prior := billing.idempotent_replay(p ->> 'idempotency_key', p ->> 'request_hash');
  IF prior IS NULL THEN
    RAISE;
  END IF;
  RETURN prior;
END
$$;

ALTER FUNCTION billing.insert_draft(p jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION insert_draft(p jsonb); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.insert_draft(p jsonb) IS 'Inserts a draft invoice or credit note from JSON; returns NULL, or the document an earlier call with the same idempotency key created (a concurrent retry).';

--
-- Name: invoice_items_guard_issued(); Type: FUNCTION; Schema: billing; Owner: cimiento_guard
--

CREATE FUNCTION billing.invoice_items_guard_issued() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION billing.invoice_items_guard_issued() OWNER TO cimiento_guard;

--
-- Name: FUNCTION invoice_items_guard_issued(); Type: COMMENT; Schema: billing; Owner: cimiento_guard
--

COMMENT ON FUNCTION billing.invoice_items_guard_issued() IS 'Trigger (protected): lines change only while their document is a draft, for every role; fills branch_id from the document.';

--
-- Name: invoices_guard_issued(); Type: FUNCTION; Schema: billing; Owner: cimiento_guard
--

CREATE FUNCTION billing.invoices_guard_issued() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION billing.invoices_guard_issued() OWNER TO cimiento_guard;

--
-- Name: FUNCTION invoices_guard_issued(); Type: COMMENT; Schema: billing; Owner: cimiento_guard
--

COMMENT ON FUNCTION billing.invoices_guard_issued() IS 'Trigger (AFTER, protected): refuses any change or deletion of an issued or cancelled document (PT409 → HTTP 409) by every role; cimiento_numbering may only number an unnumbered document or cancel a fully credited invoice.';

--
-- Name: invoices_on_issue(); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.invoices_on_issue() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  s numeric(14,2);
  tx numeric(14,2);
BEGIN
  IF NEW.status = 'issued' AND (TG_OP = 'INSERT' OR OLD.status = 'draft') THEN
    SELECT coalesce(sum(base), 0), coalesce(sum(tax), 0) INTO s, tx FROM billing.document_taxes(NEW.tenant_id, NEW.id);
    IF NOT EXISTS (SELECT 1 FROM billing.invoice_items WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.id) THEN
      RAISE EXCEPTION 'a document needs at least one line to be issued' USING ERRCODE = '22023';
    END IF;
    NEW.subtotal := s;
    NEW.tax_total := tx;
    NEW.total := s + tx;
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION billing.invoices_on_issue() OWNER TO cimiento_owner;

--
-- Name: FUNCTION invoices_on_issue(); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.invoices_on_issue() IS 'Trigger: on draft → issued, computes subtotal, tax and total from the lines; refuses a document without lines (22023).';

--
-- Name: issue_invoice_pending(text, jsonb, text, text, text, text, uuid, uuid, date, text, text, text); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.issue_invoice_pending(series_code text, lines jsonb, customer_name text DEFAULT NULL::text, customer_tax_id text DEFAULT NULL::text, customer_address text DEFAULT NULL::text, customer_email text DEFAULT NULL::text, student_id uuid DEFAULT NULL::uuid, customer_id uuid DEFAULT NULL::uuid, issue_date date DEFAULT NULL::date, currency text DEFAULT NULL::text, notes text DEFAULT NULL::text, idempotency_key text DEFAULT NULL::text) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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
    RETURN (v_prior ->> 'id')::uuid;
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
    RETURN (v_prior ->> 'id')::uuid;
  END IF;
  INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
  SELECT v_id, l.n, v_branch, btrim(l.v ->> 'description'), (l.v ->> 'quantity')::numeric, (l.v ->> 'unit_price')::numeric,
         coalesce((l.v ->> 'tax_rate')::numeric, 21)
    FROM jsonb_array_elements(lines) WITH ORDINALITY AS l(v, n);
  UPDATE billing.invoices SET status = 'issued' WHERE id = v_id;
  RETURN v_id;
END
$$;

ALTER FUNCTION billing.issue_invoice_pending(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION issue_invoice_pending(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.issue_invoice_pending(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text) IS 'api.issue_invoice without its last step: the invoice is issued with every check of api.issue_invoice, and gets its gapless number at commit or when the caller runs billing.number_now() — so an RPC that issues a document and does more work can number last and hold the series for the shortest time. Returns the document''s id (an earlier one for a replayed idempotency key). VOLATILE.';

--
-- Name: number_now(); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.number_now() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  SET CONSTRAINTS billing.invoices_number_at_commit IMMEDIATE;
EXCEPTION
  WHEN no_data_found THEN
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'PT404', HINT = 'create the series first (api.invoice_series)';
  WHEN object_not_in_prerequisite_state THEN
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'PT409';
END
$$;

ALTER FUNCTION billing.number_now() OWNER TO cimiento_owner;

--
-- Name: FUNCTION number_now(); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.number_now() IS 'Fires the pending numbering of this transaction now (SET CONSTRAINTS … IMMEDIATE); P0002 → PT404, 55000 → PT409.';

--
-- Name: record_render_failure(uuid, uuid, text); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text) RETURNS TABLE(attempts integer, next_attempt_at timestamp with time zone)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION billing.record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text) IS 'Records that rendering an issued document''s PDF failed (reason kept for operators) and schedules the next attempt with backoff, or none after billing.render_max_attempts(). SECURITY DEFINER, cimiento_api only.';

--
-- Name: render_data(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT jsonb_build_object(
           'tenant', jsonb_build_object('name', t.name, 'legal_name', coalesce(t.legal_name, t.name), 'tax_id', t.tax_id,
                                        'address', t.address, 'locale', t.locale, 'currency', t.currency),
           'branch', jsonb_build_object('code', b.code, 'name', b.name, 'address', b.address, 'phone', b.phone),
           'document', billing.document_json(i.tenant_id, i.id),
           'corrects', (SELECT jsonb_build_object('number_display', o.number_display, 'issue_date', o.issue_date)
                          FROM billing.invoices o WHERE o.tenant_id = i.tenant_id AND o.id = i.corrects_invoice_id))
    FROM billing.invoices i
    JOIN core.tenants t ON t.id = i.tenant_id
    JOIN core.branches b ON b.tenant_id = i.tenant_id AND b.id = i.branch_id
   WHERE i.tenant_id = p_tenant AND i.id = p_invoice AND i.number IS NOT NULL
$$;

ALTER FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION render_data(p_tenant uuid, p_invoice uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) IS 'Everything an issued document''s PDF shows (tenant, branch, document, corrected invoice). SECURITY DEFINER, for cimiento_api after it checked the caller''s access.';

--
-- Name: render_max_attempts(); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.render_max_attempts() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 5 $$;

ALTER FUNCTION billing.render_max_attempts() OWNER TO cimiento_owner;

--
-- Name: FUNCTION render_max_attempts(); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.render_max_attempts() IS 'How many times a document''s PDF is rendered automatically before giving up (5). Backoff between attempts: 30 s × 4^(attempt−1), at most 1 h.';

--
-- Name: retry_document_render(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.retry_document_render(p_tenant uuid, p_invoice uuid) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH gone AS (DELETE FROM billing.document_render_failures f WHERE f.tenant_id = p_tenant AND f.invoice_id = p_invoice RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM gone)
$$;

ALTER FUNCTION billing.retry_document_render(p_tenant uuid, p_invoice uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION retry_document_render(p_tenant uuid, p_invoice uuid); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.retry_document_render(p_tenant uuid, p_invoice uuid) IS 'Operators: forgets a document''s render failures so the api renders it again at its next catch-up (within a minute) or download. Returns whether failures were recorded.';

--
-- Name: series_branch(text, text); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.series_branch(p_code text, p_kind text) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN (SELECT s.branch_id FROM billing.invoice_series s
           WHERE s.tenant_id = cimiento.current_tenant() AND s.code = p_code AND s.kind = p_kind
           ORDER BY s.fiscal_year DESC LIMIT 1);
END
$$;

ALTER FUNCTION billing.series_branch(p_code text, p_kind text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION series_branch(p_code text, p_kind text); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.series_branch(p_code text, p_kind text) IS 'Branch of the latest series with that code and kind in the caller''s tenant (NULL if none). SECURITY DEFINER; tenant-scoped by current_tenant(). STABLE (PL/pgSQL: plan cached per session).';

--
-- Name: store_document(uuid, uuid, text, bytea, text); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text) IS 'Stores the PDF of an issued document if none is stored yet (clearing its recorded render failures) and returns the stored sha256 (the first render wins). SECURITY DEFINER, cimiento_api only.';

--
-- Name: stored_document(uuid, uuid); Type: FUNCTION; Schema: billing; Owner: cimiento_owner
--

CREATE FUNCTION billing.stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT d.sha256, d.content FROM billing.invoice_documents d WHERE d.tenant_id = p_tenant AND d.invoice_id = p_invoice
$$;

ALTER FUNCTION billing.stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea) OWNER TO cimiento_owner;

--
-- Name: FUNCTION stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea); Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON FUNCTION billing.stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea) IS 'The stored PDF (sha256 and bytes) of a document. SECURITY DEFINER, cimiento_api only.';

--
-- Name: categories_no_cycle(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.categories_no_cycle() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND EXISTS (
       WITH RECURSIVE up(id, depth) AS (
         SELECT NEW.parent_id, 1
         UNION ALL
         SELECT c.parent_id, up.depth + 1 FROM up JOIN commerce.categories c ON c.tenant_id = NEW.tenant_id AND c.id = up.id
          WHERE c.parent_id IS NOT NULL AND up.depth < 100)
       SELECT 1 FROM up WHERE up.id = NEW.id) THEN
    RAISE EXCEPTION 'category % cannot be placed under its own descendant', NEW.name USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION commerce.categories_no_cycle() OWNER TO cimiento_owner;

--
-- Name: FUNCTION categories_no_cycle(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.categories_no_cycle() IS 'Trigger: refuses (22023) a parent that is the category itself or one of its descendants.';

--
-- Name: check_product_lines(jsonb, text, text[]); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.check_product_lines(p_lines jsonb, p_name text, p_numbers text[] DEFAULT '{}'::text[]) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  l jsonb;
  n int := 0;
  f text;
  v_bad_line int;
  v_bad_product text;
BEGIN
  IF p_lines IS NULL OR jsonb_typeof(p_lines) <> 'array' OR jsonb_array_length(p_lines) = 0 THEN
    RAISE EXCEPTION '% must be a non-empty array', p_name USING ERRCODE = '22023';
  END IF;
  IF jsonb_array_length(p_lines) > 200 THEN
    RAISE EXCEPTION '% has % elements: at most 200', p_name, jsonb_array_length(p_lines) USING ERRCODE = '22023';
  END IF;
  FOR l IN SELECT * FROM jsonb_array_elements(p_lines) LOOP
    n := n + 1;
    IF jsonb_typeof(l) <> 'object' THEN
      RAISE EXCEPTION '%[%] must be an object', p_name, n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'product_id') IS DISTINCT FROM 'string'
       OR (l ->> 'product_id') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
      RAISE EXCEPTION '%[%].product_id must be a product id (uuid)', p_name, n USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(l -> 'quantity') IS DISTINCT FROM 'number' OR (l ->> 'quantity')::numeric <= 0 THEN
      RAISE EXCEPTION '%[%].quantity must be a number greater than 0', p_name, n USING ERRCODE = '22023';
    END IF;
    IF (l ->> 'quantity')::numeric <> round((l ->> 'quantity')::numeric, 3) OR (l ->> 'quantity')::numeric >= 1e9 THEN
      RAISE EXCEPTION '%[%].quantity has more than 3 decimals or is too large', p_name, n USING ERRCODE = '22023';
    END IF;
    FOREACH f IN ARRAY p_numbers LOOP
      IF l ? f AND (jsonb_typeof(l -> f) <> 'number' OR (l ->> f)::numeric < 0 OR (l ->> f)::numeric >= 1e10) THEN
        RAISE EXCEPTION '%[%].% must be a number, 0 or more', p_name, n, f USING ERRCODE = '22023';
      END IF;
    END LOOP;
  END LOOP;
  -- Every product known to the caller (one query for all lines).
  SELECT x.i, x.v ->> 'product_id' INTO v_bad_line, v_bad_product
    FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS x(v, i)
   WHERE NOT EXISTS (SELECT 1 FROM commerce.products p WHERE p.id = (x.v ->> 'product_id')::uuid)
   ORDER BY x.i LIMIT 1;
  IF v_bad_line IS NOT NULL THEN
    RAISE EXCEPTION '%[%]: product % not found', p_name, v_bad_line, v_bad_product USING ERRCODE = 'PT404';
  END IF;
END
$_$;

ALTER FUNCTION commerce.check_product_lines(p_lines jsonb, p_name text, p_numbers text[]) OWNER TO cimiento_owner;

--
-- Name: FUNCTION check_product_lines(p_lines jsonb, p_name text, p_numbers text[]); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.check_product_lines(p_lines jsonb, p_name text, p_numbers text[]) IS 'Validates lines of products [{product_id, quantity, …}] (1 to 200; quantity > 0 with at most 3 decimals; the named number fields, when present, 0 or more): 22023 naming the element and field; PT404 (404) naming the first product the caller cannot see. STABLE.';

--
-- Name: inventory_movements_apply(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.inventory_movements_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_level numeric;
  v_backorder boolean;
  v_sku text;
  v_location text;
  v_on_hand numeric;
  v_average numeric;
BEGIN
  INSERT INTO commerce.stock_levels AS s (tenant_id, product_id, location_id, branch_id, quantity, updated_at)
  VALUES (NEW.tenant_id, NEW.product_id, NEW.location_id, NEW.branch_id, NEW.quantity, now())
  ON CONFLICT (tenant_id, product_id, location_id)
  DO UPDATE SET quantity = s.quantity + EXCLUDED.quantity, updated_at = EXCLUDED.updated_at
  RETURNING s.quantity INTO v_level;
  IF v_level < 0 AND NEW.quantity < 0 THEN
    SELECT p.allow_backorder, p.sku INTO v_backorder, v_sku
      FROM commerce.products p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.product_id;
    IF NOT v_backorder THEN
      SELECT l.code INTO v_location FROM commerce.locations l WHERE l.tenant_id = NEW.tenant_id AND l.id = NEW.location_id;
      RAISE EXCEPTION 'not enough stock of % at %: % available, % requested', v_sku, v_location,
          trim_scale(greatest(v_level - NEW.quantity, 0)), trim_scale(-NEW.quantity)
        USING ERRCODE = 'PT409',
              DETAIL = json_build_object('sku', v_sku, 'location', v_location, 'available', trim_scale(greatest(v_level - NEW.quantity, 0)),
                                         'requested', trim_scale(-NEW.quantity))::text,
              HINT = 'sell at most what is available, or allow backorder on the product';
    END IF;
  END IF;
  SELECT c.on_hand, c.average_cost INTO v_on_hand, v_average
    FROM commerce.product_costs c WHERE c.tenant_id = NEW.tenant_id AND c.product_id = NEW.product_id FOR UPDATE;
  IF NEW.kind IN ('receipt', 'return', 'void') AND NEW.quantity > 0 THEN
    v_average := CASE WHEN v_on_hand <= 0 THEN NEW.unit_cost
                      ELSE round((v_on_hand * v_average + NEW.quantity * NEW.unit_cost) / (v_on_hand + NEW.quantity), 4) END;
  END IF;
  UPDATE commerce.product_costs c SET on_hand = c.on_hand + NEW.quantity, average_cost = v_average, updated_at = now(),
         last_sold_at = CASE WHEN NEW.kind = 'sale' THEN greatest(c.last_sold_at, NEW.moved_at) ELSE c.last_sold_at END
   WHERE c.tenant_id = NEW.tenant_id AND c.product_id = NEW.product_id;
  RETURN NULL;
END
$$;

ALTER FUNCTION commerce.inventory_movements_apply() OWNER TO cimiento_owner;

--
-- Name: FUNCTION inventory_movements_apply(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.inventory_movements_apply() IS 'Trigger (AFTER INSERT on the ledger): moves stock_levels of the product and location under its row lock; refuses going below zero unless the product allows backorder (PT409 → 409, naming the SKU, location and available quantity; DETAIL is JSON); keeps on_hand, the moving-average cost (receipts, returns and voids come in at their unit cost) and the last sale in product_costs. SECURITY DEFINER: callers never write levels or costs.';

--
-- Name: local_day(uuid, timestamp with time zone); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.local_day(p_tenant uuid, p_at timestamp with time zone) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT core.local_day(p_tenant, p_at)
$$;

ALTER FUNCTION commerce.local_day(p_tenant uuid, p_at timestamp with time zone) OWNER TO cimiento_owner;

--
-- Name: FUNCTION local_day(p_tenant uuid, p_at timestamp with time zone); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.local_day(p_tenant uuid, p_at timestamp with time zone) IS 'The date of a moment in the tenant''s time zone (core.local_day). STABLE, PARALLEL SAFE.';

--
-- Name: local_today(uuid); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.local_today(p_tenant uuid) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT core.local_day(p_tenant, now())
$$;

ALTER FUNCTION commerce.local_today(p_tenant uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION local_today(p_tenant uuid); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.local_today(p_tenant uuid) IS 'Today in the tenant''s time zone (core.local_today). STABLE, PARALLEL SAFE.';

--
-- Name: location_by_code(text); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.location_by_code(p_code text) RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT l.id FROM commerce.locations l WHERE upper(l.code) = upper(btrim(p_code)) LIMIT 1
$$;

ALTER FUNCTION commerce.location_by_code(p_code text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION location_by_code(p_code text); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.location_by_code(p_code text) IS 'The id of the stock location with this code the caller can see (case and surrounding spaces ignored), NULL if none: the lookup imports use for a location column. STABLE, PARALLEL SAFE.';

--
-- Name: products_open_costs(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.products_open_costs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO commerce.product_costs (tenant_id, product_id, average_cost) VALUES (NEW.tenant_id, NEW.id, NEW.cost);
  RETURN NULL;
END
$$;

ALTER FUNCTION commerce.products_open_costs() OWNER TO cimiento_owner;

--
-- Name: FUNCTION products_open_costs(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.products_open_costs() IS 'Trigger: a new product gets its product_costs row (nothing on hand, average = its standard cost). SECURITY DEFINER: product_costs is not writable by API roles.';

--
-- Name: locations; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.locations (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT locations_code_format CHECK ((code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'::text)),
    CONSTRAINT locations_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100)))
);

ALTER TABLE ONLY commerce.locations FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.locations OWNER TO cimiento_owner;

--
-- Name: TABLE locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.locations IS 'Where stock is kept: one or more per branch (shop floor, back room, warehouse). Code unique per tenant; is_default marks the one a sale takes stock from when it names none (at most one per branch; without one, the first active by code).';

--
-- Name: require_location(uuid, text); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.require_location(p_location uuid, p_permission text) RETURNS commerce.locations
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  l commerce.locations;
BEGIN
  IF p_location IS NULL THEN
    RAISE EXCEPTION 'location_id is required' USING ERRCODE = '22023';
  END IF;
  SELECT * INTO l FROM commerce.locations x WHERE x.id = p_location;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'location % not found', p_location USING ERRCODE = 'PT404';
  END IF;
  PERFORM cimiento.require_permission(p_permission, l.branch_id);
  IF NOT l.active THEN
    RAISE EXCEPTION 'location % is closed', l.code USING ERRCODE = 'PT409';
  END IF;
  RETURN l;
END
$$;

ALTER FUNCTION commerce.require_location(p_location uuid, p_permission text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION require_location(p_location uuid, p_permission text); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.require_location(p_location uuid, p_permission text) IS 'A location the caller may act on with a permission: 22023 missing, 404 unknown, 403 without the permission in its branch, 409 closed. STABLE.';

--
-- Name: return_lines_within_sold(); Type: FUNCTION; Schema: commerce; Owner: cimiento_guard
--

CREATE FUNCTION commerce.return_lines_within_sold() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_sold numeric;
  v_returned numeric;
BEGIN
  -- Serialise returns of one sale: the sale row is locked by the first.
  PERFORM 1 FROM commerce.sales s WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.sale_id FOR UPDATE;
  SELECT l.quantity INTO v_sold FROM commerce.sale_lines l
   WHERE l.tenant_id = NEW.tenant_id AND l.sale_id = NEW.sale_id AND l.line_no = NEW.sale_line_no;
  SELECT coalesce(sum(r.quantity), 0) INTO v_returned FROM commerce.return_lines r
   WHERE r.tenant_id = NEW.tenant_id AND r.sale_id = NEW.sale_id AND r.sale_line_no = NEW.sale_line_no;
  IF v_returned + NEW.quantity > v_sold THEN
    RAISE EXCEPTION 'line % of the sale: % sold, % already returned, % requested', NEW.sale_line_no, trim_scale(v_sold),
        trim_scale(v_returned), trim_scale(NEW.quantity)
      USING ERRCODE = 'PT409', HINT = format('at most %s can still be returned', trim_scale(v_sold - v_returned));
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION commerce.return_lines_within_sold() OWNER TO cimiento_guard;

--
-- Name: FUNCTION return_lines_within_sold(); Type: COMMENT; Schema: commerce; Owner: cimiento_guard
--

COMMENT ON FUNCTION commerce.return_lines_within_sold() IS 'Trigger (AFTER INSERT of return lines, under the sale''s row lock): the returned quantity of a sale line never exceeds what was sold (PT409 → 409 with what can still be returned).';

--
-- Name: sale_document_json(uuid, uuid); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sale_document_json(p_tenant uuid, p_invoice uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN (SELECT jsonb_build_object('id', i.id, 'kind', i.kind, 'simplified', billing.document_simplified(i.tenant_id, i.series_id),
                                    'number_display', i.number_display, 'total', i.total, 'pdf', '/invoices/' || i.id || '/pdf')
            FROM billing.invoices i WHERE i.tenant_id = p_tenant AND i.id = p_invoice);
END
$$;

ALTER FUNCTION commerce.sale_document_json(p_tenant uuid, p_invoice uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION sale_document_json(p_tenant uuid, p_invoice uuid); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sale_document_json(p_tenant uuid, p_invoice uuid) IS 'The document of a sale as its JSON shows it: id, kind, simplified, number, total and the PDF path on the api. STABLE.';

--
-- Name: sale_is_of_today(jsonb); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sale_is_of_today(p_row jsonb) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN (p_row ->> 'sold_on')::date = commerce.local_today((p_row ->> 'tenant_id')::uuid);
END
$$;

ALTER FUNCTION commerce.sale_is_of_today(p_row jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION sale_is_of_today(p_row jsonb); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sale_is_of_today(p_row jsonb) IS 'Workflow guard of sales.void: the sale is of today (tenant''s time zone); later corrections are returns. STABLE.';

--
-- Name: sale_json(uuid, uuid); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sale_json(p_tenant uuid, p_sale uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN (
  SELECT to_jsonb(s) - 'request_hash'
         || jsonb_build_object(
              'lines', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                   'line_no', l.line_no, 'product_id', l.product_id, 'sku', p.sku, 'name', p.name,
                                   'quantity', l.quantity, 'unit_price', l.unit_price, 'tax_rate', l.tax_rate,
                                   'subtotal', l.line_subtotal,
                                   'returned', (SELECT coalesce(sum(r.quantity), 0) FROM commerce.return_lines r
                                                 WHERE r.tenant_id = l.tenant_id AND r.sale_id = l.sale_id AND r.sale_line_no = l.line_no))
                                   ORDER BY l.line_no)
                                  FROM commerce.sale_lines l JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
                                 WHERE l.tenant_id = s.tenant_id AND l.sale_id = s.id), '[]'),
              'payments', coalesce((SELECT jsonb_agg(jsonb_build_object('method', x.method, 'amount', x.amount, 'reference', x.reference)
                                      ORDER BY x.line_no)
                                     FROM commerce.sale_payments x WHERE x.tenant_id = s.tenant_id AND x.sale_id = s.id), '[]'),
              'document', commerce.sale_document_json(s.tenant_id, s.invoice_id))
    FROM commerce.sales s WHERE s.tenant_id = p_tenant AND s.id = p_sale);
END
$$;

ALTER FUNCTION commerce.sale_json(p_tenant uuid, p_sale uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION sale_json(p_tenant uuid, p_sale uuid); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sale_json(p_tenant uuid, p_sale uuid) IS 'A sale as the caller may see it: header, lines (with what was returned), payments and its document (commerce.sale_document_json). STABLE.';

--
-- Name: sale_lines_cost(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sale_lines_cost() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  NEW.unit_cost := coalesce((SELECT c.average_cost FROM commerce.product_costs c
                              WHERE c.tenant_id = NEW.tenant_id AND c.product_id = NEW.product_id), 0);
  RETURN NEW;
END
$$;

ALTER FUNCTION commerce.sale_lines_cost() OWNER TO cimiento_owner;

--
-- Name: FUNCTION sale_lines_cost(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sale_lines_cost() IS 'Trigger (BEFORE INSERT of sale lines): unit_cost is the product''s moving-average cost now; callers cannot set it.';

--
-- Name: sale_series(uuid, boolean); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sale_series(p_branch uuid, p_simplified boolean) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_code text;
BEGIN
  SELECT s.code INTO v_code FROM billing.invoice_series s
   WHERE s.branch_id = p_branch AND s.kind = 'invoice' AND s.simplified = p_simplified AND s.active
   ORDER BY s.fiscal_year DESC, s.code LIMIT 1;
  IF v_code IS NULL THEN
    RAISE EXCEPTION 'the branch has no active % series', CASE WHEN p_simplified THEN 'ticket (simplified invoice)' ELSE 'invoice' END
      USING ERRCODE = 'PT404',
            HINT = format('create one with POST /invoice_series {"code": …, "kind": "invoice", "simplified": %s}', p_simplified);
  END IF;
  RETURN v_code;
END
$$;

ALTER FUNCTION commerce.sale_series(p_branch uuid, p_simplified boolean) OWNER TO cimiento_owner;

--
-- Name: FUNCTION sale_series(p_branch uuid, p_simplified boolean); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sale_series(p_branch uuid, p_simplified boolean) IS 'The code of the series a sale of the branch is documented in: its active simplified series (tickets) or its active ordinary invoice series (customers with a tax id); 404 with a hint when there is none. STABLE.';

--
-- Name: sales_customer_stats(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sales_customer_stats() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NEW.customer_id IS NULL THEN
    RETURN NULL;
  END IF;
  IF OLD.status = 'completed' AND NEW.status = 'voided' THEN
    UPDATE commerce.customer_stats s SET sales_count = s.sales_count - 1, sales_total = s.sales_total - OLD.total
     WHERE s.tenant_id = NEW.tenant_id AND s.customer_id = NEW.customer_id;
  ELSIF OLD.invoice_id IS NULL AND NEW.invoice_id IS NOT NULL THEN
    INSERT INTO commerce.customer_stats AS s (tenant_id, customer_id, sales_count, sales_total, last_purchase_at)
    VALUES (NEW.tenant_id, NEW.customer_id, 1, NEW.total, NEW.sold_at)
    ON CONFLICT (tenant_id, customer_id) DO UPDATE
      SET sales_count = s.sales_count + 1, sales_total = s.sales_total + EXCLUDED.sales_total,
          last_purchase_at = greatest(s.last_purchase_at, EXCLUDED.last_purchase_at);
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION commerce.sales_customer_stats() OWNER TO cimiento_owner;

--
-- Name: FUNCTION sales_customer_stats(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sales_customer_stats() IS 'Trigger (AFTER UPDATE of sales): when a sale gets its document its customer''s stats count it (sales_count, sales_total, last_purchase_at); a void takes it out. SECURITY DEFINER: customer_stats is not writable by API roles.';

--
-- Name: sales_guard(); Type: FUNCTION; Schema: commerce; Owner: cimiento_guard
--

CREATE FUNCTION commerce.sales_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  doc record;
  v_paid numeric;
  v_cash numeric;
  v_lines_match boolean;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Only the table's owner (loading history: the seed, imports) may date a sale.
    IF NOT pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'USAGE') THEN
      NEW.sold_at := now();
    END IF;
    NEW.sold_on := commerce.local_day(NEW.tenant_id, NEW.sold_at);
    NEW.subtotal := 0; NEW.tax_total := 0; NEW.total := 0; NEW.paid := 0; NEW.change_given := 0;
    NEW.invoice_id := NULL;
    NEW.status := 'completed';
    RETURN NEW;
  END IF;
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.id <> OLD.id OR NEW.branch_id <> OLD.branch_id OR NEW.location_id <> OLD.location_id
     OR NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.sold_at <> OLD.sold_at OR NEW.sold_on <> OLD.sold_on
     OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key THEN
    RAISE EXCEPTION 'a sale''s branch, location, customer and date cannot change' USING ERRCODE = '22023';
  END IF;
  IF OLD.invoice_id IS NOT NULL AND NEW.invoice_id IS DISTINCT FROM OLD.invoice_id THEN
    RAISE EXCEPTION 'a settled sale''s document and totals cannot change'
      USING ERRCODE = 'PT409', HINT = 'take goods back with api.return_sale or void the sale with api.void_sale';
  END IF;
  IF OLD.invoice_id IS NULL AND NEW.invoice_id IS NOT NULL THEN
    SELECT d.status, d.kind, d.branch_id, d.subtotal, d.tax_total, d.total INTO doc
      FROM billing.invoices d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.invoice_id;
    IF doc.status IS DISTINCT FROM 'issued' OR doc.kind <> 'invoice' OR doc.branch_id <> NEW.branch_id THEN
      RAISE EXCEPTION 'the document of a sale must be an issued invoice of its branch' USING ERRCODE = '22023';
    END IF;
    SELECT NOT EXISTS (
             (SELECT l.line_no, l.quantity, l.unit_price, l.tax_rate FROM commerce.sale_lines l
               WHERE l.tenant_id = NEW.tenant_id AND l.sale_id = NEW.id
              EXCEPT
              SELECT i.line_no, i.quantity, i.unit_price, i.tax_rate FROM billing.invoice_items i
               WHERE i.tenant_id = NEW.tenant_id AND i.invoice_id = NEW.invoice_id)
             UNION ALL
             (SELECT i.line_no, i.quantity, i.unit_price, i.tax_rate FROM billing.invoice_items i
               WHERE i.tenant_id = NEW.tenant_id AND i.invoice_id = NEW.invoice_id
              EXCEPT
              SELECT l.line_no, l.quantity, l.unit_price, l.tax_rate FROM commerce.sale_lines l
               WHERE l.tenant_id = NEW.tenant_id AND l.sale_id = NEW.id))
      INTO v_lines_match;
    IF NOT v_lines_match THEN
      RAISE EXCEPTION 'the document''s lines are not the sale''s lines' USING ERRCODE = '22023';
    END IF;
    SELECT coalesce(sum(p.amount), 0), coalesce(sum(p.amount) FILTER (WHERE p.method = 'cash'), 0) INTO v_paid, v_cash
      FROM commerce.sale_payments p WHERE p.tenant_id = NEW.tenant_id AND p.sale_id = NEW.id;
    IF v_paid < doc.total THEN
      RAISE EXCEPTION 'payments of % do not cover the total of %', v_paid, doc.total
        USING ERRCODE = '22023', HINT = 'payments must add up to at least the total';
    END IF;
    IF v_paid - doc.total > v_cash THEN
      RAISE EXCEPTION 'card and transfer payments exceed the total of % by %', doc.total, v_paid - doc.total - v_cash
        USING ERRCODE = '22023', HINT = 'only cash can exceed the total (the difference is given as change)';
    END IF;
    NEW.subtotal := doc.subtotal; NEW.tax_total := doc.tax_total; NEW.total := doc.total;
    NEW.paid := v_paid; NEW.change_given := v_paid - doc.total;
  ELSIF NEW.subtotal <> OLD.subtotal OR NEW.tax_total <> OLD.tax_total OR NEW.total <> OLD.total OR NEW.paid <> OLD.paid
        OR NEW.change_given <> OLD.change_given THEN
    RAISE EXCEPTION 'a sale''s totals come from its document' USING ERRCODE = '22023';
  END IF;
  IF NEW.status = 'voided' AND OLD.status <> 'voided' THEN
    NEW.voided_at := now();
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION commerce.sales_guard() OWNER TO cimiento_guard;

--
-- Name: FUNCTION sales_guard(); Type: COMMENT; Schema: commerce; Owner: cimiento_guard
--

COMMENT ON FUNCTION commerce.sales_guard() IS 'Trigger: a new sale is completed, dated now (only the table owner, loading history, may date it) on its local day in the tenant''s time zone, without totals or document; its branch, location, customer and date never change. It is settled once by setting invoice_id: the document must be an issued invoice of its branch with exactly its lines (22023), totals are copied from it, payments must cover the total and only cash may exceed it (22023); change_given = paid − total. A settled sale''s document never changes (409).';

--
-- Name: sales_on_void(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.sales_on_void() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_reason text := nullif(btrim(coalesce(current_setting('cimiento.transition_reason', true), '')), '');
BEGIN
  INSERT INTO commerce.inventory_movements (tenant_id, branch_id, location_id, product_id, kind, quantity, unit_cost,
                                            source_type, source_id, reason)
  SELECT l.tenant_id, l.branch_id, NEW.location_id, l.product_id, 'void', l.quantity - r.returned, l.unit_cost,
         'sale', NEW.id, v_reason
    FROM commerce.sale_lines l
    CROSS JOIN LATERAL (SELECT coalesce(sum(x.quantity), 0) AS returned FROM commerce.return_lines x
                         WHERE x.tenant_id = l.tenant_id AND x.sale_id = l.sale_id AND x.sale_line_no = l.line_no) r
   WHERE l.tenant_id = NEW.tenant_id AND l.sale_id = NEW.id AND l.quantity > r.returned
   ORDER BY l.product_id;
  -- Still issued = some line not fully credited (billing cancels by quantities); an amount
  -- test would try to credit a rounding cent after returns and find nothing left.
  IF EXISTS (SELECT 1 FROM billing.invoices d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.invoice_id AND d.status = 'issued') THEN
    PERFORM api.issue_credit_note(NEW.invoice_id, coalesce(v_reason, 'sale voided'));
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION commerce.sales_on_void() OWNER TO cimiento_owner;

--
-- Name: FUNCTION sales_on_void(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.sales_on_void() IS 'Trigger (AFTER UPDATE of status to voided, as the caller): restocks what was not returned (void movements at the sale''s unit cost) and issues a credit note for what remains creditable on the sale''s document, with the transition''s reason.';

--
-- Name: tax_id_checked(); Type: FUNCTION; Schema: commerce; Owner: cimiento_owner
--

CREATE FUNCTION commerce.tax_id_checked() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NEW.tax_id IS NOT NULL THEN
    NEW.tax_id := core.normalize_tax_id(NEW.tax_id);
    PERFORM core.check_tax_id(NEW.tax_id_country, NEW.tax_id);
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION commerce.tax_id_checked() OWNER TO cimiento_owner;

--
-- Name: FUNCTION tax_id_checked(); Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON FUNCTION commerce.tax_id_checked() IS 'Trigger (customers, suppliers): normalizes tax_id (core.normalize_tax_id) and refuses one that is not valid for tax_id_country (22023 with a hint, via core.check_tax_id).';

--
-- Name: auth_change_email(uuid, uuid, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_change_email(p_tenant uuid, p_user uuid, p_email text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH hit AS (UPDATE core.users SET email = btrim(p_email) WHERE tenant_id = p_tenant AND id = p_user RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;

ALTER FUNCTION core.auth_change_email(p_tenant uuid, p_user uuid, p_email text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_change_email(p_tenant uuid, p_user uuid, p_email text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_change_email(p_tenant uuid, p_user uuid, p_email text) IS 'Auth: changes a user''s e-mail after the api checked their password. 23505 taken, 23514 malformed. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_list_sessions(uuid, uuid, boolean); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean) RETURNS TABLE(id uuid, user_id uuid, device_name text, ip text, user_agent text, amr text[], created_at timestamp with time zone, last_seen_at timestamp with time zone, expires_at timestamp with time zone, revoked_at timestamp with time zone, revoked_reason text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT s.id, s.user_id, s.device_name, s.ip, s.user_agent, s.amr, s.created_at, s.last_seen_at, s.expires_at,
         s.revoked_at, s.revoked_reason
    FROM core.sessions s
   WHERE s.tenant_id = p_tenant AND (s.user_id = p_user OR p_all)
   ORDER BY s.created_at DESC
   LIMIT 500
$$;

ALTER FUNCTION core.auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean) IS 'Auth: a user''s sessions, newest first (all of the tenant''s with p_all). SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_profile(uuid, uuid); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_profile(p_tenant uuid, p_user uuid) RETURNS TABLE(email text, full_name text, totp_enabled boolean, tenant_slug text, tenant_name text, locale text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT u.email, u.full_name, u.totp_enabled, t.slug, t.name, t.locale
    FROM core.users u JOIN core.tenants t ON t.id = u.tenant_id
   WHERE u.tenant_id = p_tenant AND u.id = p_user
$$;

ALTER FUNCTION core.auth_profile(p_tenant uuid, p_user uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_profile(p_tenant uuid, p_user uuid); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_profile(p_tenant uuid, p_user uuid) IS 'Auth: email, name, TOTP state and tenant of a user. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_register(text, text, text, text, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text) RETURNS TABLE(tenant_id uuid, slug text, user_id uuid, branch_id uuid)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  base text := left(trim(both '-' FROM regexp_replace(lower(p_slug_base), '[^a-z0-9]+', '-', 'g')), 50);
  candidate text;
  t uuid;
  u uuid;
  b uuid;
  n int := 1;
BEGIN
  IF base IS NULL OR base = '' THEN
    base := 'org';
  END IF;
  LOOP
    candidate := CASE WHEN n = 1 THEN base ELSE base || '-' || n END;
    BEGIN
      INSERT INTO core.tenants (slug, name) VALUES (candidate, btrim(p_name)) RETURNING id INTO t;
      EXIT;
    EXCEPTION WHEN unique_violation OR check_violation THEN
      IF n > 1000 THEN
        RAISE EXCEPTION 'could not find a free subdomain for %', p_name USING ERRCODE = '23505';
      END IF;
      n := n + 1;
    END;
  END LOOP;
  INSERT INTO core.branches (tenant_id, code, name) VALUES (t, 'PRINCIPAL', 'Sede principal') RETURNING id INTO b;
  INSERT INTO core.users (tenant_id, email, full_name, password_hash) VALUES (t, btrim(p_email), btrim(p_full_name), p_password_hash)
  RETURNING id INTO u;
  INSERT INTO core.user_roles (tenant_id, user_id, role_id) SELECT t, u, r.id FROM core.roles r WHERE r.tenant_id = t AND r.name = 'admin';
  RETURN QUERY SELECT t, candidate, u, b;
END
$$;

ALTER FUNCTION core.auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text) IS 'Auth: creates a tenant (slug derived from the name, -2, -3… on clash or reserved word), its first branch and its admin user. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_revoke_session(uuid, uuid, uuid, boolean, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH hit AS (
    UPDATE core.sessions s SET revoked_at = now(), revoked_reason = left(p_reason, 200)
     WHERE s.tenant_id = p_tenant AND s.id = p_session AND s.revoked_at IS NULL
       AND (s.user_id = p_by_user OR p_may_manage)
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;

ALTER FUNCTION core.auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text) IS 'Auth: revokes a session of the caller (or of any user of the tenant when p_may_manage). SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_roles_and_branches(uuid, uuid); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb) IS 'Auth: a user''s role names, its branches claim (union; ["*"] when any assignment is tenant-wide) and its grants claim {role: [branch ids] | ["*"]} (where each role''s permissions hold). SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_rotate_refresh(uuid, bytea, bytea, interval); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval) RETURNS TABLE(outcome text, session_id uuid, user_id uuid, roles text[], branches jsonb, grants jsonb, amr text[])
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval) IS 'Auth: rotates a refresh token (ok | reused within grace | revoked: reuse after grace revokes the session | invalid). Row locks make concurrent refreshes of one token yield exactly one ok. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_session_active(uuid, uuid, uuid); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT EXISTS (
    SELECT 1 FROM core.sessions s
      JOIN core.users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
      JOIN core.tenants t ON t.id = s.tenant_id
     WHERE s.tenant_id = p_tenant AND s.id = p_session AND s.user_id = p_user
       AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active AND t.active)
$$;

ALTER FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_session_active(p_tenant uuid, p_session uuid, p_user uuid); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) IS 'Auth: true when the session exists, is neither revoked nor expired, belongs to the user, and user and tenant are active. SECURITY DEFINER, for the pre-request hook (app_user) and the api.';

--
-- Name: auth_start_session(uuid, uuid, text, text, text, text[], bytea, interval); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  sid uuid := gen_random_uuid();
BEGIN
  -- First: the user's row lock, before any foreign key takes a share lock on it.
  UPDATE core.users SET last_login_at = now() WHERE tenant_id = p_tenant AND id = p_user;
  INSERT INTO core.sessions (tenant_id, id, user_id, device_name, ip, user_agent, amr, expires_at)
  VALUES (p_tenant, sid, p_user, left(p_device, 200), left(p_ip, 100), left(p_user_agent, 500), p_amr, now() + p_lifetime);
  INSERT INTO core.refresh_tokens (tenant_id, session_id, token_hash, expires_at)
  VALUES (p_tenant, sid, p_refresh_hash, now() + p_lifetime);
  RETURN sid;
END
$$;

ALTER FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval) IS 'Auth: opens a session for a device with its first refresh token (stored hashed); updates the user''s last login first, so concurrent logins of one user serialise instead of deadlocking. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_totp_accept(uuid, uuid, bigint, boolean); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH hit AS (UPDATE core.users SET totp_last_step = p_step, totp_enabled = totp_enabled OR p_activate
                WHERE tenant_id = p_tenant AND id = p_user AND totp_secret IS NOT NULL
                  AND (totp_last_step IS NULL OR totp_last_step < p_step) RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;

ALTER FUNCTION core.auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean) IS 'Auth: accepts a verified TOTP time step once (only if newer than the last accepted one), optionally activating TOTP. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_totp_secret(uuid, uuid); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT totp_secret, totp_enabled FROM core.users WHERE tenant_id = p_tenant AND id = p_user
$$;

ALTER FUNCTION core.auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean) IS 'Auth: a user''s TOTP secret and whether it is active. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_totp_set_secret(uuid, uuid, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH hit AS (UPDATE core.users SET totp_secret = p_secret, totp_last_step = NULL
                WHERE tenant_id = p_tenant AND id = p_user AND NOT totp_enabled RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;

ALTER FUNCTION core.auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text) IS 'Auth: stores a new TOTP secret for a user who has not activated TOTP yet. SECURITY DEFINER, cimiento_api only.';

--
-- Name: auth_user_for_login(text, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.auth_user_for_login(p_tenant text, p_email text) RETURNS TABLE(tenant_id uuid, tenant_slug text, tenant_active boolean, user_id uuid, user_active boolean, password_hash text, full_name text, totp_enabled boolean, totp_secret text, roles text[], branches jsonb, grants jsonb, mfa_required boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT t.id, t.slug, t.active, u.id, u.active, u.password_hash, u.full_name, u.totp_enabled, u.totp_secret,
         r.roles, r.branches, r.grants,
         coalesce(r.roles && ARRAY(SELECT jsonb_array_elements_text(t.settings -> 'mfa_required_roles')), false)
    FROM core.tenants t
    JOIN core.users u ON u.tenant_id = t.id AND u.email_key = lower(btrim(p_email))
    CROSS JOIN LATERAL core.auth_roles_and_branches(t.id, u.id) r
   WHERE t.slug = lower(btrim(p_tenant))
$$;

ALTER FUNCTION core.auth_user_for_login(p_tenant text, p_email text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION auth_user_for_login(p_tenant text, p_email text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.auth_user_for_login(p_tenant text, p_email text) IS 'Auth: what the sign-in service needs to check a login (tenant by slug, user by email case-insensitively), or no row. SECURITY DEFINER, cimiento_api only.';

--
-- Name: branch_by_code(text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.branch_by_code(p_code text) RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT b.id FROM core.branches b
   WHERE b.tenant_id = cimiento.current_tenant() AND upper(b.code) = upper(btrim(p_code)) AND b.active
$$;

ALTER FUNCTION core.branch_by_code(p_code text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION branch_by_code(p_code text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.branch_by_code(p_code text) IS 'The id of the caller''s tenant''s active branch with this code (case and surrounding spaces ignored), NULL if none: the lookup imports use for a branch column. STABLE, PARALLEL SAFE.';

--
-- Name: caller_role_permissions(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.caller_role_permissions() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT COALESCE(pg_catalog.jsonb_object_agg(x.name, x.patterns), '{}'::jsonb)
    FROM (SELECT r.name, pg_catalog.array_agg(rp.permission) AS patterns
            FROM core.role_permissions rp
            JOIN core.roles r ON r.tenant_id = rp.tenant_id AND r.id = rp.role_id
            JOIN core.tenants t ON t.id = r.tenant_id
           WHERE r.tenant_id = cimiento.current_tenant() AND r.name = ANY (cimiento.current_roles())
             AND NOT (core.token_lacks_second_factor() AND COALESCE(t.settings -> 'mfa_required_roles' ? r.name, false))
           GROUP BY r.name) x
$$;

ALTER FUNCTION core.caller_role_permissions() OWNER TO cimiento_owner;

--
-- Name: FUNCTION caller_role_permissions(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.caller_role_permissions() IS 'The permission patterns of each of the caller''s roles in its tenant ({role: [pattern]}), registered with cimiento.register_identity. A role the tenant lists in settings.mfa_required_roles gives nothing to a token without a second factor (otp in amr): its holder gets 403 on every protected operation until they sign in with TOTP. Direct SQL logins are exempt. SECURITY DEFINER. STABLE.';

--
-- Name: check_tax_id(text, text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.check_tax_id(p_country text, p_tax_id text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_kind text;
BEGIN
  IF p_country IS NULL OR upper(p_country) NOT IN ('ES', 'EC', 'MX') THEN
    RAISE EXCEPTION 'tax_id_country must be ES, EC or MX, not %', coalesce(p_country, 'NULL') USING ERRCODE = '22023';
  END IF;
  v_kind := core.tax_id_kind(p_country, p_tax_id);
  IF v_kind IS NULL THEN
    RAISE EXCEPTION 'tax_id is not a valid % identifier',
      CASE upper(p_country) WHEN 'ES' THEN 'Spanish' WHEN 'EC' THEN 'Ecuadorian' ELSE 'Mexican' END
      USING ERRCODE = '22023',
            HINT = CASE upper(p_country)
                     WHEN 'ES' THEN 'a NIF (12345678Z), NIE (X1234567L) or CIF (B12345674) with its check character'
                     WHEN 'EC' THEN 'a cédula (10 digits) or RUC (13 digits) with its check digit'
                     ELSE 'an RFC: 4 letters (3 for a company), the date YYMMDD, the homoclave and its check character (GODE561231GR8)' END;
  END IF;
  RETURN v_kind;
END
$$;

ALTER FUNCTION core.check_tax_id(p_country text, p_tax_id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION check_tax_id(p_country text, p_tax_id text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.check_tax_id(p_country text, p_tax_id text) IS 'Kind of a valid tax id (see core.tax_id_kind); raises 22023 (HTTP 400) naming the country and the expected form when it is not valid. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: domain_schemas(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.domain_schemas() RETURNS name[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY['core', 'academy', 'billing', 'commerce', 'insurance', 'imports']::name[] $$;

ALTER FUNCTION core.domain_schemas() OWNER TO cimiento_owner;

--
-- Name: FUNCTION domain_schemas(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.domain_schemas() IS 'The schemas that hold tenant data (tables isolated by tenant with forced RLS and audited): the one list tests and checks walk. Business migrations replace it with the longer list. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: ecuadorian_tax_id_kind(text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.ecuadorian_tax_id_kind(p_id text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_province int;
  v_third int;
  v_sum int := 0;
  v_p int;
  v_check int;
  w_public constant int[] := '{3,2,7,6,5,4,3,2}';
  w_company constant int[] := '{4,3,2,7,6,5,4,3,2}';
BEGIN
  IF p_id !~ '^[0-9]{10}([0-9]{3})?$' THEN
    RETURN NULL;
  END IF;
  v_province := left(p_id, 2)::int;
  v_third := substr(p_id, 3, 1)::int;
  IF NOT (v_province BETWEEN 1 AND 24 OR v_province = 30) THEN
    RETURN NULL;
  END IF;
  IF v_third < 6 THEN
    FOR i IN 1..9 LOOP
      v_p := substr(p_id, i, 1)::int * CASE WHEN i % 2 = 1 THEN 2 ELSE 1 END;
      v_sum := v_sum + CASE WHEN v_p > 9 THEN v_p - 9 ELSE v_p END;
    END LOOP;
    IF (10 - v_sum % 10) % 10 <> substr(p_id, 10, 1)::int THEN
      RETURN NULL;
    END IF;
    IF length(p_id) = 10 THEN
      RETURN 'CEDULA';
    END IF;
    RETURN CASE WHEN right(p_id, 3) <> '000' THEN 'RUC' END;
  END IF;
  IF length(p_id) <> 13 THEN
    RETURN NULL;
  END IF;
  IF v_third = 6 THEN
    FOR i IN 1..8 LOOP
      v_sum := v_sum + substr(p_id, i, 1)::int * w_public[i];
    END LOOP;
    v_check := 11 - v_sum % 11;
    v_check := CASE v_check WHEN 11 THEN 0 ELSE v_check END;
    RETURN CASE WHEN v_check < 10 AND v_check = substr(p_id, 9, 1)::int AND right(p_id, 4) <> '0000' THEN 'RUC' END;
  ELSIF v_third = 9 THEN
    FOR i IN 1..9 LOOP
      v_sum := v_sum + substr(p_id, i, 1)::int * w_company[i];
    END LOOP;
    v_check := 11 - v_sum % 11;
    v_check := CASE v_check WHEN 11 THEN 0 ELSE v_check END;
    RETURN CASE WHEN v_check < 10 AND v_check = substr(p_id, 10, 1)::int AND right(p_id, 3) <> '000' THEN 'RUC' END;
  END IF;
  RETURN NULL;
END
$_$;

ALTER FUNCTION core.ecuadorian_tax_id_kind(p_id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION ecuadorian_tax_id_kind(p_id text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.ecuadorian_tax_id_kind(p_id text) IS 'CEDULA or RUC when a normalized Ecuadorian identifier is well formed and its check digit is right; NULL otherwise. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: emit_event(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.emit_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_row  jsonb := to_jsonb(NEW);
  v_kind text := TG_ARGV[0] || '.' || coalesce(TG_ARGV[1], CASE TG_OP WHEN 'INSERT' THEN 'created' ELSE v_row ->> 'status' END);
  v_seq  bigint;
BEGIN
  INSERT INTO core.events (tenant_id, kind, entity, row_id, branch_id, data)
  VALUES ((v_row ->> 'tenant_id')::uuid, v_kind, format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), (v_row ->> 'id')::uuid,
          (v_row ->> 'branch_id')::uuid,
          jsonb_strip_nulls(jsonb_build_object('status', v_row -> 'status', 'by', cimiento.current_user_id())))
  RETURNING seq INTO v_seq;
  PERFORM pg_notify('cimiento_events', (v_row ->> 'tenant_id') || ':' || v_seq);
  RETURN NULL;
END
$$;

ALTER FUNCTION core.emit_event() OWNER TO cimiento_owner;

--
-- Name: FUNCTION emit_event(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.emit_event() IS 'Trigger (AFTER INSERT or AFTER UPDATE OF status, FOR EACH ROW) of a table with tenant_id and id: records event <argument 1>.<argument 2, or created on insert, else the new status> in core.events and notifies cimiento_events. SECURITY DEFINER: core.events is written only here.';

--
-- Name: event_visible(text, uuid, uuid); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.event_visible(p_entity text, p_tenant uuid, p_row uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_seen boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE tenant_id = $1 AND id = $2)', p_entity::regclass)
     INTO v_seen USING p_tenant, p_row;
  RETURN v_seen;
EXCEPTION WHEN insufficient_privilege OR undefined_table OR undefined_column THEN
  RETURN false;
END
$_$;

ALTER FUNCTION core.event_visible(p_entity text, p_tenant uuid, p_row uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION event_visible(p_entity text, p_tenant uuid, p_row uuid); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.event_visible(p_entity text, p_tenant uuid, p_row uuid) IS 'Whether the caller can see the row an event is about: asks its table, as the caller (its RLS and grants decide). The select policy of core.events. STABLE.';

--
-- Name: events_head(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.events_head() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT COALESCE(max(e.seq), 0) FROM core.events e
$$;

ALTER FUNCTION core.events_head() OWNER TO cimiento_owner;

--
-- Name: FUNCTION events_head(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.events_head() IS 'The latest event''s sequence (0 without events): where a new stream without Last-Event-ID starts. For the api. SECURITY DEFINER. STABLE.';

--
-- Name: local_day(uuid, timestamp with time zone); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) RETURNS date
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT (p_at AT TIME ZONE coalesce((SELECT t.timezone FROM core.tenants t WHERE t.id = p_tenant), 'UTC'))::date
$$;

ALTER FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) OWNER TO cimiento_owner;

--
-- Name: FUNCTION local_day(p_tenant uuid, p_at timestamp with time zone); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) IS 'The date of a moment in the tenant''s time zone (core.tenants.timezone; UTC for an unknown tenant). SECURITY DEFINER (reads only the time zone, for every role, jobs included). STABLE, PARALLEL SAFE.';

--
-- Name: local_today(uuid); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.local_today(p_tenant uuid) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT core.local_day(p_tenant, now())
$$;

ALTER FUNCTION core.local_today(p_tenant uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION local_today(p_tenant uuid); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.local_today(p_tenant uuid) IS 'Today in the tenant''s time zone (core.local_day of now()). STABLE, PARALLEL SAFE.';

--
-- Name: login_scope(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.login_scope() RETURNS TABLE(tenant_id uuid, user_id uuid, roles text[], branch_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT l.tenant_id, l.user_id, l.roles, l.branch_ids
    FROM core.db_logins l
    JOIN core.tenants t ON t.id = l.tenant_id
   WHERE l.login_role = session_user::text AND l.active AND t.active
   LIMIT 1
$$;

ALTER FUNCTION core.login_scope() OWNER TO cimiento_owner;

--
-- Name: FUNCTION login_scope(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.login_scope() IS 'Identity source (registered with cimiento.register_identity): tenant, user, roles and branches (NULL: all) of the session''s direct SQL login from core.db_logins, if it and its tenant are active. SECURITY DEFINER; executable by the roles that act for a tenant, never anon. STABLE.';

--
-- Name: mexican_tax_id_kind(text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.mexican_tax_id_kind(p_id text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_alphabet constant text := '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
  v_base text;
  v_sum int := 0;
  v_pos int;
  v_rest int;
  v_check text;
BEGIN
  IF p_id IS NULL OR p_id !~ '^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{2}[0-9A]$' THEN
    RETURN NULL;
  END IF;
  -- The generic RFCs of the public and of foreigners carry no computed check character.
  IF p_id IN ('XAXX010101000', 'XEXX010101000') THEN
    RETURN 'generic';
  END IF;
  -- The six digits after the letters are a date (YYMMDD).
  IF to_char(to_date(substr(p_id, length(p_id) - 8, 6), 'YYMMDD'), 'YYMMDD') IS DISTINCT FROM substr(p_id, length(p_id) - 8, 6) THEN
    RETURN NULL;
  END IF;
  v_base := lpad(left(p_id, length(p_id) - 1), 12, ' ');
  FOR i IN 1..12 LOOP
    v_pos := strpos(v_alphabet, substr(v_base, i, 1)) - 1;
    v_sum := v_sum + v_pos * (14 - i);
  END LOOP;
  v_rest := v_sum % 11;
  v_check := CASE WHEN v_rest = 0 THEN '0' WHEN v_rest = 1 THEN 'A' ELSE (11 - v_rest)::text END;
  IF right(p_id, 1) <> v_check THEN
    RETURN NULL;
  END IF;
  RETURN CASE length(p_id) WHEN 13 THEN 'persona_fisica' ELSE 'persona_moral' END;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
  RETURN NULL;
END
$_$;

ALTER FUNCTION core.mexican_tax_id_kind(p_id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION mexican_tax_id_kind(p_id text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.mexican_tax_id_kind(p_id text) IS 'Kind of a normalized Mexican RFC — persona_fisica (13 characters), persona_moral (12) or generic (XAXX010101000, XEXX010101000) — or NULL when it is malformed, its date (YYMMDD) does not exist or its check character (módulo 11 over the SAT alphabet) is wrong. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: network_allowed(uuid, text[], inet); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT CASE
           -- The tenant's administrators are exempt (they can always reach it to fix the list).
           WHEN 'admin' = ANY (p_roles) THEN true
           WHEN COALESCE(jsonb_array_length(t.settings -> 'allowed_networks'), 0) = 0 THEN true
           WHEN p_ip IS NULL THEN false
           ELSE EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.settings -> 'allowed_networks') n WHERE p_ip <<= n::cidr)
         END
    FROM core.tenants t WHERE t.id = p_tenant
$$;

ALTER FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) OWNER TO cimiento_owner;

--
-- Name: FUNCTION network_allowed(p_tenant uuid, p_roles text[], p_ip inet); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) IS 'Whether a caller with these roles may reach the tenant from this address: true without allowed_networks (tenant setting, CIDR list) or for the admin role; false for an unknown address. For sign-in and every request (api and pre-request hook). SECURITY DEFINER. STABLE.';

--
-- Name: networks_valid(jsonb); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.networks_valid(p_networks jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF p_networks IS NULL THEN
    RETURN true;
  END IF;
  IF jsonb_typeof(p_networks) <> 'array' THEN
    RETURN false;
  END IF;
  PERFORM n::cidr FROM jsonb_array_elements_text(p_networks) n;
  RETURN true;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
  RETURN false;
END
$$;

ALTER FUNCTION core.networks_valid(p_networks jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION networks_valid(p_networks jsonb); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.networks_valid(p_networks jsonb) IS 'Whether a tenant''s allowed_networks setting is absent or an array of CIDR networks (10.0.0.0/8, 2001:db8::/32, 192.168.1.7). IMMUTABLE, PARALLEL SAFE.';

--
-- Name: permissions_changed(); Type: FUNCTION; Schema: core; Owner: cimiento_guard
--

CREATE FUNCTION core.permissions_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  PERFORM cimiento.note_permissions_changed();
  RETURN NULL;
END
$$;

ALTER FUNCTION core.permissions_changed() OWNER TO cimiento_guard;

--
-- Name: FUNCTION permissions_changed(); Type: COMMENT; Schema: core; Owner: cimiento_guard
--

COMMENT ON FUNCTION core.permissions_changed() IS 'Statement trigger (protected) of core.roles and core.role_permissions: tells every backend to re-read role permissions (now and when the transaction commits).';

--
-- Name: prune_events(interval); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.prune_events(p_keep interval DEFAULT '1 day'::interval) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH gone AS (DELETE FROM core.events e WHERE e.at < now() - greatest(p_keep, interval '10 minutes') RETURNING 1)
  SELECT count(*) FROM gone
$$;

ALTER FUNCTION core.prune_events(p_keep interval) OWNER TO cimiento_owner;

--
-- Name: FUNCTION prune_events(p_keep interval); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.prune_events(p_keep interval) IS 'Deletes events older than p_keep (at least 10 minutes, so a stream can always resume 5 minutes back); the api calls it hourly. Returns how many. SECURITY DEFINER. VOLATILE.';

--
-- Name: refuse_change(); Type: FUNCTION; Schema: core; Owner: cimiento_guard
--

CREATE FUNCTION core.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RAISE EXCEPTION '%', coalesce(TG_ARGV[0], TG_TABLE_NAME || ' rows cannot be changed or deleted') USING ERRCODE = 'PT409',
    HINT = 'record a correcting operation (e.g. a credit note) instead';
END
$$;

ALTER FUNCTION core.refuse_change() OWNER TO cimiento_guard;

--
-- Name: FUNCTION refuse_change(); Type: COMMENT; Schema: core; Owner: cimiento_guard
--

COMMENT ON FUNCTION core.refuse_change() IS 'Trigger (protected): refuses UPDATE, DELETE and TRUNCATE (409, message = trigger argument) to every role. For immutable records.';

--
-- Name: request_client_ip(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.request_client_ip() RETURNS inet
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_forwarded text := nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-forwarded-for';
BEGIN
  IF v_forwarded IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN btrim((string_to_array(v_forwarded, ','))[cardinality(string_to_array(v_forwarded, ','))])::inet;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN NULL;
END
$$;

ALTER FUNCTION core.request_client_ip() OWNER TO cimiento_owner;

--
-- Name: FUNCTION request_client_ip(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.request_client_ip() IS 'The client address of a PostgREST request: the last address of X-Forwarded-For (the one the proxy in front of PostgREST saw), NULL without one or when it is malformed. STABLE.';

--
-- Name: role_permissions_no_escalation(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.role_permissions_no_escalation() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION core.role_permissions_no_escalation() OWNER TO cimiento_owner;

--
-- Name: FUNCTION role_permissions_no_escalation(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.role_permissions_no_escalation() IS 'Trigger: API callers may not change what a built-in role grants, nor add to a role a permission they do not hold tenant-wide (42501).';

--
-- Name: second_factor_missing(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.second_factor_missing() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT core.token_lacks_second_factor()
         AND EXISTS (SELECT 1 FROM core.tenants t
                      WHERE t.id = cimiento.current_tenant()
                        AND t.settings -> 'mfa_required_roles' ?| cimiento.current_roles())
$$;

ALTER FUNCTION core.second_factor_missing() OWNER TO cimiento_owner;

--
-- Name: FUNCTION second_factor_missing(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.second_factor_missing() IS 'Whether the caller holds a role that requires a second factor (tenant setting mfa_required_roles) with a token signed in without one: such a role gives no permission (core.caller_role_permissions). For the hint of a refusal. SECURITY DEFINER. STABLE.';

--
-- Name: spanish_tax_id_kind(text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.spanish_tax_id_kind(p_id text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  letters constant text := 'TRWAGMYFPDXBNJZSQVHLCKE';
  v_sum int := 0;
  v_d int;
  v_control int;
  v_last text;
BEGIN
  IF p_id ~ '^[0-9]{8}[A-Z]$' THEN
    RETURN CASE WHEN substr(letters, (left(p_id, 8)::bigint % 23)::int + 1, 1) = right(p_id, 1) THEN 'NIF' END;
  END IF;
  IF p_id ~ '^[XYZ][0-9]{7}[A-Z]$' THEN
    RETURN CASE WHEN substr(letters, (((strpos('XYZ', left(p_id, 1)) - 1)::text || substr(p_id, 2, 7))::bigint % 23)::int + 1, 1)
                     = right(p_id, 1) THEN 'NIE' END;
  END IF;
  IF p_id ~ '^[ABCDEFGHJNPQRSUVW][0-9]{7}[0-9A-J]$' THEN
    FOR i IN 1..7 LOOP
      v_d := substr(p_id, i + 1, 1)::int;
      IF i % 2 = 0 THEN
        v_sum := v_sum + v_d;
      ELSE
        v_sum := v_sum + (v_d * 2) / 10 + (v_d * 2) % 10;
      END IF;
    END LOOP;
    v_control := (10 - v_sum % 10) % 10;
    v_last := right(p_id, 1);
    IF left(p_id, 1) IN ('P', 'Q', 'R', 'S', 'N', 'W') THEN
      RETURN CASE WHEN v_last = substr('JABCDEFGHI', v_control + 1, 1) THEN 'CIF' END;
    ELSIF left(p_id, 1) IN ('A', 'B', 'E', 'H') THEN
      RETURN CASE WHEN v_last = v_control::text THEN 'CIF' END;
    END IF;
    RETURN CASE WHEN v_last IN (v_control::text, substr('JABCDEFGHI', v_control + 1, 1)) THEN 'CIF' END;
  END IF;
  RETURN NULL;
END
$_$;

ALTER FUNCTION core.spanish_tax_id_kind(p_id text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION spanish_tax_id_kind(p_id text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.spanish_tax_id_kind(p_id text) IS 'NIF, NIE or CIF when a normalized Spanish identifier is well formed and its check character is right; NULL otherwise. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: tenant_setting(text); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.tenant_setting(p_key text) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT t.settings -> p_key FROM core.tenants t WHERE t.id = cimiento.current_tenant()
$$;

ALTER FUNCTION core.tenant_setting(p_key text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION tenant_setting(p_key text); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.tenant_setting(p_key text) IS 'One setting of the caller''s tenant (core.tenants.settings -> key), NULL when unset: for rules whose limit a tenant configures (receipts_per_collector, suspend_after_days). SECURITY DEFINER (tenants are not readable by every role). STABLE.';

--
-- Name: tenants_seed_roles(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.tenants_seed_roles() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO core.roles (tenant_id, name, description, builtin)
  SELECT NEW.id, b.name, b.description, true FROM core.builtin_roles b;
  INSERT INTO core.role_permissions (tenant_id, role_id, permission)
  SELECT NEW.id, r.id, bp.permission
    FROM core.builtin_role_permissions bp
    JOIN core.roles r ON r.tenant_id = NEW.id AND r.name = bp.role_name;
  RETURN NULL;
END
$$;

ALTER FUNCTION core.tenants_seed_roles() OWNER TO cimiento_owner;

--
-- Name: FUNCTION tenants_seed_roles(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.tenants_seed_roles() IS 'Trigger: gives a new tenant the built-in roles and their permissions.';

--
-- Name: token_lacks_second_factor(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.token_lacks_second_factor() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT cimiento.current_session() IS NOT NULL AND NOT ('otp' = ANY (cimiento.current_amr()))
$$;

ALTER FUNCTION core.token_lacks_second_factor() OWNER TO cimiento_owner;

--
-- Name: FUNCTION token_lacks_second_factor(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.token_lacks_second_factor() IS 'Whether the caller signed in with a token without a second factor (no otp in amr). Direct SQL logins (no session) authenticate with PostgreSQL and never lack one. STABLE, PARALLEL SAFE.';

--
-- Name: user_roles_no_escalation(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.user_roles_no_escalation() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION core.user_roles_no_escalation() OWNER TO cimiento_owner;

--
-- Name: FUNCTION user_roles_no_escalation(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.user_roles_no_escalation() IS 'Trigger: an API caller may grant a role (in a branch, or everywhere) only if they hold every permission it carries there (42501).';

--
-- Name: users_own_email(); Type: FUNCTION; Schema: core; Owner: cimiento_owner
--

CREATE FUNCTION core.users_own_email() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF current_user = 'app_user' AND NEW.email IS DISTINCT FROM OLD.email AND OLD.id = cimiento.current_user_id() THEN
    RAISE EXCEPTION 'changing your own e-mail needs your password' USING ERRCODE = '42501',
      HINT = 'use POST /auth/email on the api with your current password';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION core.users_own_email() OWNER TO cimiento_owner;

--
-- Name: FUNCTION users_own_email(); Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON FUNCTION core.users_own_email() IS 'Trigger: an API caller cannot change their own e-mail directly (42501): the api does it after checking the password.';

--
-- Name: pre_request(); Type: FUNCTION; Schema: hooks; Owner: cimiento_owner
--

CREATE FUNCTION hooks.pre_request() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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
  IF NOT core.network_allowed(cimiento.current_tenant(), cimiento.current_roles(), core.request_client_ip()) THEN
    RAISE EXCEPTION 'your network may not reach this organisation' USING ERRCODE = 'PT403',
      HINT = 'connect from one of the organisation''s allowed networks, or ask its administrator';
  END IF;
END
$$;

ALTER FUNCTION hooks.pre_request() OWNER TO cimiento_owner;

--
-- Name: FUNCTION pre_request(); Type: COMMENT; Schema: hooks; Owner: cimiento_owner
--

COMMENT ON FUNCTION hooks.pre_request() IS 'PostgREST pre-request hook: refuses malformed tokens and revoked or expired sessions (401) and requests from outside the tenant''s allowed networks (403; admins exempt). STABLE.';

--
-- Name: targets; Type: TABLE; Schema: imports; Owner: cimiento_owner
--

CREATE TABLE imports.targets (
    name text NOT NULL,
    description text NOT NULL,
    insert_function regprocedure,
    insert_relation regclass,
    update_function regprocedure,
    permission text NOT NULL,
    natural_key text[] NOT NULL,
    columns jsonb NOT NULL,
    messages jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT targets_columns_array CHECK ((jsonb_typeof(columns) = 'array'::text)),
    CONSTRAINT targets_messages_object CHECK ((jsonb_typeof(messages) = 'object'::text)),
    CONSTRAINT targets_name_format CHECK ((name ~ '^[a-z][a-z0-9_]{1,39}$'::text)),
    CONSTRAINT targets_natural_key_given CHECK ((cardinality(natural_key) > 0)),
    CONSTRAINT targets_one_way_in CHECK (((insert_function IS NULL) <> (insert_relation IS NULL))),
    CONSTRAINT targets_permission_format CHECK ((permission ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'::text))
);

ALTER TABLE imports.targets OWNER TO cimiento_owner;

--
-- Name: TABLE targets; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON TABLE imports.targets IS 'What a spreadsheet can be imported into (registered by imports.register_target): the function or api view that creates one row as frontends do, the optional update-by-natural-key function, the permission the caller needs, the natural key, each column (name, type, label, header aliases, required, lookup) and per-column messages ("column:SQLSTATE" → Spanish text).';

--
-- Name: explain(imports.targets, jsonb, jsonb, jsonb, text, text, text, text); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.explain(p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text, p_table text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_column text := nullif(p_column, '');
  v_col jsonb;
  v_ok boolean;
BEGIN
  IF v_column IS NULL AND nullif(p_constraint, '') IS NOT NULL THEN
    SELECT a.attname INTO v_column
      FROM pg_constraint k
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
     WHERE k.conname = p_constraint
       AND (nullif(p_table, '') IS NULL OR k.conrelid IN (SELECT c.oid FROM pg_class c WHERE c.relname = p_table))
       AND a.attname <> 'tenant_id'
     ORDER BY a.attnum DESC LIMIT 1;
  END IF;
  IF v_column IS NULL AND p_sqlstate LIKE '22%' THEN
    FOR v_col IN SELECT value FROM jsonb_array_elements(p_target.columns) WHERE p_args ? (value ->> 'name') LOOP
      BEGIN
        EXECUTE format('SELECT $1::%s IS NOT NULL', v_col ->> 'type') INTO v_ok USING p_args ->> (v_col ->> 'name');
      EXCEPTION WHEN data_exception THEN
        v_column := v_col ->> 'name';
        EXIT;
      END;
    END LOOP;
  END IF;
  IF v_column IS NULL OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_target.columns) c WHERE c ->> 'name' = v_column) THEN
    RETURN jsonb_build_object('fila', imports.message(p_target, '', p_sqlstate, NULL));
  END IF;
  RETURN jsonb_build_object(imports.header_of(p_mapping, v_column),
                            imports.message(p_target, v_column, p_sqlstate, p_raw ->> imports.header_of(p_mapping, v_column)));
END
$_$;

ALTER FUNCTION imports.explain(p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text, p_table text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION explain(p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text, p_table text); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.explain(p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text, p_table text) IS 'Internal: the errors (header → Spanish message) of a row its target refused: the column named by the error (RAISE … COLUMN), by its constraint, or the one whose text does not cast; else the whole row ("fila"). Never echoes internal details, only the value as the clerk wrote it. STABLE.';

--
-- Name: fail(uuid, text); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.fail(p_batch uuid, p_error text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  PERFORM imports.require_batch(p_batch);
  UPDATE imports.batches b SET status = 'failed', error = left(p_error, 500), finished_at = now(), lease_until = NULL
   WHERE b.id = p_batch AND b.status IN ('validating', 'promoting');
END
$$;

ALTER FUNCTION imports.fail(p_batch uuid, p_error text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION fail(p_batch uuid, p_error text); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.fail(p_batch uuid, p_error text) IS 'Internal: the worker marks the caller''s batch failed with a message (what it could not attribute to a row). VOLATILE.';

--
-- Name: header_key(text); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.header_key(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, p_text)), '[^a-z0-9]', '', 'g')
$$;

ALTER FUNCTION imports.header_key(p_text text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION header_key(p_text text); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.header_key(p_text text) IS 'The form headers are matched in: lower case, without accents, letters and digits only ("Nº Documento" → "ndocumento"). IMMUTABLE, PARALLEL SAFE.';

--
-- Name: header_of(jsonb, text); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.header_of(p_mapping jsonb, p_column text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT coalesce((SELECT key FROM jsonb_each_text(p_mapping) WHERE value = p_column LIMIT 1), p_column)
$$;

ALTER FUNCTION imports.header_of(p_mapping jsonb, p_column text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION header_of(p_mapping jsonb, p_column text); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.header_of(p_mapping jsonb, p_column text) IS 'The header a target column was mapped from (the column''s own name when none). IMMUTABLE, PARALLEL SAFE.';

--
-- Name: keep_identity(uuid); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.keep_identity(p_batch uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_claims jsonb := nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb;
BEGIN
  IF v_claims IS NULL THEN
    RETURN;  -- a direct SQL login drives its own batch (cimiento-api import)
  END IF;
  IF NOT EXISTS (SELECT 1 FROM imports.batches b
                                      WHERE b.tenant_id OPERATOR(pg_catalog.=) cimiento.current_tenant() AND b.id OPERATOR(pg_catalog.=) p_batch
                                        AND b.created_by OPERATOR(pg_catalog.=) cimiento.current_user_id()) THEN
    RAISE EXCEPTION 'a batch is created by a signed-in user' USING ERRCODE = '42501', HINT = 'sign in and upload again';
  END IF;
  INSERT INTO imports.batch_identities (tenant_id, batch_id, claims)
  VALUES (cimiento.current_tenant(), p_batch, v_claims - 'exp' - 'iat' - 'nbf')
  ON CONFLICT (tenant_id, batch_id) DO NOTHING;
END
$$;

ALTER FUNCTION imports.keep_identity(p_batch uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION keep_identity(p_batch uuid); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.keep_identity(p_batch uuid) IS 'Internal: keeps the claims of the request that created a batch (the caller''s own batch only), so its background work acts as them; a direct SQL login has none and drives its batch itself. SECURITY DEFINER (the table is readable by no API role).';

--
-- Name: mapped_columns(imports.targets, jsonb); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.mapped_columns(p_target imports.targets, p_mapping jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT coalesce(jsonb_agg(c.value || jsonb_build_object('header', m.key) ORDER BY c.ordinality), '[]')
    FROM jsonb_array_elements(p_target.columns) WITH ORDINALITY AS c(value, ordinality)
    JOIN jsonb_each_text(p_mapping) m ON m.value = c.value ->> 'name'
$$;

ALTER FUNCTION imports.mapped_columns(p_target imports.targets, p_mapping jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION mapped_columns(p_target imports.targets, p_mapping jsonb); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.mapped_columns(p_target imports.targets, p_mapping jsonb) IS 'Internal: the target''s columns a mapping uses, each with the header it is read from. STABLE, PARALLEL SAFE.';

--
-- Name: batches; Type: TABLE; Schema: imports; Owner: cimiento_owner
--

CREATE TABLE imports.batches (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    target text NOT NULL,
    mode text DEFAULT 'insert'::text NOT NULL,
    file_name text NOT NULL,
    format text NOT NULL,
    encoding text,
    delimiter text,
    sheet text,
    headers text[] NOT NULL,
    mapping jsonb NOT NULL,
    status text DEFAULT 'uploaded'::text NOT NULL,
    rows_total integer DEFAULT 0 NOT NULL,
    rows_checked integer DEFAULT 0 NOT NULL,
    checked_through integer DEFAULT 0 NOT NULL,
    rows_invalid integer DEFAULT 0 NOT NULL,
    promoted_through integer DEFAULT 0 NOT NULL,
    rows_created integer DEFAULT 0 NOT NULL,
    rows_updated integer DEFAULT 0 NOT NULL,
    rows_failed integer DEFAULT 0 NOT NULL,
    error text,
    created_by uuid DEFAULT cimiento.current_user_id() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    phase_started_at timestamp with time zone,
    validated_at timestamp with time zone,
    finished_at timestamp with time zone,
    lease_until timestamp with time zone,
    CONSTRAINT batches_file_name_length CHECK (((length(file_name) >= 1) AND (length(file_name) <= 255))),
    CONSTRAINT batches_format CHECK ((format = ANY (ARRAY['csv'::text, 'xlsx'::text, 'json'::text]))),
    CONSTRAINT batches_mapping_object CHECK ((jsonb_typeof(mapping) = 'object'::text)),
    CONSTRAINT batches_mode CHECK ((mode = ANY (ARRAY['insert'::text, 'upsert'::text]))),
    CONSTRAINT batches_status CHECK ((status = ANY (ARRAY['uploaded'::text, 'validating'::text, 'validated'::text, 'promoting'::text, 'done'::text, 'failed'::text, 'cancelled'::text])))
);

ALTER TABLE ONLY imports.batches FORCE ROW LEVEL SECURITY;

ALTER TABLE imports.batches OWNER TO cimiento_owner;

--
-- Name: TABLE batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON TABLE imports.batches IS 'One upload: target, mode (insert | upsert by natural key), file facts (format, encoding, delimiter, sheet, headers), the mapping header → target column, the workflow status (uploaded → validating → validated → promoting → done | failed | cancelled) and progress (rows_checked of rows_total up to row checked_through, rows_invalid; promoted_through, rows_created, rows_updated, rows_failed). lease_until: until when a worker holds it.';

--
-- Name: mark_repeated_keys(imports.batches, imports.targets); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.mark_repeated_keys(p_batch imports.batches, p_target imports.targets) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_headers text[] := ARRAY(SELECT imports.header_of(p_batch.mapping, k) FROM unnest(p_target.natural_key) k);
  v_key text;
  v_rows integer[];
  v_firsts integer[];
  v_shown text[];
  v_n integer;
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(v_headers) h WHERE NOT p_batch.mapping ? h) THEN
    RETURN 0;
  END IF;
  -- The key of a row, spelled out once per header: trimmed, case ignored.
  SELECT string_agg(format('lower(btrim(x.raw ->> %L))', h), ' || chr(31) || ') INTO v_key FROM unnest(v_headers) h;
  EXECUTE format($q$
    SELECT coalesce(array_agg(k.row_no), '{}'), coalesce(array_agg(k.first_row), '{}'), coalesce(array_agg(k.shown), '{}')
      FROM (SELECT x.row_no, x.raw ->> %1$L AS shown, min(x.row_no) OVER (PARTITION BY %2$s) AS first_row
              FROM imports.rows x
             WHERE x.tenant_id = $1 AND x.batch_id = $2 AND %2$s <> '') k
     WHERE k.first_row < k.row_no$q$, v_headers[1], v_key)
  INTO v_rows, v_firsts, v_shown USING p_batch.tenant_id, p_batch.id;
  -- Few rows repeat: each is updated through the primary key.
  UPDATE imports.rows r
     SET errors = jsonb_build_object(v_headers[1], format('repetido en el archivo: ya aparece en la fila %s (%s)', d.first_row, d.shown))
    FROM unnest(v_rows, v_firsts, v_shown) AS d(row_no, first_row, shown)
   WHERE r.tenant_id = p_batch.tenant_id AND r.batch_id = p_batch.id AND r.row_no = d.row_no;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$_$;

ALTER FUNCTION imports.mark_repeated_keys(p_batch imports.batches, p_target imports.targets) OWNER TO cimiento_owner;

--
-- Name: FUNCTION mark_repeated_keys(p_batch imports.batches, p_target imports.targets); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.mark_repeated_keys(p_batch imports.batches, p_target imports.targets) IS 'Internal: marks the rows whose natural key (trimmed, case ignored) repeats an earlier row of the same file, naming that row. Returns how many. VOLATILE.';

--
-- Name: message(imports.targets, text, text, text); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.message(p_target imports.targets, p_column text, p_sqlstate text, p_value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT coalesce(
    p_target.messages ->> (p_column || ':' || p_sqlstate),
    CASE
      WHEN p_sqlstate = '23505' THEN 'ya existe un registro con este valor'
      WHEN p_sqlstate IN ('23503', 'PT404', 'IM404') THEN 'no existe'
      WHEN p_sqlstate = '23502' OR p_sqlstate = 'IM400' THEN 'es obligatorio'
      WHEN p_sqlstate = '22001' THEN 'es demasiado largo'
      WHEN p_sqlstate IN ('22P02', '22007', '22008', '22003', '22018') THEN 'no tiene un formato válido'
      WHEN p_sqlstate IN ('42501', 'PT403') THEN 'no tiene permiso para este valor'
      WHEN p_sqlstate = 'PT409' THEN 'entra en conflicto con los datos existentes'
      ELSE 'no es un valor válido'
    END) || CASE WHEN p_value IS NULL OR p_value = '' THEN '' ELSE format(' («%s»)', left(p_value, 60)) END
$$;

ALTER FUNCTION imports.message(p_target imports.targets, p_column text, p_sqlstate text, p_value text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION message(p_target imports.targets, p_column text, p_sqlstate text, p_value text); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.message(p_target imports.targets, p_column text, p_sqlstate text, p_value text) IS 'The Spanish message for an error of a column: the target''s own ("column:SQLSTATE") or the one of the SQLSTATE, followed by the value the clerk wrote. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: next_work(interval); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.next_work(p_lease interval DEFAULT '00:00:30'::interval) RETURNS TABLE(tenant_id uuid, batch_id uuid, status text, claims jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  RETURN QUERY
  WITH picked AS (
    SELECT b.tenant_id, b.id FROM imports.batches b
     WHERE b.status OPERATOR(pg_catalog.=) ANY (ARRAY['validating', 'promoting'])
       AND (b.lease_until IS NULL OR b.lease_until OPERATOR(pg_catalog.<) pg_catalog.now())
     ORDER BY b.created_at LIMIT 1 FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE imports.batches b SET lease_until = pg_catalog.now() OPERATOR(pg_catalog.+) p_lease
      FROM picked WHERE b.tenant_id OPERATOR(pg_catalog.=) picked.tenant_id AND b.id OPERATOR(pg_catalog.=) picked.id
    RETURNING b.tenant_id, b.id, b.status
  )
  SELECT l.tenant_id, l.id, l.status, i.claims
    FROM leased l JOIN imports.batch_identities i ON i.tenant_id OPERATOR(pg_catalog.=) l.tenant_id AND i.batch_id OPERATOR(pg_catalog.=) l.id;
END
$$;

ALTER FUNCTION imports.next_work(p_lease interval) OWNER TO cimiento_owner;

--
-- Name: FUNCTION next_work(p_lease interval); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.next_work(p_lease interval) IS 'For the api''s login: leases the oldest batch being validated or promoted whose lease has expired (none held, or its worker died) and returns it with its creator''s claims, so every chunk runs as them. SECURITY DEFINER.';

--
-- Name: promote_chunk(uuid, integer); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_cache jsonb := '{}';
  v_insert text;
  v_update text;
  v_row record;
  v_args jsonb;
  v_written jsonb;
  v_last integer := v_batch.promoted_through;
  v_done integer := 0;
  v_created integer := 0;
  v_updated integer := 0;
  v_failed integer := 0;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'promoting' THEN
    RETURN 0;
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  v_columns := imports.mapped_columns(v_target, v_batch.mapping);
  v_insert := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'insert');
  IF v_batch.mode = 'upsert' THEN
    v_update := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'update');
  END IF;
  FOR v_row IN SELECT r.row_no, r.raw FROM imports.rows r
                WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no > v_batch.promoted_through
                  AND r.errors IS NULL
                ORDER BY r.row_no LIMIT p_rows LOOP
    v_last := v_row.row_no;
    v_done := v_done + 1;
    v_args := imports.row_arguments(v_target, v_columns, v_row.raw, v_cache);
      v_cache := v_args -> 'cache';
    BEGIN
      IF v_args -> 'errors' <> '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'IM400';
      END IF;
      v_written := imports.write_row(v_insert, v_update, v_args -> 'args');
      INSERT INTO imports.lineage (tenant_id, batch_id, row_no, target_id, action)
      VALUES (v_batch.tenant_id, p_batch, v_row.row_no, (v_written ->> 'id')::uuid, v_written ->> 'action');
      IF v_written ->> 'action' = 'created' THEN v_created := v_created + 1; ELSE v_updated := v_updated + 1; END IF;
    EXCEPTION WHEN OTHERS THEN
      -- Something changed since validation (another user registered the same key…): the row
      -- keeps its errors and the others go on.
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
      UPDATE imports.rows r
         SET errors = CASE WHEN v_state = 'IM400' THEN v_args -> 'errors'
                           ELSE imports.explain(v_target, v_batch.mapping, v_row.raw, v_args -> 'args', v_state, v_column, v_constraint, v_table) END
       WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = v_row.row_no;
      v_failed := v_failed + 1;
    END;
  END LOOP;
  UPDATE imports.batches b
     SET promoted_through = CASE WHEN v_done < p_rows THEN b.rows_total ELSE v_last END,
         rows_created = b.rows_created + v_created, rows_updated = b.rows_updated + v_updated,
         rows_failed = b.rows_failed + v_failed, rows_invalid = b.rows_invalid + v_failed,
         status = CASE WHEN v_done < p_rows THEN 'done' ELSE b.status END,
         finished_at = CASE WHEN v_done < p_rows THEN now() END,
         lease_until = CASE WHEN v_done < p_rows THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN v_done;
END
$$;

ALTER FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION promote_chunk(p_batch uuid, p_rows integer); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer) IS 'Writes the next p_rows valid rows of the caller''s batch through its target as the caller, each with its lineage row, and advances the batch''s high-water mark in the same transaction (a crash resumes after the last committed chunk; promoting twice never duplicates). A row refused now (the data changed since validation) keeps its errors; the others go on. The last chunk moves the batch to done. Returns the rows handled. VOLATILE.';

--
-- Name: refresh_statistics(); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.refresh_statistics() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  ANALYZE imports.batches, imports.rows, imports.lineage;
END
$$;

ALTER FUNCTION imports.refresh_statistics() OWNER TO cimiento_owner;

--
-- Name: FUNCTION refresh_statistics(); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.refresh_statistics() IS 'For the api''s login: ANALYZE of the imports tables after a validation or promotion ends, so the planner knows how many rows a batch added. SECURITY DEFINER (ANALYZE needs the owner).';

--
-- Name: register_target(text, text, text, text[], jsonb, regprocedure, regclass, regprocedure, jsonb); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.register_target(p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb, p_insert_function regprocedure DEFAULT NULL::regprocedure, p_insert_relation regclass DEFAULT NULL::regclass, p_update_function regprocedure DEFAULT NULL::regprocedure, p_messages jsonb DEFAULT '{}'::jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_columns jsonb := '[]';
  v_col jsonb;
  v_type text;
BEGIN
  -- Each column's SQL type comes from the function's parameter or the view's column.
  FOR v_col IN SELECT value FROM jsonb_array_elements(p_columns) LOOP
    IF p_insert_function IS NOT NULL THEN
      SELECT format_type(t.oid, NULL) INTO v_type
        FROM pg_proc p, unnest(p.proargnames, p.proargtypes::oid[]) AS a(name, typ) JOIN pg_type t ON t.oid = a.typ
       WHERE p.oid = p_insert_function AND a.name = v_col ->> 'name';
    ELSE
      SELECT format_type(a.atttypid, a.atttypmod) INTO v_type
        FROM pg_attribute a WHERE a.attrelid = p_insert_relation AND a.attname = v_col ->> 'name' AND NOT a.attisdropped;
    END IF;
    IF v_type IS NULL THEN
      RAISE EXCEPTION 'target %: % has no column or parameter %', p_name, coalesce(p_insert_function::text, p_insert_relation::text),
        v_col ->> 'name' USING ERRCODE = '22023';
    END IF;
    v_columns := v_columns || jsonb_build_array(v_col || jsonb_build_object('type', v_type));
  END LOOP;
  IF EXISTS (SELECT 1 FROM unnest(p_natural_key) k WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_columns) c WHERE c ->> 'name' = k)) THEN
    RAISE EXCEPTION 'target %: the natural key must be among its columns', p_name USING ERRCODE = '22023';
  END IF;
  INSERT INTO imports.targets (name, description, insert_function, insert_relation, update_function, permission, natural_key, columns, messages)
  VALUES (p_name, p_description, p_insert_function, p_insert_relation, p_update_function, p_permission, p_natural_key, v_columns, p_messages)
  ON CONFLICT (name) DO UPDATE
    SET description = EXCLUDED.description, insert_function = EXCLUDED.insert_function, insert_relation = EXCLUDED.insert_relation,
        update_function = EXCLUDED.update_function, permission = EXCLUDED.permission, natural_key = EXCLUDED.natural_key,
        columns = EXCLUDED.columns, messages = EXCLUDED.messages;
END
$$;

ALTER FUNCTION imports.register_target(p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb, p_insert_function regprocedure, p_insert_relation regclass, p_update_function regprocedure, p_messages jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION register_target(p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb, p_insert_function regprocedure, p_insert_relation regclass, p_update_function regprocedure, p_messages jsonb); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.register_target(p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb, p_insert_function regprocedure, p_insert_relation regclass, p_update_function regprocedure, p_messages jsonb) IS 'Registers (or replaces) an import target, for business migrations: name, description, the permission the caller needs, the natural key (column names), the columns ([{name, label, aliases[], required, lookup: ''schema.fn(text)''}]; each type is read from the function''s parameter or the view''s column), either the function frontends call to create one row (named parameters; returns jsonb with "id" or a uuid) or the api view they insert into, an optional update function (same parameters; returns NULL when no row has the natural key) and per-column messages ("column:SQLSTATE" → Spanish text). VOLATILE.';

--
-- Name: require_batch(uuid); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.require_batch(p_batch uuid) RETURNS imports.batches
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_batch imports.batches;
BEGIN
  SELECT * INTO v_batch FROM imports.batches b WHERE b.id = p_batch FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'import batch % not found', p_batch USING ERRCODE = 'PT404', HINT = 'list your batches at /imports';
  END IF;
  IF v_batch.created_by IS DISTINCT FROM cimiento.current_user_id() THEN
    RAISE EXCEPTION 'only the batch''s creator works on it' USING ERRCODE = '42501', HINT = 'upload the file yourself';
  END IF;
  RETURN v_batch;
END
$$;

ALTER FUNCTION imports.require_batch(p_batch uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION require_batch(p_batch uuid); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.require_batch(p_batch uuid) IS 'Internal: the caller''s own batch, locked (404 if not visible, 403 if another user''s). VOLATILE.';

--
-- Name: row_arguments(imports.targets, jsonb, jsonb, jsonb); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_col jsonb;
  v_value text;
  v_key text;
  v_resolved text;
  v_args jsonb := '{}';
  v_errors jsonb := '{}';
  v_cache jsonb := coalesce(p_cache, '{}');
BEGIN
  FOR v_col IN SELECT value FROM jsonb_array_elements(p_columns) LOOP
    v_value := nullif(btrim(p_raw ->> (v_col ->> 'header')), '');
    IF v_value IS NULL THEN
      IF (v_col ->> 'required')::boolean THEN
        v_errors := v_errors || jsonb_build_object(v_col ->> 'header', imports.message(p_target, v_col ->> 'name', 'IM400', NULL));
      END IF;
    ELSIF v_col ? 'lookup' THEN
      v_key := (v_col ->> 'name') || ':' || upper(v_value);
      IF v_cache ? v_key THEN
        v_resolved := v_cache ->> v_key;
      ELSE
        EXECUTE format('SELECT (%s($1))::text', (v_col ->> 'lookup')::regproc) INTO v_resolved USING v_value;
        v_cache := v_cache || jsonb_build_object(v_key, v_resolved);
      END IF;
      IF v_resolved IS NULL THEN
        v_errors := v_errors || jsonb_build_object(v_col ->> 'header', imports.message(p_target, v_col ->> 'name', 'IM404', v_value));
      END IF;
      v_value := v_resolved;
    END IF;
    v_args := v_args || jsonb_build_object(v_col ->> 'name', v_value);
  END LOOP;
  RETURN jsonb_build_object('args', v_args, 'errors', v_errors, 'cache', v_cache);
END
$_$;

ALTER FUNCTION imports.row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb) IS 'One staged row''s arguments for its target: each mapped column''s trimmed text (empty is NULL), required columns present, lookups resolved as the caller (an unknown code is an error of that column; p_cache keeps the codes of a chunk). Returns {"args", "errors", "cache"}. STABLE.';

--
-- Name: suggest_mapping(text, text[]); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.suggest_mapping(p_target text, p_headers text[]) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT coalesce(jsonb_object_agg(m.header, m.col), '{}')
    FROM (SELECT DISTINCT ON (c.value ->> 'name') h.header, c.value ->> 'name' AS col
            FROM unnest(p_headers) WITH ORDINALITY AS h(header, pos)
            JOIN imports.targets t ON t.name = p_target
            CROSS JOIN LATERAL jsonb_array_elements(t.columns) AS c(value)
           WHERE imports.header_key(h.header) IN (
                   SELECT imports.header_key(x) FROM (
                     SELECT c.value ->> 'name' UNION ALL SELECT c.value ->> 'label'
                     UNION ALL SELECT jsonb_array_elements_text(coalesce(c.value -> 'aliases', '[]'))) AS k(x)
                    WHERE x IS NOT NULL)
           ORDER BY c.value ->> 'name', h.pos) AS m
$$;

ALTER FUNCTION imports.suggest_mapping(p_target text, p_headers text[]) OWNER TO cimiento_owner;

--
-- Name: FUNCTION suggest_mapping(p_target text, p_headers text[]); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.suggest_mapping(p_target text, p_headers text[]) IS 'The mapping header → target column suggested by a file''s headers: a header matches a column''s name, label or alias, ignoring accents, case and punctuation; each column takes the first header that matches. STABLE, PARALLEL SAFE.';

--
-- Name: validate_chunk(uuid, integer); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.validate_chunk(p_batch uuid, p_rows integer DEFAULT 500) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_batch imports.batches := imports.require_batch(p_batch);
  v_target imports.targets;
  v_columns jsonb;
  v_cache jsonb := '{}';
  v_insert text;
  v_update text;
  v_row record;
  v_args jsonb;
  v_bad jsonb := '{}';
  v_last integer := v_batch.checked_through;
  v_done integer := 0;
  v_invalid integer := 0;
  v_state text; v_column text; v_constraint text; v_table text;
BEGIN
  IF v_batch.status <> 'validating' THEN
    RETURN 0;
  END IF;
  SELECT * INTO v_target FROM imports.targets t WHERE t.name = v_batch.target;
  v_columns := imports.mapped_columns(v_target, v_batch.mapping);
  v_insert := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'insert');
  IF v_batch.mode = 'upsert' THEN
    v_update := imports.write_statement(v_target, ARRAY(SELECT c ->> 'name' FROM jsonb_array_elements(v_columns) c), 'update');
  END IF;
  BEGIN
    FOR v_row IN SELECT r.row_no, r.raw, r.errors FROM imports.rows r
                  WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no > v_batch.checked_through
                  ORDER BY r.row_no LIMIT p_rows LOOP
      v_last := v_row.row_no;
      v_done := v_done + 1;
      IF v_row.errors IS NOT NULL THEN
        v_invalid := v_invalid + 1;  -- marked before (a repeated key)
        CONTINUE;
      END IF;
      v_args := imports.row_arguments(v_target, v_columns, v_row.raw, v_cache);
      v_cache := v_args -> 'cache';
      IF v_args -> 'errors' <> '{}' THEN
        v_bad := v_bad || jsonb_build_object(v_row.row_no::text, v_args -> 'errors');
        CONTINUE;
      END IF;
      -- Each row in its own savepoint; the rows before it stay until the chunk is undone, so
      -- a duplicate inside the chunk is refused as the target would refuse it.
      BEGIN
        PERFORM imports.write_row(v_insert, v_update, v_args -> 'args');
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_column = COLUMN_NAME, v_constraint = CONSTRAINT_NAME, v_table = TABLE_NAME;
        v_bad := v_bad || jsonb_build_object(v_row.row_no::text,
          imports.explain(v_target, v_batch.mapping, v_row.raw, v_args -> 'args', v_state, v_column, v_constraint, v_table));
      END;
    END LOOP;
    RAISE EXCEPTION USING ERRCODE = 'IM000';  -- undo every write of the chunk
  EXCEPTION WHEN SQLSTATE 'IM000' THEN
    NULL;
  END;
  UPDATE imports.rows r SET errors = e.value
    FROM jsonb_each(v_bad) e
   WHERE r.tenant_id = v_batch.tenant_id AND r.batch_id = p_batch AND r.row_no = e.key::integer;
  UPDATE imports.batches b
     SET rows_checked = b.rows_checked + v_done, checked_through = v_last,
         rows_invalid = b.rows_invalid + v_invalid + (SELECT count(*) FROM jsonb_object_keys(v_bad)),
         status = CASE WHEN v_done < p_rows THEN 'validated' ELSE b.status END,
         validated_at = CASE WHEN v_done < p_rows THEN now() END,
         lease_until = CASE WHEN v_done < p_rows THEN NULL ELSE b.lease_until END
   WHERE b.tenant_id = v_batch.tenant_id AND b.id = p_batch;
  RETURN v_done;
END
$$;

ALTER FUNCTION imports.validate_chunk(p_batch uuid, p_rows integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION validate_chunk(p_batch uuid, p_rows integer); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.validate_chunk(p_batch uuid, p_rows integer) IS 'Validates the next p_rows staged rows of the caller''s batch by writing each through its target as the caller (RLS, grants, branch scope, constraints and the RPC''s checks apply), each in a savepoint, then undoes the whole chunk: nothing reaches the target. Records each bad row''s errors per column and the progress; the last chunk moves the batch to validated. Returns the rows checked (0: nothing left). VOLATILE.';

--
-- Name: write_row(text, text, jsonb); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.write_row(p_insert text, p_update text, p_args jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_id text;
BEGIN
  IF p_update IS NOT NULL THEN
    EXECUTE p_update INTO v_id USING p_args;
    IF v_id IS NOT NULL THEN
      RETURN jsonb_build_object('id', v_id, 'action', 'updated');
    END IF;
  END IF;
  EXECUTE p_insert INTO v_id USING p_args;
  RETURN jsonb_build_object('id', v_id, 'action', 'created');
END
$$;

ALTER FUNCTION imports.write_row(p_insert text, p_update text, p_args jsonb) OWNER TO cimiento_owner;

--
-- Name: FUNCTION write_row(p_insert text, p_update text, p_args jsonb); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.write_row(p_insert text, p_update text, p_args jsonb) IS 'Internal: writes one row as the caller with the statements imports.write_statement planned for the chunk (in upsert mode the update first; a NULL from it means no row has the natural key, so it is created). Returns {"id", "action": created | updated}. VOLATILE.';

--
-- Name: write_statement(imports.targets, text[], text); Type: FUNCTION; Schema: imports; Owner: cimiento_owner
--

CREATE FUNCTION imports.write_statement(p_target imports.targets, p_args text[], p_kind text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  v_values text[];
  v_names text[];
  v_fn regprocedure := CASE p_kind WHEN 'update' THEN p_target.update_function ELSE p_target.insert_function END;
  v_returns regtype;
BEGIN
  SELECT array_agg(format('($1 ->> %L)::%s', c ->> 'name', c ->> 'type') ORDER BY c ->> 'name'),
         array_agg(quote_ident(c ->> 'name') ORDER BY c ->> 'name')
    INTO v_values, v_names
    FROM jsonb_array_elements(p_target.columns) c WHERE c ->> 'name' = ANY (p_args);
  IF p_kind = 'insert' AND p_target.insert_relation IS NOT NULL THEN
    RETURN format('INSERT INTO %s (%s) VALUES (%s) RETURNING id::text', p_target.insert_relation,
                  array_to_string(v_names, ', '), array_to_string(v_values, ', '));
  END IF;
  SELECT prorettype::regtype INTO v_returns FROM pg_proc WHERE oid = v_fn;
  RETURN format('SELECT (%s(%s))%s', v_fn::oid::regproc,
                (SELECT string_agg(format('%s => %s', n, v), ', ') FROM unnest(v_names, v_values) AS x(n, v)),
                CASE WHEN v_returns = 'jsonb'::regtype THEN ' ->> ''id''' ELSE '::text' END);
END
$_$;

ALTER FUNCTION imports.write_statement(p_target imports.targets, p_args text[], p_kind text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION write_statement(p_target imports.targets, p_args text[], p_kind text); Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON FUNCTION imports.write_statement(p_target imports.targets, p_args text[], p_kind text) IS 'Internal: the SQL that writes one row through a target as frontends do (its function with named arguments, or an INSERT into its api view), each argument cast from the row''s text to the column''s type; returns the id as text. STABLE.';

--
-- Name: clients_rfc_checked(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.clients_rfc_checked() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NEW.rfc IS NOT NULL THEN
    NEW.rfc := core.normalize_tax_id(NEW.rfc);
    PERFORM core.check_tax_id('MX', NEW.rfc);
  END IF;
  NEW.name := btrim(NEW.name);
  RETURN NEW;
END
$$;

ALTER FUNCTION insurance.clients_rfc_checked() OWNER TO cimiento_owner;

--
-- Name: FUNCTION clients_rfc_checked(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.clients_rfc_checked() IS 'Trigger (BEFORE INSERT OR UPDATE of clients): normalizes the RFC and refuses an invalid one (22023 → HTTP 400, with the expected form as hint).';

--
-- Name: decide_proposal(uuid, text, text); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.decide_proposal(p_id uuid, p_to text, p_reason text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_permission text := CASE p_to WHEN 'approved' THEN 'proposals.approve' ELSE 'proposals.reject' END;
  v_status     text;
BEGIN
  IF NOT cimiento.has_permission(v_permission) THEN
    RAISE EXCEPTION 'permission denied: deciding a collection as % needs %', p_to, v_permission USING ERRCODE = '42501',
      HINT = CASE WHEN core.second_factor_missing() THEN 'your role requires a second factor: sign in again with your TOTP code'
                  ELSE 'ask an administrator for ' || v_permission END;
  END IF;
  -- The row lock makes a second decision wait for the first and then see it.
  SELECT x.status INTO v_status FROM insurance.collection_proposals x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such collection proposal' USING ERRCODE = 'PT404';
  END IF;
  IF v_status IN ('approved', 'rejected') THEN
    RAISE EXCEPTION 'the collection was already %', v_status USING ERRCODE = 'PT409';
  END IF;
  PERFORM cimiento.transition('collection_proposals', p_id::text, p_to, p_reason);
  RETURN (SELECT to_jsonb(x) FROM api.collection_proposals x WHERE x.id = p_id);
END
$$;

ALTER FUNCTION insurance.decide_proposal(p_id uuid, p_to text, p_reason text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION decide_proposal(p_id uuid, p_to text, p_reason text); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.decide_proposal(p_id uuid, p_to text, p_reason text) IS 'Approves or rejects a proposal as the caller: 403 without the permission (with a hint when a second factor is missing), 404 unknown or not theirs to decide, 409 already decided (after waiting for a concurrent decision), then the workflow transition. VOLATILE.';

--
-- Name: instalment_status(numeric, numeric, date, date); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT CASE WHEN p_paid >= p_amount THEN 'paid'
              WHEN p_due_on < p_today THEN 'overdue'
              WHEN p_paid > 0 THEN 'partial'
              ELSE 'pending' END
$$;

ALTER FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) OWNER TO cimiento_owner;

--
-- Name: FUNCTION instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) IS 'The state of an instalment from what it owes, what was paid, its due date and today: paid, overdue (unpaid after its due date), partial or pending. The one definition payments and the nightly job use. IMMUTABLE, PARALLEL SAFE.';

--
-- Name: nightly_status(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.nightly_status() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_tenant  uuid := cimiento.current_tenant();
  v_today   date := core.local_today(cimiento.current_tenant());
  v_suspend int := coalesce((core.tenant_setting('suspend_after_days'))::int, 30);
  v_rows    bigint := 0;
  v_n       bigint;
BEGIN
  -- Policies past their end expire first (they no longer fall behind).
  UPDATE insurance.policies p SET status = 'expired'
   WHERE p.tenant_id = v_tenant AND p.status IN ('active', 'overdue', 'suspended') AND p.ends_on < v_today;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  UPDATE insurance.instalments i
     SET status = insurance.instalment_status(i.amount, i.paid, i.due_on, v_today), updated_at = now()
   WHERE i.tenant_id = v_tenant AND i.status IN ('pending', 'partial') AND i.due_on < v_today;
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  UPDATE insurance.policies p SET status = 'overdue'
   WHERE p.tenant_id = v_tenant AND p.status = 'active'
     AND EXISTS (SELECT 1 FROM insurance.instalments i WHERE i.tenant_id = p.tenant_id AND i.policy_id = p.id AND i.status = 'overdue');
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  UPDATE insurance.policies p SET status = 'suspended'
   WHERE p.tenant_id = v_tenant AND p.status = 'overdue'
     AND EXISTS (SELECT 1 FROM insurance.instalments i WHERE i.tenant_id = p.tenant_id AND i.policy_id = p.id
                    AND i.status = 'overdue' AND i.due_on < v_today - v_suspend);
  GET DIAGNOSTICS v_n = ROW_COUNT; v_rows := v_rows + v_n;
  RETURN v_rows;
END
$$;

ALTER FUNCTION insurance.nightly_status() OWNER TO cimiento_owner;

--
-- Name: FUNCTION nightly_status(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.nightly_status() IS 'Scheduled job insurance_status (nightly, 04:00 UTC), per tenant as that tenant: policies past their end expire; unpaid instalments past their due date become overdue; active policies with one become overdue; overdue policies with an instalment overdue more than suspend_after_days (tenant setting, default 30) are suspended. Each step a workflow transition; idempotent (a second run touches nothing); returns the rows it changed; each run is recorded in cimiento.job_runs. VOLATILE.';

--
-- Name: number_now(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.number_now() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  SET CONSTRAINTS insurance.policies_number_at_commit IMMEDIATE;
EXCEPTION
  WHEN object_not_in_prerequisite_state THEN
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'PT409', HINT = 'the series is closed (active = false)';
END
$$;

ALTER FUNCTION insurance.number_now() OWNER TO cimiento_owner;

--
-- Name: FUNCTION number_now(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.number_now() IS 'Numbers the policies issued in this transaction now instead of at commit (SET CONSTRAINTS … IMMEDIATE), so an RPC can return the number; a closed series → PT409. VOLATILE.';

--
-- Name: payments_apply(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.payments_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  UPDATE insurance.instalments i
     SET paid = i.paid + NEW.amount,
         status = insurance.instalment_status(i.amount, i.paid + NEW.amount, i.due_on, core.local_today(i.tenant_id)),
         updated_at = now()
   WHERE i.tenant_id = NEW.tenant_id AND i.policy_id = NEW.policy_id AND i.no = NEW.instalment_no;
  PERFORM insurance.refresh_policy_status(NEW.tenant_id, NEW.policy_id);
  RETURN NULL;
END
$$;

ALTER FUNCTION insurance.payments_apply() OWNER TO cimiento_owner;

--
-- Name: FUNCTION payments_apply(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.payments_apply() IS 'Trigger (AFTER INSERT of payments): adds the amount (negative for a reversal) to the instalment''s paid, recomputes its status and the policy''s state (insurance.refresh_policy_status) in the same transaction. SECURITY DEFINER: instalments are not writable by API roles.';

--
-- Name: payments_check(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.payments_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_inst   insurance.instalments;
  v_policy insurance.policies;
  v_orig   insurance.payments;
  v_today  date := core.local_today(NEW.tenant_id);
BEGIN
  IF NEW.reverses_id IS NOT NULL THEN
    SELECT * INTO v_orig FROM insurance.payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.reverses_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no such payment' USING ERRCODE = 'PT404';
    END IF;
    PERFORM cimiento.require_permission('payments.revert', v_orig.branch_id);
    IF v_orig.amount < 0 THEN
      RAISE EXCEPTION 'a reversal cannot be reversed' USING ERRCODE = 'PT409', HINT = 'record a new payment instead';
    END IF;
    IF nullif(btrim(coalesce(NEW.reason, '')), '') IS NULL THEN
      RAISE EXCEPTION 'a reversal needs a reason' USING ERRCODE = '22023';
    END IF;
    NEW.policy_id := v_orig.policy_id;
    NEW.instalment_no := v_orig.instalment_no;
    NEW.amount := -v_orig.amount;
    NEW.method := v_orig.method;
    NEW.collector_id := v_orig.collector_id;
    NEW.receipt_id := NULL;
    NEW.proposal_id := v_orig.proposal_id;
    NEW.paid_on := v_today;
  END IF;
  SELECT * INTO v_inst FROM insurance.instalments i
   WHERE i.tenant_id = NEW.tenant_id AND i.policy_id = NEW.policy_id AND i.no = NEW.instalment_no FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such instalment' USING ERRCODE = 'PT404', HINT = 'the policy must be issued; see /instalments';
  END IF;
  SELECT * INTO v_policy FROM insurance.policies p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.policy_id;
  NEW.branch_id := v_policy.branch_id;
  IF NEW.amount > 0 THEN
    IF v_policy.status NOT IN ('active', 'overdue', 'suspended', 'expired') THEN
      RAISE EXCEPTION 'policy % is %, it takes no payments', coalesce(v_policy.number_display, v_policy.id::text), v_policy.status
        USING ERRCODE = 'PT409';
    END IF;
    IF NEW.amount > v_inst.amount - v_inst.paid THEN
      RAISE EXCEPTION 'the payment (%) exceeds what instalment % still owes (%)', NEW.amount, v_inst.no, v_inst.amount - v_inst.paid
        USING ERRCODE = 'PT409', DETAIL = json_build_object('owed', v_inst.amount - v_inst.paid)::text;
    END IF;
    IF NEW.paid_on IS NULL THEN
      NEW.paid_on := v_today;
    END IF;
    IF NEW.paid_on > v_today THEN
      RAISE EXCEPTION 'a payment cannot be dated in the future (%)', NEW.paid_on USING ERRCODE = '22023';
    END IF;
    -- Historical loads by the schema's owner (the seed, a data migration) may backdate;
    -- every other login, on every path, may not.
    IF NEW.paid_on < (v_today - interval '8 months')::date
       AND NOT pg_has_role(session_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'USAGE') THEN
      RAISE EXCEPTION 'a payment cannot be dated more than 8 months back (%)', NEW.paid_on USING ERRCODE = '22023',
        HINT = 'the earliest date accepted today is ' || (v_today - interval '8 months')::date;
    END IF;
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION insurance.payments_check() OWNER TO cimiento_owner;

--
-- Name: FUNCTION payments_check(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.payments_check() IS 'Trigger (BEFORE INSERT of payments): locks the instalment; a payment must fit what it still owes (PT409), its policy be in force, its date today or up to 8 months back (22023; only the schema owner''s historical loads may backdate); a reversal takes everything from the payment it reverses (negative amount, dated today) and needs a reason; the branch is the policy''s. SECURITY DEFINER (reads what RLS may hide from a collector''s approver; the insert itself stays under RLS).';

--
-- Name: policies_defaults(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.policies_defaults() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NEW.prima_total IS NULL THEN
    SELECT cp.price INTO NEW.prima_total FROM insurance.coverage_prices cp
     WHERE cp.tenant_id = NEW.tenant_id AND cp.coverage_id = NEW.coverage_id AND cp.payment_plan = NEW.payment_plan;
    IF NEW.prima_total IS NULL THEN
      RAISE EXCEPTION 'the coverage has no price for payment plan %', NEW.payment_plan USING ERRCODE = '22023',
        HINT = 'give prima_total or set the price in coverage_prices';
    END IF;
  END IF;
  IF NEW.ends_on IS NULL THEN
    NEW.ends_on := NEW.starts_on + interval '1 year';
  END IF;
  NEW.vin := upper(btrim(NEW.vin));
  NEW.plates := nullif(upper(regexp_replace(NEW.plates, '\s', '', 'g')), '');
  RETURN NEW;
END
$$;

ALTER FUNCTION insurance.policies_defaults() OWNER TO cimiento_owner;

--
-- Name: FUNCTION policies_defaults(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.policies_defaults() IS 'Trigger (BEFORE INSERT of policies): prima_total from the coverage''s price for the plan when not given (22023 when there is none), ends_on a year after starts_on when not given, VIN and plates in upper case.';

--
-- Name: policies_write_instalments(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.policies_write_instalments() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_plan insurance.payment_plans;
  v_each numeric(14,2);
BEGIN
  SELECT * INTO v_plan FROM insurance.payment_plans p WHERE p.code = NEW.payment_plan;
  v_each := trunc(NEW.prima_total / v_plan.instalments, 2);
  IF v_each < 0.01 THEN
    RAISE EXCEPTION 'prima_total % is too small for % instalments', NEW.prima_total, v_plan.instalments USING ERRCODE = '22023';
  END IF;
  INSERT INTO insurance.instalments (tenant_id, policy_id, no, branch_id, due_on, amount, status)
  SELECT NEW.tenant_id, NEW.id, g, NEW.branch_id, (NEW.starts_on + make_interval(months => (g - 1) * v_plan.months_between))::date,
         CASE WHEN g < v_plan.instalments THEN v_each ELSE NEW.prima_total - v_each * (v_plan.instalments - 1) END,
         insurance.instalment_status(1, 0, (NEW.starts_on + make_interval(months => (g - 1) * v_plan.months_between))::date,
                                     core.local_today(NEW.tenant_id))
    FROM generate_series(1, v_plan.instalments) g
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

ALTER FUNCTION insurance.policies_write_instalments() OWNER TO cimiento_owner;

--
-- Name: FUNCTION policies_write_instalments(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.policies_write_instalments() IS 'Trigger (AFTER UPDATE of status quote → active): writes the policy''s instalments from its plan — due dates every months_between from starts_on, amounts trunc(prima_total / n, 2) and the rest on the last, so they sum exactly to prima_total. SECURITY DEFINER: instalments are not writable by API roles.';

--
-- Name: policy_json(uuid); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.policy_json(p_policy uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT to_jsonb(p) || jsonb_build_object('instalments',
           coalesce((SELECT jsonb_agg(to_jsonb(i) - 'tenant_id' - 'policy_id' - 'branch_id' ORDER BY i.no)
                       FROM api.instalments i WHERE i.tenant_id = p.tenant_id AND i.policy_id = p.id), '[]'::jsonb))
    FROM api.policies p WHERE p.id = p_policy
$$;

ALTER FUNCTION insurance.policy_json(p_policy uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION policy_json(p_policy uuid); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.policy_json(p_policy uuid) IS 'A policy as the caller sees it (api.policies) with its instalments, as the RPCs return it. STABLE.';

--
-- Name: proposals_check(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.proposals_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_policy  insurance.policies;
  v_receipt insurance.receipts;
  v_inst    insurance.instalments;
BEGIN
  SELECT * INTO v_policy FROM insurance.policies p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.policy_id;
  -- A collector files in their own name; a manager may enter one for a collector.
  IF NEW.collector_id IS DISTINCT FROM cimiento.current_user_id()
     AND NOT cimiento.has_permission('proposals.approve', v_policy.branch_id) THEN
    RAISE EXCEPTION 'a collector files proposals only in their own name' USING ERRCODE = '42501';
  END IF;
  IF NOT FOUND OR NOT cimiento.has_permission('proposals.create', v_policy.branch_id) THEN
    RAISE EXCEPTION 'no such policy' USING ERRCODE = 'PT404';
  END IF;
  IF v_policy.status NOT IN ('active', 'overdue', 'suspended', 'expired') THEN
    RAISE EXCEPTION 'policy % is %, it takes no payments', coalesce(v_policy.number_display, v_policy.id::text), v_policy.status
      USING ERRCODE = 'PT409';
  END IF;
  NEW.branch_id := v_policy.branch_id;
  SELECT * INTO v_inst FROM insurance.instalments i
   WHERE i.tenant_id = NEW.tenant_id AND i.policy_id = NEW.policy_id AND i.no = NEW.instalment_no;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such instalment' USING ERRCODE = 'PT404';
  END IF;
  IF NEW.amount > v_inst.amount - v_inst.paid THEN
    RAISE EXCEPTION 'the amount (%) exceeds what instalment % still owes (%)', NEW.amount, v_inst.no, v_inst.amount - v_inst.paid
      USING ERRCODE = 'PT409';
  END IF;
  IF NEW.method NOT IN ('cash', 'deposit', 'transfer', 'crucero', 'konfio', 'terminal_banorte') THEN
    RAISE EXCEPTION 'unknown payment method %', NEW.method USING ERRCODE = '22023',
      HINT = 'cash, deposit, transfer, crucero, konfio or terminal_banorte';
  END IF;
  SELECT * INTO v_receipt FROM insurance.receipts r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.receipt_id;
  IF NOT FOUND OR v_receipt.collector_id IS DISTINCT FROM NEW.collector_id THEN
    RAISE EXCEPTION 'the receipt is not assigned to this collector' USING ERRCODE = 'PT409';
  END IF;
  IF v_receipt.status <> 'assigned' THEN
    RAISE EXCEPTION 'receipt % is %', v_receipt.number, v_receipt.status USING ERRCODE = 'PT409';
  END IF;
  IF EXISTS (SELECT 1 FROM insurance.collection_proposals x
              WHERE x.tenant_id = NEW.tenant_id AND x.receipt_id = NEW.receipt_id AND x.status <> 'rejected') THEN
    RAISE EXCEPTION 'receipt % is already on another collection', v_receipt.number USING ERRCODE = 'PT409';
  END IF;
  IF NEW.collected_at > now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'collected_at is in the future' USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION insurance.proposals_check() OWNER TO cimiento_owner;

--
-- Name: FUNCTION proposals_check(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.proposals_check() IS 'Trigger (BEFORE INSERT of collection_proposals): filed by the collector in their own name (42501), for a policy in force where they hold proposals.create (404 otherwise); a manager holding proposals.approve may file one for a collector, an instalment that still owes at least the amount, a known method, a receipt assigned to them and on no other collection that was not rejected (PT409); the branch is the policy''s. SECURITY DEFINER (reads policies and receipts; the insert stays under RLS).';

--
-- Name: proposals_decided(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.proposals_decided() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NEW.status IN ('approved', 'rejected') THEN
    NEW.decided_by := cimiento.current_user_id();
    NEW.decided_at := now();
    NEW.decision_reason := nullif(btrim(coalesce(current_setting('cimiento.transition_reason', true), '')), '');
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION insurance.proposals_decided() OWNER TO cimiento_owner;

--
-- Name: FUNCTION proposals_decided(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.proposals_decided() IS 'Trigger (BEFORE UPDATE of status of collection_proposals): stamps who decided, when, and the transition''s reason.';

--
-- Name: proposals_on_approval(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.proposals_on_approval() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO insurance.payments (tenant_id, branch_id, policy_id, instalment_no, amount, method, paid_on, collector_id,
                                  receipt_id, proposal_id)
  VALUES (NEW.tenant_id, NEW.branch_id, NEW.policy_id, NEW.instalment_no, NEW.amount, NEW.method,
          core.local_day(NEW.tenant_id, NEW.collected_at), NEW.collector_id, NEW.receipt_id, NEW.id);
  UPDATE insurance.receipts SET status = 'used' WHERE tenant_id = NEW.tenant_id AND id = NEW.receipt_id;
  RETURN NULL;
END
$$;

ALTER FUNCTION insurance.proposals_on_approval() OWNER TO cimiento_owner;

--
-- Name: FUNCTION proposals_on_approval(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.proposals_on_approval() IS 'Trigger (AFTER UPDATE of status to approved): applies the proposal as a payment dated the day it was collected (every payment rule holds: balance, 8 months) and uses its receipt (a workflow transition the approver must hold), in the approval''s transaction. The row lock of the approval makes a second approver wait and then find it approved (409): one payment. SECURITY DEFINER: the approver needs proposals.approve, not payments.create.';

--
-- Name: receipt_lots_open(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.receipt_lots_open() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO insurance.receipts (tenant_id, branch_id, lot_id, number)
  SELECT NEW.tenant_id, NEW.branch_id, NEW.id, NEW.prefix || lpad(g::text, 6, '0')
    FROM generate_series(NEW.first_no, NEW.last_no) g;
  RETURN NULL;
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'receipts %–% overlap a lot already registered', NEW.prefix || NEW.first_no, NEW.prefix || NEW.last_no
    USING ERRCODE = 'PT409';
END
$$;

ALTER FUNCTION insurance.receipt_lots_open() OWNER TO cimiento_owner;

--
-- Name: FUNCTION receipt_lots_open(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.receipt_lots_open() IS 'Trigger (AFTER INSERT of receipt_lots): creates the lot''s receipts (prefix + six digits), available; PT409 when a number is already registered. SECURITY DEFINER: receipts are created only by their lot.';

--
-- Name: receipts_moved(); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.receipts_moved() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_limit int := coalesce((core.tenant_setting('receipts_per_collector'))::int, 50);
  v_held  int;
BEGIN
  IF NEW.status = OLD.status AND NEW.collector_id IS DISTINCT FROM OLD.collector_id THEN
    RAISE EXCEPTION 'a receipt changes hands only by being assigned' USING ERRCODE = 'PT409',
      HINT = 'cancel it or mark it lost, then assign another';
  END IF;
  IF NEW.status = 'assigned' AND OLD.status <> 'assigned' THEN
    IF NEW.collector_id IS NULL THEN
      RAISE EXCEPTION 'assigning a receipt needs the collector' USING ERRCODE = '22023';
    END IF;
    -- One assignment per collector at a time, so the limit holds under concurrency.
    PERFORM pg_advisory_xact_lock(hashtextextended('insurance.receipts:' || NEW.tenant_id || ':' || NEW.collector_id, 0));
    SELECT count(*) INTO v_held FROM insurance.receipts r
     WHERE r.tenant_id = NEW.tenant_id AND r.collector_id = NEW.collector_id AND r.status = 'assigned' AND r.id <> NEW.id;
    IF v_held >= v_limit THEN
      RAISE EXCEPTION 'the collector already holds % receipts (limit %)', v_held, v_limit USING ERRCODE = 'PT409',
        HINT = 'receipts_per_collector in the tenant''s settings';
    END IF;
    NEW.assigned_at := now();
  ELSIF NEW.status = 'used' THEN
    NEW.used_at := now();
  ELSIF NEW.status = 'verified' THEN
    NEW.verified_at := now();
  END IF;
  IF NEW.status IN ('lost', 'cancelled') THEN
    NEW.reason := nullif(btrim(coalesce(current_setting('cimiento.transition_reason', true), '')), '');
  END IF;
  RETURN NEW;
END
$$;

ALTER FUNCTION insurance.receipts_moved() OWNER TO cimiento_owner;

--
-- Name: FUNCTION receipts_moved(); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.receipts_moved() IS 'Trigger (BEFORE UPDATE of receipts, after the workflow check): assigning needs the collector, who may hold at most receipts_per_collector (tenant setting, default 50) assigned receipts (PT409; serialized per collector); stamps assigned_at, used_at, verified_at; lost and cancelled keep the transition''s reason. A receipt changes collector only by being assigned.';

--
-- Name: refresh_policy_status(uuid, uuid); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.refresh_policy_status(p_tenant uuid, p_policy uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_status text;
  v_behind boolean;
BEGIN
  SELECT p.status INTO v_status FROM insurance.policies p WHERE p.tenant_id = p_tenant AND p.id = p_policy FOR UPDATE;
  v_behind := EXISTS (SELECT 1 FROM insurance.instalments i
                       WHERE i.tenant_id = p_tenant AND i.policy_id = p_policy AND i.status = 'overdue');
  IF v_status = 'active' AND v_behind THEN
    UPDATE insurance.policies SET status = 'overdue' WHERE tenant_id = p_tenant AND id = p_policy;
  ELSIF v_status IN ('overdue', 'suspended') AND NOT v_behind THEN
    UPDATE insurance.policies SET status = 'active' WHERE tenant_id = p_tenant AND id = p_policy;
  END IF;
END
$$;

ALTER FUNCTION insurance.refresh_policy_status(p_tenant uuid, p_policy uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION refresh_policy_status(p_tenant uuid, p_policy uuid); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.refresh_policy_status(p_tenant uuid, p_policy uuid) IS 'Internal (payments'' trigger): an active policy with an overdue instalment becomes overdue; an overdue or suspended one with none is active again. Each change is a workflow transition the caller must hold (catch_up: payments.create or proposals.approve; fall_behind: the same, payments.revert or policies.status — a partial payment on a policy already behind records what the nightly job would). VOLATILE.';

--
-- Name: search_key(text); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.search_key(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary, p_text))
$$;

ALTER FUNCTION insurance.search_key(p_text text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION search_key(p_text text); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.search_key(p_text text) IS 'The form text is searched in: lower case without accents (unaccent with its fixed dictionary, hence IMMUTABLE). IMMUTABLE, PARALLEL SAFE.';

--
-- Name: setup_agency(uuid); Type: FUNCTION; Schema: insurance; Owner: cimiento_owner
--

CREATE FUNCTION insurance.setup_agency(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO core.roles (tenant_id, name, description)
  SELECT DISTINCT ON (a.role_name) p_tenant, a.role_name, a.description FROM insurance.agency_roles a ORDER BY a.role_name
  ON CONFLICT DO NOTHING;
  INSERT INTO core.role_permissions (tenant_id, role_id, permission)
  SELECT p_tenant, r.id, a.permission
    FROM insurance.agency_roles a JOIN core.roles r ON r.tenant_id = p_tenant AND r.name = a.role_name
  ON CONFLICT DO NOTHING;
  UPDATE core.tenants t
     SET settings = t.settings || jsonb_build_object('mfa_required_roles', '["admin", "gerente"]'::jsonb)
                   || CASE WHEN t.settings ? 'receipts_per_collector' THEN '{}'::jsonb ELSE '{"receipts_per_collector": 50}' END
                   || CASE WHEN t.settings ? 'suspend_after_days' THEN '{}'::jsonb ELSE '{"suspend_after_days": 30}' END
   WHERE t.id = p_tenant;
END
$$;

ALTER FUNCTION insurance.setup_agency(p_tenant uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION setup_agency(p_tenant uuid); Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON FUNCTION insurance.setup_agency(p_tenant uuid) IS 'Makes a tenant an insurance agency (for DBAs and the seed; idempotent): creates the roles gerente, auxiliar, cobrador, vendedor and ajustador with the permissions of insurance.agency_roles (the tenant may change them afterwards), requires TOTP of admin and gerente (settings.mfa_required_roles) and sets receipts_per_collector 50 and suspend_after_days 30 unless already set. VOLATILE.';

--
-- Name: aging_bucket(date); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.aging_bucket(p_due_date date) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN current_date - p_due_date <= 30 THEN '0-30'
              WHEN current_date - p_due_date <= 60 THEN '31-60'
              WHEN current_date - p_due_date <= 90 THEN '61-90'
              ELSE '90+' END
$$;

ALTER FUNCTION reports.aging_bucket(p_due_date date) OWNER TO cimiento_owner;

--
-- Name: FUNCTION aging_bucket(p_due_date date); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.aging_bucket(p_due_date date) IS 'The aging bucket of a balance by days since its due date: 0-30 (including not yet due), 31-60, 61-90, 90+. The one definition the aging reports use. STABLE (today), PARALLEL SAFE; inlined into the views.';

--
-- Name: attendance_by_course_day_apply(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.attendance_by_course_day_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION reports.attendance_by_course_day_apply() OWNER TO cimiento_owner;

--
-- Name: FUNCTION attendance_by_course_day_apply(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.attendance_by_course_day_apply() IS 'Trigger (after each statement on academy.attendance): appends the statement''s records per course and day to reports.attendance_by_course_day (negated for the old version of changed or deleted records). SECURITY DEFINER: callers cannot write the summary.';

--
-- Name: collected_by_month_apply(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.collected_by_month_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
    SELECT o.tenant_id, o.branch_id, reports.local_month(o.paid_at, t.timezone), -count(*), -sum(o.amount)
      FROM old_rows o JOIN core.tenants t ON t.id = o.tenant_id
     GROUP BY 1, 2, 3;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
    SELECT n.tenant_id, n.branch_id, reports.local_month(n.paid_at, t.timezone), count(*), sum(n.amount)
      FROM new_rows n JOIN core.tenants t ON t.id = n.tenant_id
     GROUP BY 1, 2, 3;
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION reports.collected_by_month_apply() OWNER TO cimiento_owner;

--
-- Name: FUNCTION collected_by_month_apply(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.collected_by_month_apply() IS 'Trigger (after each statement on academy.payments): appends the statement''s payments per tenant, branch and month to reports.collected_by_month (negated for deleted or changed rows). SECURITY DEFINER: callers cannot write the summary.';

--
-- Name: compact_attendance_by_course_day(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.compact_attendance_by_course_day() RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

ALTER FUNCTION reports.compact_attendance_by_course_day() OWNER TO cimiento_owner;

--
-- Name: FUNCTION compact_attendance_by_course_day(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.compact_attendance_by_course_day() IS 'Folds the caller tenant''s attendance deltas into one row per course and day (days whose records net to zero disappear); returns how many delta rows it folded. Part of the reports_compact job. VOLATILE.';

--
-- Name: compact_collected_by_month(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.compact_collected_by_month() RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH months AS (
    SELECT f.branch_id, f.month FROM reports.collected_by_month f GROUP BY 1, 2 HAVING count(*) > 1),
  folded AS (
    DELETE FROM reports.collected_by_month f USING months m
     WHERE f.branch_id = m.branch_id AND f.month = m.month
    RETURNING f.tenant_id, f.branch_id, f.month, f.payments, f.collected),
  written AS (
    INSERT INTO reports.collected_by_month (tenant_id, branch_id, month, payments, collected)
    SELECT tenant_id, branch_id, month, sum(payments), sum(collected) FROM folded GROUP BY 1, 2, 3
    RETURNING 1)
  SELECT count(*) FROM folded
$$;

ALTER FUNCTION reports.compact_collected_by_month() OWNER TO cimiento_owner;

--
-- Name: FUNCTION compact_collected_by_month(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.compact_collected_by_month() IS 'Scheduled job reports_compact (nightly, 02:30 UTC): folds the caller tenant''s payment deltas into one row per branch and month; returns how many delta rows it folded. Runs as cimiento_jobs under RLS, holding only payments.read. VOLATILE.';

--
-- Name: compact_sold_by_day(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.compact_sold_by_day() RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH groups AS (
    SELECT f.branch_id, f.day, f.product_id FROM reports.sold_by_day f GROUP BY 1, 2, 3 HAVING count(*) > 1),
  folded AS (
    DELETE FROM reports.sold_by_day f USING groups g
     WHERE f.branch_id = g.branch_id AND f.day = g.day AND f.product_id = g.product_id
    RETURNING f.tenant_id, f.branch_id, f.day, f.product_id, f.sales, f.lines, f.units, f.revenue, f.cost),
  written AS (
    INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
    SELECT tenant_id, branch_id, day, product_id, sum(sales), sum(lines), sum(units), sum(revenue), sum(cost) FROM folded
     GROUP BY 1, 2, 3, 4 HAVING sum(lines) <> 0
    RETURNING 1)
  SELECT count(*) FROM folded
$$;

ALTER FUNCTION reports.compact_sold_by_day() OWNER TO cimiento_owner;

--
-- Name: FUNCTION compact_sold_by_day(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.compact_sold_by_day() IS 'Folds the caller tenant''s sales deltas into one row per branch, day and product (products whose lines of a day were all voided disappear); returns how many delta rows it folded. Part of the reports_compact job. VOLATILE.';

--
-- Name: compact_summaries(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.compact_summaries() RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT reports.compact_collected_by_month() + reports.compact_attendance_by_course_day() + reports.compact_sold_by_day()
$$;

ALTER FUNCTION reports.compact_summaries() OWNER TO cimiento_owner;

--
-- Name: FUNCTION compact_summaries(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.compact_summaries() IS 'Scheduled job reports_compact (nightly, 02:30 UTC): folds the caller tenant''s report summaries (payments per month, attendance per course and day, sales per branch, day and product); returns the delta rows folded. Runs as cimiento_jobs under RLS, holding only payments.read, attendance.read and sales.read. VOLATILE.';

--
-- Name: local_month(timestamp with time zone, text); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.local_month(p_at timestamp with time zone, p_timezone text) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT date_trunc('month', p_at AT TIME ZONE coalesce(p_timezone, 'UTC'))::date
$$;

ALTER FUNCTION reports.local_month(p_at timestamp with time zone, p_timezone text) OWNER TO cimiento_owner;

--
-- Name: FUNCTION local_month(p_at timestamp with time zone, p_timezone text); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.local_month(p_at timestamp with time zone, p_timezone text) IS 'The first day of the month a moment falls in, in a time zone (the tenant''s): how payments are grouped into months. STABLE, PARALLEL SAFE.';

--
-- Name: product_ledger(uuid, uuid); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.product_ledger(p_product uuid, p_location uuid DEFAULT NULL::uuid) RETURNS TABLE(moved_at timestamp with time zone, location_id uuid, kind text, quantity numeric, unit_cost numeric, source_type text, source_id uuid, reason text, balance numeric)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT m.moved_at, m.location_id, m.kind, m.quantity, m.unit_cost, m.source_type, m.source_id, m.reason,
         sum(m.quantity) OVER (PARTITION BY CASE WHEN p_location IS NULL THEN NULL ELSE m.location_id END
                               ORDER BY m.seq ROWS UNBOUNDED PRECEDING) AS balance
    FROM commerce.inventory_movements m
   WHERE m.product_id = p_product AND (p_location IS NULL OR m.location_id = p_location)
   ORDER BY m.seq
$$;

ALTER FUNCTION reports.product_ledger(p_product uuid, p_location uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION product_ledger(p_product uuid, p_location uuid); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.product_ledger(p_product uuid, p_location uuid) IS 'A product''s stock ledger in the caller''s branches (one location, or all), oldest first, with the running balance after each movement. STABLE.';

--
-- Name: rebuild_sold_by_day(uuid); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.rebuild_sold_by_day(p_tenant uuid) RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  WITH dropped AS (
    DELETE FROM reports.sold_by_day f WHERE f.tenant_id = p_tenant),
  written AS (
    INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
    SELECT n.tenant_id, n.branch_id, n.sold_on, n.product_id, count(*) FILTER (WHERE n.line_no = 1), count(*),
           sum(n.quantity), sum(n.revenue), sum(n.cost)
      FROM reports.sale_lines_net n
     WHERE n.tenant_id = p_tenant
     GROUP BY 1, 2, 3, 4
    RETURNING 1)
  SELECT count(*) FROM written
$$;

ALTER FUNCTION reports.rebuild_sold_by_day(p_tenant uuid) OWNER TO cimiento_owner;

--
-- Name: FUNCTION rebuild_sold_by_day(p_tenant uuid); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.rebuild_sold_by_day(p_tenant uuid) IS 'Owner maintenance: recomputes a tenant''s reports.sold_by_day from its sale lines, net of returns and voids (one row per branch, day and product); returns the rows written. For sales loaded with triggers off. Reads every line of the tenant as the caller: run it as the table owner. VOLATILE.';

--
-- Name: slow_movers(integer); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.slow_movers(p_days integer DEFAULT 30) RETURNS TABLE(tenant_id uuid, product_id uuid, sku text, product_name text, on_hand numeric, last_sold_on date, days_without_sale integer)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 3650 THEN
    RAISE EXCEPTION 'days must be between 1 and 3650' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT p.tenant_id, p.id, p.sku, p.name, c.on_hand, ls.sold_on,
           (commerce.local_today(p.tenant_id) - ls.sold_on)::int
      FROM commerce.products p
      JOIN commerce.product_costs c ON c.tenant_id = p.tenant_id AND c.product_id = p.id
      CROSS JOIN LATERAL (SELECT commerce.local_day(p.tenant_id, c.last_sold_at) AS sold_on) ls
     WHERE p.active AND c.on_hand > 0
       AND (ls.sold_on IS NULL OR ls.sold_on < commerce.local_today(p.tenant_id) - p_days)
     ORDER BY ls.sold_on NULLS FIRST, p.sku;
END
$$;

ALTER FUNCTION reports.slow_movers(p_days integer) OWNER TO cimiento_owner;

--
-- Name: FUNCTION slow_movers(p_days integer); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.slow_movers(p_days integer) IS 'Active products with stock (in every location) that have not left in a sale in the last p_days days (default 30; never sold first), from product_costs.last_sold_at (tenant-local day): units on hand, last sale day, days without a sale. 400 outside 1..3650. STABLE.';

--
-- Name: sold_by_day_lines(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.sold_by_day_lines() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
  SELECT n.tenant_id, n.branch_id, s.sold_on, n.product_id, count(*) FILTER (WHERE n.line_no = 1), count(*),
         sum(n.quantity), sum(round(n.quantity * n.unit_price, 2)), sum(round(n.quantity * n.unit_cost, 2))
    FROM new_rows n
    JOIN commerce.sales s ON s.tenant_id = n.tenant_id AND s.id = n.sale_id AND s.status = 'completed'
   GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END
$$;

ALTER FUNCTION reports.sold_by_day_lines() OWNER TO cimiento_owner;

--
-- Name: FUNCTION sold_by_day_lines(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.sold_by_day_lines() IS 'Trigger (after each statement inserting commerce.sale_lines): appends the lines of completed sales per branch, day and product to reports.sold_by_day. SECURITY DEFINER: callers cannot write the summary.';

--
-- Name: sold_by_day_returns(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.sold_by_day_returns() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
  SELECT l.tenant_id, l.branch_id, s.sold_on, l.product_id, 0, 0, -sum(x.returned_now),
         sum(round((l.quantity - r.returned) * l.unit_price, 2) - round((l.quantity - r.returned + x.returned_now) * l.unit_price, 2)),
         sum(round((l.quantity - r.returned) * l.unit_cost, 2) - round((l.quantity - r.returned + x.returned_now) * l.unit_cost, 2))
    FROM (SELECT n.tenant_id, n.sale_id, n.sale_line_no, sum(n.quantity) AS returned_now
            FROM new_rows n GROUP BY 1, 2, 3) x
    JOIN commerce.sales s ON s.tenant_id = x.tenant_id AND s.id = x.sale_id AND s.status = 'completed'
    JOIN commerce.sale_lines l ON l.tenant_id = x.tenant_id AND l.sale_id = x.sale_id AND l.line_no = x.sale_line_no
    CROSS JOIN LATERAL (SELECT sum(rl.quantity) AS returned FROM commerce.return_lines rl
                         WHERE rl.tenant_id = l.tenant_id AND rl.sale_id = l.sale_id AND rl.sale_line_no = l.line_no) r
   GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END
$$;

ALTER FUNCTION reports.sold_by_day_returns() OWNER TO cimiento_owner;

--
-- Name: FUNCTION sold_by_day_returns(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.sold_by_day_returns() IS 'Trigger (after each statement inserting commerce.return_lines): takes the returned units, and the revenue and cost they change, off the sale''s day in reports.sold_by_day. SECURITY DEFINER: callers cannot write the summary.';

--
-- Name: sold_by_day_status(); Type: FUNCTION; Schema: reports; Owner: cimiento_owner
--

CREATE FUNCTION reports.sold_by_day_status() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  v_sign integer := CASE WHEN NEW.status = 'completed' THEN 1 WHEN OLD.status = 'completed' THEN -1 ELSE 0 END;
BEGIN
  IF v_sign <> 0 THEN
    INSERT INTO reports.sold_by_day (tenant_id, branch_id, day, product_id, sales, lines, units, revenue, cost)
    SELECT l.tenant_id, l.branch_id, NEW.sold_on, l.product_id, v_sign * count(*) FILTER (WHERE l.line_no = 1),
           v_sign * count(*), v_sign * sum(l.quantity - r.returned), v_sign * sum(round((l.quantity - r.returned) * l.unit_price, 2)),
           v_sign * sum(round((l.quantity - r.returned) * l.unit_cost, 2))
      FROM commerce.sale_lines l
      CROSS JOIN LATERAL (SELECT coalesce(sum(rl.quantity), 0) AS returned FROM commerce.return_lines rl
                           WHERE rl.tenant_id = l.tenant_id AND rl.sale_id = l.sale_id AND rl.sale_line_no = l.line_no) r
     WHERE l.tenant_id = NEW.tenant_id AND l.sale_id = NEW.id
     GROUP BY 1, 2, 3, 4;
  END IF;
  RETURN NULL;
END
$$;

ALTER FUNCTION reports.sold_by_day_status() OWNER TO cimiento_owner;

--
-- Name: FUNCTION sold_by_day_status(); Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON FUNCTION reports.sold_by_day_status() IS 'Trigger (after a sale''s status changes): a void takes the sale''s lines net of returns out of reports.sold_by_day; completing a voided sale again puts them back. SECURITY DEFINER: callers cannot write the summary.';

--
-- Name: attendance; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.attendance (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    course_id uuid NOT NULL,
    student_id uuid NOT NULL,
    date date NOT NULL,
    branch_id uuid NOT NULL,
    status text NOT NULL,
    note text,
    recorded_by uuid DEFAULT cimiento.current_user_id(),
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT attendance_status CHECK ((status = ANY (ARRAY['present'::text, 'absent'::text, 'late'::text, 'excused'::text])))
);

ALTER TABLE ONLY academy.attendance FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.attendance OWNER TO cimiento_owner;

--
-- Name: TABLE attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.attendance IS 'One record per student, course and day: present | absent | late | excused; only for students enrolled in the course.';

--
-- Name: courses; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.courses (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    fee numeric(12,2) NOT NULL,
    capacity integer NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    status text DEFAULT 'open'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT courses_capacity_positive CHECK (((capacity >= 1) AND (capacity <= 100000))),
    CONSTRAINT courses_code_format CHECK ((code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'::text)),
    CONSTRAINT courses_dates CHECK ((ends_on >= starts_on)),
    CONSTRAINT courses_fee_not_negative CHECK ((fee >= (0)::numeric)),
    CONSTRAINT courses_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT courses_status CHECK ((status = ANY (ARRAY['draft'::text, 'open'::text, 'closed'::text, 'cancelled'::text])))
);

ALTER TABLE ONLY academy.courses FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.courses OWNER TO cimiento_owner;

--
-- Name: TABLE courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.courses IS 'Courses offered by a branch: code unique per tenant, fee, capacity, dates, status (draft | open | closed | cancelled).';

--
-- Name: enrollment_invoices; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.enrollment_invoices (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    invoice_id uuid NOT NULL,
    enrollment_id uuid NOT NULL,
    branch_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY academy.enrollment_invoices FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.enrollment_invoices OWNER TO cimiento_owner;

--
-- Name: TABLE enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.enrollment_invoices IS 'Which invoice bills which enrollment (api.issue_enrollment_invoice).';

--
-- Name: enrollments; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.enrollments (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    student_id uuid NOT NULL,
    course_id uuid NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    agreed_fee numeric(12,2) NOT NULL,
    discount numeric(12,2) DEFAULT 0 NOT NULL,
    enrolled_at timestamp with time zone DEFAULT now() NOT NULL,
    withdrawn_at timestamp with time zone,
    CONSTRAINT enrollments_discount_range CHECK (((discount >= (0)::numeric) AND (discount <= agreed_fee))),
    CONSTRAINT enrollments_fee_not_negative CHECK ((agreed_fee >= (0)::numeric)),
    CONSTRAINT enrollments_status CHECK ((status = ANY (ARRAY['active'::text, 'withdrawn'::text, 'completed'::text])))
);

ALTER TABLE ONLY academy.enrollments FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.enrollments OWNER TO cimiento_owner;

--
-- Name: TABLE enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.enrollments IS 'A student in a course (in the course''s branch): status active | withdrawn | completed, agreed fee and discount. One per student and course.';

--
-- Name: financial_status; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.financial_status (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    enrollment_id uuid NOT NULL,
    branch_id uuid NOT NULL,
    amount_due numeric(12,2) NOT NULL,
    paid numeric(12,2) DEFAULT 0 NOT NULL,
    balance numeric(12,2) GENERATED ALWAYS AS ((amount_due - paid)) STORED,
    status text DEFAULT 'pending'::text NOT NULL,
    due_date date NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    withdrawn boolean DEFAULT false NOT NULL,
    CONSTRAINT financial_status_due_not_negative CHECK ((amount_due >= (0)::numeric)),
    CONSTRAINT financial_status_paid_range CHECK (((paid >= (0)::numeric) AND (paid <= amount_due))),
    CONSTRAINT financial_status_status CHECK ((status = ANY (ARRAY['pending'::text, 'partial'::text, 'paid'::text, 'overdue'::text])))
);

ALTER TABLE ONLY academy.financial_status FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.financial_status OWNER TO cimiento_owner;

--
-- Name: TABLE financial_status; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.financial_status IS 'What an enrollment owes: one per enrollment, created with it; paid and status move with each payment in the same transaction. status is overdue when the due date passed with a balance (see api.financial_status).';

--
-- Name: COLUMN financial_status.withdrawn; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON COLUMN academy.financial_status.withdrawn IS 'Whether the enrollment was withdrawn (kept by the enrollments trigger): a withdrawn enrollment''s balance is not outstanding.';

--
-- Name: payments; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.payments (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    enrollment_id uuid NOT NULL,
    amount numeric(12,2) NOT NULL,
    method text NOT NULL,
    reference text,
    received_by uuid DEFAULT cimiento.current_user_id(),
    paid_at timestamp with time zone DEFAULT now() NOT NULL,
    notes text,
    CONSTRAINT payments_amount_positive CHECK ((amount > (0)::numeric)),
    CONSTRAINT payments_method CHECK ((method = ANY (ARRAY['cash'::text, 'card'::text, 'transfer'::text, 'deposit'::text]))),
    CONSTRAINT payments_reference_length CHECK ((length(reference) <= 100))
);

ALTER TABLE ONLY academy.payments FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.payments OWNER TO cimiento_owner;

--
-- Name: TABLE payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.payments IS 'Money received for an enrollment: positive amount, method cash | card | transfer | deposit. Never more than the balance; never for a withdrawn enrollment. Immutable once recorded.';

--
-- Name: students; Type: TABLE; Schema: academy; Owner: cimiento_owner
--

CREATE TABLE academy.students (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    document_id text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    phone text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT students_document_format CHECK ((document_id ~ '^[A-Z0-9][A-Z0-9-]{2,31}$'::text)),
    CONSTRAINT students_email_format CHECK (((email IS NULL) OR (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text))),
    CONSTRAINT students_first_name_length CHECK (((length(btrim(first_name)) >= 1) AND (length(btrim(first_name)) <= 100))),
    CONSTRAINT students_last_name_length CHECK (((length(btrim(last_name)) >= 1) AND (length(btrim(last_name)) <= 150))),
    CONSTRAINT students_phone_format CHECK (((phone IS NULL) OR (phone ~ '^\+?[0-9 ().-]{6,20}$'::text)))
);

ALTER TABLE ONLY academy.students FORCE ROW LEVEL SECURITY;

ALTER TABLE academy.students OWNER TO cimiento_owner;

--
-- Name: TABLE students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON TABLE academy.students IS 'Students of a branch; document_id (DNI/NIE/cédula/CURP, upper case) unique per tenant.';

--
-- Name: attendance; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.attendance WITH (security_invoker='true') AS
 SELECT attendance.tenant_id,
    attendance.course_id,
    attendance.student_id,
    attendance.date,
    attendance.branch_id,
    attendance.status,
    attendance.note,
    attendance.recorded_by,
    attendance.recorded_at
   FROM academy.attendance;

ALTER TABLE api.attendance OWNER TO cimiento_owner;

--
-- Name: VIEW attendance; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.attendance IS 'Attendance per student, course and day. Record a whole class with /rpc/record_attendance.';

--
-- Name: log; Type: TABLE; Schema: audit; Owner: audit_owner
--

CREATE TABLE audit.log (
    tenant_id uuid NOT NULL,
    id bigint NOT NULL,
    branch_id uuid,
    table_name text NOT NULL,
    operation text NOT NULL,
    row_pk jsonb NOT NULL,
    new_row jsonb,
    old_row jsonb,
    changes jsonb,
    actor_user uuid,
    actor_roles text[],
    actor_session uuid,
    actor_login text NOT NULL,
    request_id text,
    txid bigint NOT NULL,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    row_key bigint GENERATED ALWAYS AS (hashtextextended(((table_name || ' '::text) || (row_pk)::text), (0)::bigint)) STORED,
    CONSTRAINT log_operation CHECK ((operation = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text, 'TRUNCATE'::text])))
);

ALTER TABLE ONLY audit.log FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.log OWNER TO audit_owner;

--
-- Name: TABLE log; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON TABLE audit.log IS 'Who changed what, when, from which request: one row per row change (INSERT: new_row; DELETE: old_row; UPDATE: changes {column: [old, new]}), TRUNCATE as a statement event. Written only by the cimiento audit trigger; append-only.';

--
-- Name: COLUMN log.actor_login; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON COLUMN audit.log.actor_login IS 'The PostgreSQL login (session_user): authenticator for PostgREST, cimiento_api for the api, or a direct SQL login.';

--
-- Name: COLUMN log.request_id; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON COLUMN audit.log.request_id IS 'PostgREST''s x-request-id header of the request that made the change, when present.';

--
-- Name: COLUMN log.txid; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON COLUMN audit.log.txid IS 'Transaction id (txid_current()): rows of one transaction share it; the sealer orders by it.';

--
-- Name: COLUMN log.row_key; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON COLUMN audit.log.row_key IS 'Hash of table and primary key, indexed for "history of this row": WHERE row_key = audit.row_key(''core.branches'', ''{"tenant_id": …, "id": …}'').';

--
-- Name: sealed_txids; Type: TABLE; Schema: audit; Owner: audit_owner
--

CREATE TABLE audit.sealed_txids (
    txid bigint NOT NULL
);

ALTER TABLE audit.sealed_txids OWNER TO audit_owner;

--
-- Name: TABLE sealed_txids; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON TABLE audit.sealed_txids IS 'Transactions at or above the sealer''s horizon that are already sealed (a long transaction elsewhere holds the horizon back); pruned as the horizon passes them.';

--
-- Name: sealer_state; Type: TABLE; Schema: audit; Owner: audit_owner
--

CREATE TABLE audit.sealer_state (
    singleton boolean DEFAULT true NOT NULL,
    horizon bigint DEFAULT 0 NOT NULL,
    sealed_at timestamp with time zone,
    rows_sealed bigint DEFAULT 0 NOT NULL,
    CONSTRAINT sealer_state_singleton CHECK (singleton)
);

ALTER TABLE audit.sealer_state OWNER TO audit_owner;

--
-- Name: TABLE sealer_state; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON TABLE audit.sealer_state IS 'The sealer''s horizon: every audit row of a transaction id below it is sealed.';

--
-- Name: audit_log; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.audit_log WITH (security_invoker='true') AS
 SELECT l.tenant_id,
    l.id,
    l.branch_id,
    l.table_name,
    l.operation,
    l.row_pk,
    l.row_key,
    l.new_row,
    l.old_row,
    l.changes,
    l.actor_user,
    l.actor_roles,
    l.actor_session,
    l.actor_login,
    l.request_id,
    l.txid,
    l.created_at,
    ((l.txid < st.horizon) OR (EXISTS ( SELECT 1
           FROM audit.sealed_txids s
          WHERE (s.txid = l.txid)))) AS sealed
   FROM (audit.log l
     CROSS JOIN audit.sealer_state st);

ALTER TABLE api.audit_log OWNER TO cimiento_owner;

--
-- Name: VIEW audit_log; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.audit_log IS 'The caller''s tenant audit trail: rows of a branch need audit.read in that branch, rows without branch (users, roles, tenant) audit.read in every branch. A row''s history by row_key (audit.row_key(table_name, row_pk)), what a user did by actor_user. sealed is true once the row is in the tamper-evident chain.';

--
-- Name: branches; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.branches (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    address text,
    phone text,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT branches_code_format CHECK ((code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$'::text)),
    CONSTRAINT branches_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200)))
);

ALTER TABLE ONLY core.branches FORCE ROW LEVEL SECURITY;

ALTER TABLE core.branches OWNER TO cimiento_owner;

--
-- Name: TABLE branches; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.branches IS 'Branches (sedes) of a tenant. Branch-scoped users act only in theirs.';

--
-- Name: branches; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.branches WITH (security_invoker='true') AS
 SELECT branches.tenant_id,
    branches.id,
    branches.code,
    branches.name,
    branches.address,
    branches.phone,
    branches.active,
    branches.created_at
   FROM core.branches;

ALTER TABLE api.branches OWNER TO cimiento_owner;

--
-- Name: VIEW branches; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.branches IS 'Branches (sedes) of the caller''s tenant. Writes need branches.manage.';

--
-- Name: categories; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.categories (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    parent_id uuid,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT categories_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100))),
    CONSTRAINT categories_not_own_parent CHECK ((parent_id <> id))
);

ALTER TABLE ONLY commerce.categories FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.categories OWNER TO cimiento_owner;

--
-- Name: TABLE categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.categories IS 'Product categories, a tree per tenant (parent_id NULL = top level; no cycles; names unique among siblings).';

--
-- Name: categories; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.categories WITH (security_invoker='true') AS
 SELECT categories.tenant_id,
    categories.id,
    categories.parent_id,
    categories.name,
    categories.created_at
   FROM commerce.categories;

ALTER TABLE api.categories OWNER TO cimiento_owner;

--
-- Name: VIEW categories; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.categories IS 'Product categories (a tree: parent_id). Create and change them with products.manage.';

--
-- Name: clients; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.clients (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    rfc text,
    phone text,
    email text,
    address text,
    seller_id uuid,
    search_text text GENERATED ALWAYS AS (insurance.search_key(((((name || ' '::text) || COALESCE(rfc, ''::text)) || ' '::text) || COALESCE(phone, ''::text)))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid DEFAULT cimiento.current_user_id(),
    CONSTRAINT clients_address CHECK (((address IS NULL) OR (length(address) <= 500))),
    CONSTRAINT clients_email CHECK (((email IS NULL) OR (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text))),
    CONSTRAINT clients_name CHECK (((length(btrim(name)) >= 2) AND (length(btrim(name)) <= 200))),
    CONSTRAINT clients_phone CHECK (((phone IS NULL) OR (phone ~ '^\+?[0-9 ()-]{7,20}$'::text))),
    CONSTRAINT clients_rfc_length CHECK (((rfc IS NULL) OR ((length(rfc) >= 12) AND (length(rfc) <= 13))))
);

ALTER TABLE ONLY insurance.clients FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.clients OWNER TO cimiento_owner;

--
-- Name: TABLE clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.clients IS 'Clients of the agency (every branch): name, RFC (Mexican tax id, check character verified, stored normalized, unique), phone, e-mail, address and the seller assigned to them. Everyone in the agency reads them; sellers and clerks register them; only admin and gerente change or delete them. Search with api.search_clients.';

--
-- Name: clients; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.clients WITH (security_invoker='true') AS
 SELECT clients.tenant_id,
    clients.id,
    clients.name,
    clients.rfc,
    clients.phone,
    clients.email,
    clients.address,
    clients.seller_id,
    clients.created_at
   FROM insurance.clients;

ALTER TABLE api.clients OWNER TO cimiento_owner;

--
-- Name: VIEW clients; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.clients IS 'Clients of the agency. rfc is checked (Mexican RFC with its check character; 400 otherwise) and stored normalized. Everyone reads; sellers and clerks create (clients.create); only admin and gerente change or delete (clients.manage). Search with /rpc/search_clients.';

--
-- Name: collection_proposals; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.collection_proposals (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    collector_id uuid DEFAULT cimiento.current_user_id() NOT NULL,
    policy_id uuid NOT NULL,
    instalment_no smallint NOT NULL,
    amount numeric(14,2) NOT NULL,
    method text NOT NULL,
    receipt_id uuid NOT NULL,
    latitude numeric(9,6),
    longitude numeric(9,6),
    photo_ref text,
    collected_at timestamp with time zone DEFAULT now() NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    decision_reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT proposals_amount CHECK ((amount > (0)::numeric)),
    CONSTRAINT proposals_latitude CHECK (((latitude >= ('-90'::integer)::numeric) AND (latitude <= (90)::numeric))),
    CONSTRAINT proposals_longitude CHECK (((longitude >= ('-180'::integer)::numeric) AND (longitude <= (180)::numeric))),
    CONSTRAINT proposals_photo CHECK (((photo_ref IS NULL) OR (length(photo_ref) <= 500))),
    CONSTRAINT proposals_point CHECK (((latitude IS NULL) = (longitude IS NULL))),
    CONSTRAINT proposals_status CHECK ((status = ANY (ARRAY['pending'::text, 'under_review'::text, 'approved'::text, 'rejected'::text])))
);

ALTER TABLE ONLY insurance.collection_proposals FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.collection_proposals OWNER TO cimiento_owner;

--
-- Name: TABLE collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.collection_proposals IS 'A collection recorded in the field: policy, instalment, amount, method, the receipt handed over, GPS point and photo reference. pending → under_review → approved (its payment applied and its receipt used, one transaction) or rejected (reason required). Collectors see only their own (proposals.read_own).';

--
-- Name: receipts; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.receipts (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    lot_id uuid NOT NULL,
    number text NOT NULL,
    collector_id uuid,
    status text DEFAULT 'available'::text NOT NULL,
    reason text,
    assigned_at timestamp with time zone,
    used_at timestamp with time zone,
    verified_at timestamp with time zone,
    CONSTRAINT receipts_holder CHECK (((status = ANY (ARRAY['available'::text, 'cancelled'::text])) OR (collector_id IS NOT NULL))),
    CONSTRAINT receipts_status CHECK ((status = ANY (ARRAY['available'::text, 'assigned'::text, 'used'::text, 'verified'::text, 'lost'::text, 'cancelled'::text])))
);

ALTER TABLE ONLY insurance.receipts FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.receipts OWNER TO cimiento_owner;

--
-- Name: TABLE receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.receipts IS 'Pre-printed receipts: available → assigned (to a collector, at most receipts_per_collector at once, default 50) → used (by an approved collection) → verified (cash handed in), or lost / cancelled with a reason. Collectors see only their own (receipts.read_own).';

--
-- Name: collection_proposals; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.collection_proposals WITH (security_invoker='true') AS
 SELECT x.tenant_id,
    x.id,
    x.branch_id,
    x.collector_id,
    x.policy_id,
    x.instalment_no,
    x.amount,
    x.method,
    x.receipt_id,
    r.number AS receipt_number,
    x.latitude,
    x.longitude,
    x.photo_ref,
    x.collected_at,
    x.status,
    x.decided_by,
    x.decided_at,
    x.decision_reason,
    x.created_at
   FROM (insurance.collection_proposals x
     LEFT JOIN insurance.receipts r ON (((r.tenant_id = x.tenant_id) AND (r.id = x.receipt_id))));

ALTER TABLE api.collection_proposals OWNER TO cimiento_owner;

--
-- Name: VIEW collection_proposals; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.collection_proposals IS 'Collections filed from the field (collectors: their own). File with /rpc/file_proposal; approve or reject with /rpc/approve_proposal, /rpc/reject_proposal (or /rpc/transition, entity collection_proposals).';

--
-- Name: collection_receipts; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.collection_receipts WITH (security_invoker='true') AS
 SELECT receipts.tenant_id,
    receipts.id,
    receipts.branch_id,
    receipts.lot_id,
    receipts.number,
    receipts.collector_id,
    receipts.status,
    receipts.reason,
    receipts.assigned_at,
    receipts.used_at,
    receipts.verified_at
   FROM insurance.receipts;

ALTER TABLE api.collection_receipts OWNER TO cimiento_owner;

--
-- Name: VIEW collection_receipts; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.collection_receipts IS 'Pre-printed receipts (collectors: their own): available → assigned (/rpc/assign_receipts) → used (an approved collection) → verified, or lost / cancelled with a reason (/rpc/transition, entity receipts).';

--
-- Name: courses; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.courses WITH (security_invoker='true') AS
 SELECT c.tenant_id,
    c.id,
    c.branch_id,
    c.code,
    c.name,
    c.description,
    c.fee,
    c.capacity,
    c.starts_on,
    c.ends_on,
    c.status,
    c.created_at,
    (( SELECT count(*) AS count
           FROM academy.enrollments e
          WHERE ((e.tenant_id = c.tenant_id) AND (e.course_id = c.id) AND (e.status = 'active'::text))))::integer AS enrolled,
    (c.capacity - (( SELECT count(*) AS count
           FROM academy.enrollments e
          WHERE ((e.tenant_id = c.tenant_id) AND (e.course_id = c.id) AND (e.status = 'active'::text))))::integer) AS seats_left
   FROM academy.courses c;

ALTER TABLE api.courses OWNER TO cimiento_owner;

--
-- Name: VIEW courses; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.courses IS 'Courses of the caller''s branches, with enrolled students and seats left. Create with /rpc/create_course.';

--
-- Name: coverage_prices; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.coverage_prices (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    coverage_id uuid NOT NULL,
    payment_plan text NOT NULL,
    price numeric(14,2) NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT coverage_prices_price CHECK ((price >= (1)::numeric))
);

ALTER TABLE ONLY insurance.coverage_prices FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.coverage_prices OWNER TO cimiento_owner;

--
-- Name: TABLE coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.coverage_prices IS 'The yearly premium (prima total) of a coverage under each payment plan; a new policy takes it unless it names its own. Price changes are in the audit trail.';

--
-- Name: coverage_prices; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.coverage_prices WITH (security_invoker='true') AS
 SELECT coverage_prices.tenant_id,
    coverage_prices.coverage_id,
    coverage_prices.payment_plan,
    coverage_prices.price,
    coverage_prices.updated_at
   FROM insurance.coverage_prices;

ALTER TABLE api.coverage_prices OWNER TO cimiento_owner;

--
-- Name: VIEW coverage_prices; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.coverage_prices IS 'Yearly premium of each coverage under each payment plan (coverages.manage changes them; audited).';

--
-- Name: coverages; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.coverages (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT coverages_code CHECK ((code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'::text)),
    CONSTRAINT coverages_name CHECK (((length(btrim(name)) >= 2) AND (length(btrim(name)) <= 200)))
);

ALTER TABLE ONLY insurance.coverages FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.coverages OWNER TO cimiento_owner;

--
-- Name: TABLE coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.coverages IS 'The coverages the agency sells (amplia, limitada, responsabilidad civil…); their prices per payment plan are in coverage_prices.';

--
-- Name: coverages; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.coverages WITH (security_invoker='true') AS
 SELECT coverages.tenant_id,
    coverages.id,
    coverages.code,
    coverages.name,
    coverages.description,
    coverages.active,
    coverages.created_at
   FROM insurance.coverages;

ALTER TABLE api.coverages OWNER TO cimiento_owner;

--
-- Name: VIEW coverages; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.coverages IS 'The coverage catalog; change it with coverages.manage. Prices per plan: /coverage_prices.';

--
-- Name: customer_stats; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.customer_stats (
    tenant_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    sales_count integer DEFAULT 0 NOT NULL,
    sales_total numeric(14,2) DEFAULT 0 NOT NULL,
    last_purchase_at timestamp with time zone
);

ALTER TABLE ONLY commerce.customer_stats FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.customer_stats OWNER TO cimiento_owner;

--
-- Name: TABLE customer_stats; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.customer_stats IS 'Per customer, kept by its sales (nobody writes it): completed sales, their total with tax and the last purchase. A voided sale no longer counts.';

--
-- Name: customer_stats; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.customer_stats WITH (security_invoker='true') AS
 SELECT customer_stats.tenant_id,
    customer_stats.customer_id,
    customer_stats.sales_count,
    customer_stats.sales_total,
    customer_stats.last_purchase_at
   FROM commerce.customer_stats;

ALTER TABLE api.customer_stats OWNER TO cimiento_owner;

--
-- Name: VIEW customer_stats; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.customer_stats IS 'Per customer, kept by its sales: completed sales, their total and the last purchase. Read-only.';

--
-- Name: enrollment_invoices; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.enrollment_invoices WITH (security_invoker='true') AS
 SELECT enrollment_invoices.tenant_id,
    enrollment_invoices.invoice_id,
    enrollment_invoices.enrollment_id,
    enrollment_invoices.branch_id,
    enrollment_invoices.created_at
   FROM academy.enrollment_invoices;

ALTER TABLE api.enrollment_invoices OWNER TO cimiento_owner;

--
-- Name: VIEW enrollment_invoices; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.enrollment_invoices IS 'Which invoice bills which enrollment.';

--
-- Name: enrollments; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.enrollments WITH (security_invoker='true') AS
 SELECT enrollments.tenant_id,
    enrollments.id,
    enrollments.branch_id,
    enrollments.student_id,
    enrollments.course_id,
    enrollments.status,
    enrollments.agreed_fee,
    enrollments.discount,
    enrollments.enrolled_at,
    enrollments.withdrawn_at
   FROM academy.enrollments;

ALTER TABLE api.enrollments OWNER TO cimiento_owner;

--
-- Name: VIEW enrollments; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.enrollments IS 'Enrollments; embed students, courses, financial_status and payments (e.g. ?select=*,students(*),courses(code,name),financial_status(*)). Create with /rpc/enroll_student.';

--
-- Name: financial_status; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.financial_status WITH (security_invoker='true') AS
 SELECT financial_status.tenant_id,
    financial_status.enrollment_id,
    financial_status.branch_id,
    financial_status.amount_due,
    financial_status.paid,
    financial_status.balance,
        CASE
            WHEN ((financial_status.balance > (0)::numeric) AND (financial_status.due_date < CURRENT_DATE)) THEN 'overdue'::text
            ELSE financial_status.status
        END AS status,
    financial_status.due_date,
    financial_status.updated_at
   FROM academy.financial_status;

ALTER TABLE api.financial_status OWNER TO cimiento_owner;

--
-- Name: VIEW financial_status; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.financial_status IS 'What each enrollment owes: amount due, paid, balance, status pending | partial | paid | overdue (balance left after the due date).';

--
-- Name: lineage; Type: TABLE; Schema: imports; Owner: cimiento_owner
--

CREATE TABLE imports.lineage (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    batch_id uuid NOT NULL,
    row_no integer NOT NULL,
    target_id uuid NOT NULL,
    action text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT lineage_action CHECK ((action = ANY (ARRAY['created'::text, 'updated'::text])))
);

ALTER TABLE ONLY imports.lineage FORCE ROW LEVEL SECURITY;

ALTER TABLE imports.lineage OWNER TO cimiento_owner;

--
-- Name: TABLE lineage; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON TABLE imports.lineage IS 'What each promoted row became: (batch, row_no) → the id it created or updated. Written in the transaction that wrote the row; append-only.';

--
-- Name: rows; Type: TABLE; Schema: imports; Owner: cimiento_owner
--

CREATE TABLE imports.rows (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    batch_id uuid NOT NULL,
    row_no integer NOT NULL,
    raw jsonb NOT NULL,
    errors jsonb,
    CONSTRAINT rows_errors_object CHECK (((errors IS NULL) OR (jsonb_typeof(errors) = 'object'::text))),
    CONSTRAINT rows_raw_object CHECK ((jsonb_typeof(raw) = 'object'::text)),
    CONSTRAINT rows_row_no_positive CHECK ((row_no > 0))
);

ALTER TABLE ONLY imports.rows FORCE ROW LEVEL SECURITY;

ALTER TABLE imports.rows OWNER TO cimiento_owner;

--
-- Name: TABLE rows; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON TABLE imports.rows IS 'The staged rows of a batch, numbered as in the spreadsheet (the header is row 1, so the first data row is 2; empty rows leave gaps), with their raw values (header → text) and, once checked, their errors (header → Spanish message; NULL: valid).';

--
-- Name: import_rows; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.import_rows WITH (security_invoker='true') AS
 SELECT r.tenant_id,
    r.batch_id,
    r.row_no,
    r.raw,
    r.errors,
        CASE
            WHEN (r.errors IS NOT NULL) THEN 'invalid'::text
            WHEN (r.row_no <= b.checked_through) THEN 'valid'::text
            ELSE 'pending'::text
        END AS state,
    l.target_id,
    l.action
   FROM ((imports.rows r
     JOIN imports.batches b ON (((b.tenant_id = r.tenant_id) AND (b.id = r.batch_id))))
     LEFT JOIN imports.lineage l ON (((l.tenant_id = r.tenant_id) AND (l.batch_id = r.batch_id) AND (l.row_no = r.row_no))));

ALTER TABLE api.import_rows OWNER TO cimiento_owner;

--
-- Name: VIEW import_rows; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.import_rows IS 'The rows of the batches one sees: raw values, errors per column (Spanish), state (pending | valid | invalid) and, once promoted, the id it created or updated (lineage). Preview: ?batch_id=eq.…&state=eq.invalid&order=row_no&limit=20. What a done batch created: ?batch_id=eq.…&action=eq.created.';

--
-- Name: import_targets; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.import_targets WITH (security_invoker='true') AS
 SELECT t.name,
    t.description,
    t.permission,
    t.natural_key,
    (t.update_function IS NOT NULL) AS can_update,
    ( SELECT jsonb_agg(((c.value - 'lookup'::text) - 'type'::text)) AS jsonb_agg
           FROM jsonb_array_elements(t.columns) c(value)) AS columns
   FROM imports.targets t;

ALTER TABLE api.import_targets OWNER TO cimiento_owner;

--
-- Name: VIEW import_targets; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.import_targets IS 'What can be imported: each target with its permission, natural key, whether it can update by natural key (mode upsert), and its columns (name, label, header aliases, required).';

--
-- Name: imports; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.imports WITH (security_invoker='true') AS
 SELECT b.tenant_id,
    b.id,
    b.target,
    b.mode,
    b.file_name,
    b.format,
    b.encoding,
    b.delimiter,
    b.sheet,
    b.headers,
    b.mapping,
    b.status,
    b.rows_total,
    b.rows_checked,
    b.rows_invalid,
    (b.rows_total - b.rows_invalid) AS rows_valid,
    b.rows_created,
    b.rows_updated,
    b.rows_failed,
    b.error,
    b.created_by,
    b.created_at,
    b.validated_at,
    b.finished_at,
    p.rows_done,
    p.rows_per_second,
        CASE
            WHEN (p.rows_per_second > (0)::numeric) THEN round((((p.rows_todo - p.rows_done))::numeric / p.rows_per_second))
            ELSE NULL::numeric
        END AS seconds_left
   FROM (imports.batches b
     CROSS JOIN LATERAL ( SELECT x.rows_done,
            x.rows_todo,
                CASE
                    WHEN ((x.rows_done > 0) AND (b.phase_started_at IS NOT NULL)) THEN round(((x.rows_done)::numeric / GREATEST(EXTRACT(epoch FROM (COALESCE(x.ended, now()) - b.phase_started_at)), 0.001)), 1)
                    ELSE NULL::numeric
                END AS rows_per_second
           FROM ( SELECT
                        CASE
                            WHEN (b.status = ANY (ARRAY['promoting'::text, 'done'::text])) THEN ((b.rows_created + b.rows_updated) + b.rows_failed)
                            ELSE b.rows_checked
                        END AS rows_done,
                        CASE
                            WHEN (b.status = ANY (ARRAY['promoting'::text, 'done'::text])) THEN (b.rows_total - (b.rows_invalid - b.rows_failed))
                            ELSE b.rows_total
                        END AS rows_todo,
                        CASE b.status
                            WHEN 'validated'::text THEN b.validated_at
                            WHEN 'done'::text THEN b.finished_at
                            ELSE NULL::timestamp with time zone
                        END AS ended) x) p);

ALTER TABLE api.imports OWNER TO cimiento_owner;

--
-- Name: VIEW imports; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.imports IS 'Import batches (the caller''s own; every batch with imports.read) with their progress: status, rows_total, rows_checked, rows_invalid, rows_valid, rows_created/updated/failed, and for the phase under way rows_done, rows_per_second and seconds_left. Upload with POST /imports on the api; preview with /import_rows; promote with /rpc/promote_import; cancel with /rpc/cancel_import.';

--
-- Name: instalments; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.instalments (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    policy_id uuid NOT NULL,
    no smallint NOT NULL,
    branch_id uuid NOT NULL,
    due_on date NOT NULL,
    amount numeric(14,2) NOT NULL,
    paid numeric(14,2) DEFAULT 0 NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT instalments_amount CHECK ((amount > (0)::numeric)),
    CONSTRAINT instalments_no CHECK ((no >= 1)),
    CONSTRAINT instalments_paid CHECK (((paid >= (0)::numeric) AND (paid <= amount))),
    CONSTRAINT instalments_status CHECK ((status = ANY (ARRAY['pending'::text, 'partial'::text, 'paid'::text, 'overdue'::text])))
);

ALTER TABLE ONLY insurance.instalments FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.instalments OWNER TO cimiento_owner;

--
-- Name: TABLE instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.instalments IS 'What a policy is paid in: written when it is issued (due dates from its plan, amounts summing exactly to prima_total, rounding on the last), paid and status kept by its payments and the nightly job (pending, partial, paid, overdue = unpaid after its due date). Nobody writes them directly. Visible with the policy.';

--
-- Name: instalments; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.instalments WITH (security_invoker='true') AS
 SELECT instalments.tenant_id,
    instalments.policy_id,
    instalments.no,
    instalments.branch_id,
    instalments.due_on,
    instalments.amount,
    instalments.paid,
    (instalments.amount - instalments.paid) AS balance,
    instalments.status,
    instalments.updated_at
   FROM insurance.instalments;

ALTER TABLE api.instalments OWNER TO cimiento_owner;

--
-- Name: VIEW instalments; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.instalments IS 'Instalments of the policies the caller sees: due date, amount, paid, balance and status (pending, partial, paid, overdue). Kept by payments and the nightly job; read-only.';

--
-- Name: inventory_movements; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.inventory_movements (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    location_id uuid NOT NULL,
    product_id uuid NOT NULL,
    kind text NOT NULL,
    quantity numeric(12,3) NOT NULL,
    unit_cost numeric(14,4) DEFAULT 0 NOT NULL,
    source_type text,
    source_id uuid,
    transfer_id uuid,
    reason text,
    moved_at timestamp with time zone DEFAULT now() NOT NULL,
    seq bigint NOT NULL,
    created_by uuid DEFAULT cimiento.current_user_id(),
    CONSTRAINT inventory_movements_adjustment_reason CHECK (((kind <> 'adjustment'::text) OR (length(btrim(reason)) > 0))),
    CONSTRAINT inventory_movements_kind CHECK ((kind = ANY (ARRAY['receipt'::text, 'sale'::text, 'return'::text, 'void'::text, 'adjustment'::text, 'transfer_out'::text, 'transfer_in'::text]))),
    CONSTRAINT inventory_movements_quantity_not_zero CHECK ((quantity <> (0)::numeric)),
    CONSTRAINT inventory_movements_reason_length CHECK ((length(reason) <= 500)),
    CONSTRAINT inventory_movements_sign CHECK (
CASE
    WHEN (kind = ANY (ARRAY['receipt'::text, 'return'::text, 'void'::text, 'transfer_in'::text])) THEN (quantity > (0)::numeric)
    WHEN (kind = ANY (ARRAY['sale'::text, 'transfer_out'::text])) THEN (quantity < (0)::numeric)
    ELSE true
END),
    CONSTRAINT inventory_movements_source CHECK (((kind = ANY (ARRAY['adjustment'::text, 'transfer_out'::text, 'transfer_in'::text])) OR (source_id IS NOT NULL))),
    CONSTRAINT inventory_movements_source_type CHECK ((source_type = ANY (ARRAY['receipt'::text, 'sale'::text, 'return'::text, 'transfer'::text, 'adjustment'::text]))),
    CONSTRAINT inventory_movements_transfer_linked CHECK (((kind = ANY (ARRAY['transfer_out'::text, 'transfer_in'::text])) = (transfer_id IS NOT NULL))),
    CONSTRAINT inventory_movements_unit_cost_not_negative CHECK ((unit_cost >= (0)::numeric))
);

ALTER TABLE ONLY commerce.inventory_movements FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.inventory_movements OWNER TO cimiento_owner;

--
-- Name: TABLE inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.inventory_movements IS 'The stock ledger, append-only: every change of stock (receipt +, sale −, return +, void +, adjustment ± with a reason, transfer_out − / transfer_in + sharing a transfer_id) with its quantity, unit cost and source document; seq orders the ledger (movements of one transaction share moved_at). Never changed or deleted: a correction is a new movement.';

--
-- Name: inventory_movements; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.inventory_movements WITH (security_invoker='true') AS
 SELECT inventory_movements.tenant_id,
    inventory_movements.id,
    inventory_movements.branch_id,
    inventory_movements.location_id,
    inventory_movements.product_id,
    inventory_movements.kind,
    inventory_movements.quantity,
    inventory_movements.unit_cost,
    inventory_movements.source_type,
    inventory_movements.source_id,
    inventory_movements.transfer_id,
    inventory_movements.reason,
    inventory_movements.moved_at,
    inventory_movements.seq,
    inventory_movements.created_by
   FROM commerce.inventory_movements;

ALTER TABLE api.inventory_movements OWNER TO cimiento_owner;

--
-- Name: VIEW inventory_movements; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.inventory_movements IS 'The stock ledger (append-only). Read-only here: stock moves through /rpc/create_sale, return_sale, void_sale, receive_stock, adjust_stock and transfer_stock.';

--
-- Name: invoice_items; Type: TABLE; Schema: billing; Owner: cimiento_owner
--

CREATE TABLE billing.invoice_items (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    invoice_id uuid NOT NULL,
    line_no integer NOT NULL,
    branch_id uuid NOT NULL,
    description text NOT NULL,
    quantity numeric(12,3) NOT NULL,
    unit_price numeric(14,2) NOT NULL,
    tax_rate numeric(5,2) DEFAULT 21 NOT NULL,
    line_subtotal numeric(14,2) GENERATED ALWAYS AS (round((quantity * unit_price), 2)) STORED,
    corrects_line_no integer,
    CONSTRAINT invoice_items_description_length CHECK (((length(btrim(description)) >= 1) AND (length(btrim(description)) <= 500))),
    CONSTRAINT invoice_items_line_no CHECK (((line_no >= 1) AND (line_no <= 1000))),
    CONSTRAINT invoice_items_quantity_positive CHECK ((quantity > (0)::numeric)),
    CONSTRAINT invoice_items_tax_rate_range CHECK (((tax_rate >= (0)::numeric) AND (tax_rate <= (100)::numeric))),
    CONSTRAINT invoice_items_unit_price_not_negative CHECK ((unit_price >= (0)::numeric))
);

ALTER TABLE ONLY billing.invoice_items FORCE ROW LEVEL SECURITY;

ALTER TABLE billing.invoice_items OWNER TO cimiento_owner;

--
-- Name: TABLE invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON TABLE billing.invoice_items IS 'Lines of invoices and credit notes (a credit-note line names the line it credits). Editable only while the document is a draft.';

--
-- Name: invoice_items; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.invoice_items WITH (security_invoker='true') AS
 SELECT invoice_items.tenant_id,
    invoice_items.invoice_id,
    invoice_items.line_no,
    invoice_items.branch_id,
    invoice_items.description,
    invoice_items.quantity,
    invoice_items.unit_price,
    invoice_items.tax_rate,
    invoice_items.line_subtotal,
    invoice_items.corrects_line_no
   FROM billing.invoice_items;

ALTER TABLE api.invoice_items OWNER TO cimiento_owner;

--
-- Name: VIEW invoice_items; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.invoice_items IS 'Lines of invoices and credit notes.';

--
-- Name: invoice_series; Type: TABLE; Schema: billing; Owner: cimiento_owner
--

CREATE TABLE billing.invoice_series (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    code text NOT NULL,
    kind text DEFAULT 'invoice'::text NOT NULL,
    fiscal_year integer NOT NULL,
    next_number bigint DEFAULT 1 NOT NULL,
    format text DEFAULT '{code}-{year}-{number:06}'::text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_issue_date date,
    simplified boolean DEFAULT false NOT NULL,
    CONSTRAINT invoice_series_code_format CHECK ((code ~ '^[A-Z0-9][A-Z0-9_-]{0,15}$'::text)),
    CONSTRAINT invoice_series_fiscal_year CHECK (((fiscal_year >= 2000) AND (fiscal_year <= 2999))),
    CONSTRAINT invoice_series_format CHECK ((format ~ '\{number(:0[0-9]+)?\}'::text)),
    CONSTRAINT invoice_series_kind CHECK ((kind = ANY (ARRAY['invoice'::text, 'credit_note'::text]))),
    CONSTRAINT invoice_series_next_number CHECK ((next_number >= 1)),
    CONSTRAINT invoice_series_simplified_invoices CHECK (((NOT simplified) OR (kind = 'invoice'::text)))
);

ALTER TABLE ONLY billing.invoice_series FORCE ROW LEVEL SECURITY;

ALTER TABLE billing.invoice_series OWNER TO cimiento_owner;

--
-- Name: TABLE invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON TABLE billing.invoice_series IS 'Numbering series per tenant, code, kind (invoice | credit_note) and fiscal year. next_number is taken by the extension at commit; nobody else writes it. A new fiscal year opens the code''s series at 1.';

--
-- Name: COLUMN invoice_series.format; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON COLUMN billing.invoice_series.format IS 'Display format: {code}, {year}, {number}, {number:0N}; e.g. {code}-{year}-{number:06} → F001-2026-000123.';

--
-- Name: COLUMN invoice_series.last_issue_date; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON COLUMN billing.invoice_series.last_issue_date IS 'Issue date of the last document numbered in the series (set by the numbering): a later document may not be dated before it.';

--
-- Name: COLUMN invoice_series.simplified; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON COLUMN billing.invoice_series.simplified IS 'Simplified invoices (tickets): documents of this series are titled "factura simplificada"; only invoice series. Default false.';

--
-- Name: invoice_series; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.invoice_series WITH (security_invoker='true') AS
 SELECT invoice_series.tenant_id,
    invoice_series.id,
    invoice_series.branch_id,
    invoice_series.code,
    invoice_series.kind,
    invoice_series.fiscal_year,
    invoice_series.next_number,
    invoice_series.format,
    invoice_series.active,
    invoice_series.created_at,
    invoice_series.simplified
   FROM billing.invoice_series;

ALTER TABLE api.invoice_series OWNER TO cimiento_owner;

--
-- Name: VIEW invoice_series; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.invoice_series IS 'Numbering series (per code, kind and fiscal year; simplified for tickets). Create and close them with series.manage; next_number is read-only.';

--
-- Name: invoices; Type: TABLE; Schema: billing; Owner: cimiento_owner
--

CREATE TABLE billing.invoices (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    kind text DEFAULT 'invoice'::text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    series_code text NOT NULL,
    series_id uuid,
    fiscal_year integer,
    number bigint,
    number_display text,
    issue_date date DEFAULT CURRENT_DATE NOT NULL,
    currency text NOT NULL,
    customer_name text NOT NULL,
    customer_tax_id text,
    customer_address text,
    customer_email text,
    student_id uuid,
    customer_id uuid,
    corrects_invoice_id uuid,
    reason text,
    notes text,
    subtotal numeric(14,2) DEFAULT 0 NOT NULL,
    tax_total numeric(14,2) DEFAULT 0 NOT NULL,
    total numeric(14,2) DEFAULT 0 NOT NULL,
    idempotency_key text,
    request_hash text,
    created_by uuid DEFAULT cimiento.current_user_id(),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    issued_at timestamp with time zone,
    CONSTRAINT invoices_credit_note_corrects CHECK (((kind = 'credit_note'::text) = (corrects_invoice_id IS NOT NULL))),
    CONSTRAINT invoices_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT invoices_customer_address_length CHECK ((length(customer_address) <= 500)),
    CONSTRAINT invoices_customer_email_length CHECK ((length(customer_email) <= 254)),
    CONSTRAINT invoices_customer_name_length CHECK (((length(btrim(customer_name)) >= 1) AND (length(btrim(customer_name)) <= 200))),
    CONSTRAINT invoices_customer_tax_id_length CHECK ((length(customer_tax_id) <= 32)),
    CONSTRAINT invoices_draft_unnumbered CHECK (((status <> 'draft'::text) OR (number IS NULL))),
    CONSTRAINT invoices_idempotency_key_length CHECK (((length(idempotency_key) >= 1) AND (length(idempotency_key) <= 200))),
    CONSTRAINT invoices_kind CHECK ((kind = ANY (ARRAY['invoice'::text, 'credit_note'::text]))),
    CONSTRAINT invoices_notes_length CHECK ((length(notes) <= 2000)),
    CONSTRAINT invoices_numbered_when_issued CHECK ((((number IS NULL) = (series_id IS NULL)) AND ((number IS NULL) = (number_display IS NULL)))),
    CONSTRAINT invoices_reason_length CHECK ((length(reason) <= 500)),
    CONSTRAINT invoices_status CHECK ((status = ANY (ARRAY['draft'::text, 'issued'::text, 'cancelled'::text]))),
    CONSTRAINT invoices_totals CHECK (((subtotal >= (0)::numeric) AND (tax_total >= (0)::numeric) AND (total = (subtotal + tax_total))))
);

ALTER TABLE ONLY billing.invoices FORCE ROW LEVEL SECURITY;

ALTER TABLE billing.invoices OWNER TO cimiento_owner;

--
-- Name: TABLE invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON TABLE billing.invoices IS 'Invoices and credit notes. draft → issued (numbered gaplessly at commit) → cancelled (fully credited). Issued documents never change: correct them with a credit note.';

--
-- Name: COLUMN invoices.number; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON COLUMN billing.invoices.number IS 'Correlative number in the series and fiscal year; assigned at commit of the issuing transaction.';

--
-- Name: COLUMN invoices.idempotency_key; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON COLUMN billing.invoices.idempotency_key IS 'Client key: retrying an issue call with the same key returns the first document instead of issuing twice.';

--
-- Name: invoice_taxes; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.invoice_taxes WITH (security_invoker='true') AS
 SELECT i.tenant_id,
    i.id AS invoice_id,
    (t.tax_rate)::numeric(5,2) AS tax_rate,
    t.base,
    t.tax
   FROM (billing.invoices i
     CROSS JOIN LATERAL billing.document_taxes(i.tenant_id, i.id) t(tax_rate, base, tax));

ALTER TABLE api.invoice_taxes OWNER TO cimiento_owner;

--
-- Name: VIEW invoice_taxes; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.invoice_taxes IS 'Tax breakdown per document and rate (base and tax), as billing.document_taxes computes it for totals and PDFs.';

--
-- Name: invoices; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.invoices WITH (security_invoker='true') AS
 SELECT invoices.tenant_id,
    invoices.id,
    invoices.branch_id,
    invoices.kind,
    invoices.status,
    invoices.series_code,
    invoices.series_id,
    invoices.fiscal_year,
    invoices.number,
    invoices.number_display,
    invoices.issue_date,
    invoices.currency,
    invoices.customer_name,
    invoices.customer_tax_id,
    invoices.customer_address,
    invoices.customer_email,
    invoices.student_id,
    invoices.customer_id,
    invoices.corrects_invoice_id,
    invoices.reason,
    invoices.notes,
    invoices.subtotal,
    invoices.tax_total,
    invoices.total,
    invoices.idempotency_key,
    invoices.created_by,
    invoices.created_at,
    invoices.issued_at
   FROM billing.invoices;

ALTER TABLE api.invoices OWNER TO cimiento_owner;

--
-- Name: VIEW invoices; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.invoices IS 'Invoices and credit notes (kind). Embed lines with ?select=*,invoice_items(*). Issued documents are immutable (PATCH/DELETE answer 409); issue with /rpc/issue_invoice and correct with /rpc/issue_credit_note.';

--
-- Name: job_runs; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.job_runs WITH (security_invoker='true') AS
 SELECT r.id,
    r.job,
    r.tenant_id,
    r.via,
    r.started_at,
    r.finished_at,
    r.rows_touched,
    r.error,
    r.sqlstate
   FROM cimiento.job_runs r;

ALTER TABLE api.job_runs OWNER TO cimiento_owner;

--
-- Name: VIEW job_runs; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.job_runs IS 'Runs of the scheduled jobs for the caller''s tenant (needs jobs.read): job, schedule or manual, started and finished, rows touched, and the error when the run failed (that tenant''s work was rolled back).';

--
-- Name: locations; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.locations WITH (security_invoker='true') AS
 SELECT locations.tenant_id,
    locations.id,
    locations.branch_id,
    locations.code,
    locations.name,
    locations.active,
    locations.is_default,
    locations.created_at
   FROM commerce.locations;

ALTER TABLE api.locations OWNER TO cimiento_owner;

--
-- Name: VIEW locations; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.locations IS 'Stock locations of the caller''s branches; is_default: where a sale takes stock from when it names no location. Create them with inventory.manage in the branch.';

--
-- Name: payment_plans; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.payment_plans (
    code text NOT NULL,
    instalments smallint NOT NULL,
    months_between smallint NOT NULL,
    description text NOT NULL,
    CONSTRAINT payment_plans_code CHECK ((code ~ '^[a-z][a-z0-9_]{1,39}$'::text)),
    CONSTRAINT payment_plans_instalments CHECK (((instalments >= 1) AND (instalments <= 60))),
    CONSTRAINT payment_plans_months CHECK (((months_between >= 0) AND (months_between <= 12)))
);

ALTER TABLE insurance.payment_plans OWNER TO cimiento_owner;

--
-- Name: TABLE payment_plans; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.payment_plans IS 'Payment plans of policies (reference data, every tenant): how many instalments and how many months apart; the first falls due on the policy''s start.';

--
-- Name: payment_plans; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.payment_plans WITH (security_invoker='true') AS
 SELECT payment_plans.code,
    payment_plans.instalments,
    payment_plans.months_between,
    payment_plans.description
   FROM insurance.payment_plans;

ALTER TABLE api.payment_plans OWNER TO cimiento_owner;

--
-- Name: VIEW payment_plans; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.payment_plans IS 'Payment plans (cash, cash_2_installments, monthly_7): instalments and months between them. Read-only.';

--
-- Name: payments; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.payments WITH (security_invoker='true') AS
 SELECT payments.tenant_id,
    payments.id,
    payments.branch_id,
    payments.enrollment_id,
    payments.amount,
    payments.method,
    payments.reference,
    payments.received_by,
    payments.paid_at,
    payments.notes
   FROM academy.payments;

ALTER TABLE api.payments OWNER TO cimiento_owner;

--
-- Name: VIEW payments; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.payments IS 'Payments received (immutable). Register with /rpc/register_payment.';

--
-- Name: permissions; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.permissions (
    code text NOT NULL,
    description text NOT NULL,
    CONSTRAINT permissions_code_format CHECK ((code ~ '^[a-z][a-z_]*\.[a-z][a-z_]*$'::text))
);

ALTER TABLE core.permissions OWNER TO cimiento_owner;

--
-- Name: TABLE permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.permissions IS 'Catalog of permissions (resource.action). Roles grant codes or the patterns resource.* and *.';

--
-- Name: permissions; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.permissions WITH (security_invoker='true') AS
 SELECT permissions.code,
    permissions.description
   FROM core.permissions;

ALTER TABLE api.permissions OWNER TO cimiento_owner;

--
-- Name: VIEW permissions; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.permissions IS 'The permission catalog.';

--
-- Name: policies; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.policies (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    series_code text DEFAULT 'POL'::text NOT NULL,
    series_id uuid,
    number bigint,
    number_display text,
    client_id uuid NOT NULL,
    coverage_id uuid NOT NULL,
    seller_id uuid DEFAULT cimiento.current_user_id() NOT NULL,
    vehicle_make text NOT NULL,
    vehicle_model text NOT NULL,
    vehicle_year smallint NOT NULL,
    vin text NOT NULL,
    plates text,
    prima_total numeric(14,2) NOT NULL,
    payment_plan text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    status text DEFAULT 'quote'::text NOT NULL,
    issued_at timestamp with time zone,
    renewed_from uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT policies_dates CHECK ((ends_on > starts_on)),
    CONSTRAINT policies_make CHECK (((length(btrim(vehicle_make)) >= 1) AND (length(btrim(vehicle_make)) <= 60))),
    CONSTRAINT policies_model CHECK (((length(btrim(vehicle_model)) >= 1) AND (length(btrim(vehicle_model)) <= 60))),
    CONSTRAINT policies_plates CHECK (((plates IS NULL) OR (plates ~ '^[A-Z0-9-]{5,10}$'::text))),
    CONSTRAINT policies_prima CHECK ((prima_total >= (1)::numeric)),
    CONSTRAINT policies_status CHECK ((status = ANY (ARRAY['quote'::text, 'active'::text, 'overdue'::text, 'suspended'::text, 'cancelled'::text, 'expired'::text, 'renewed'::text]))),
    CONSTRAINT policies_vin CHECK ((vin ~ '^[A-HJ-NPR-Z0-9]{17}$'::text)),
    CONSTRAINT policies_year CHECK (((vehicle_year >= 1950) AND (vehicle_year <= 2100)))
);

ALTER TABLE ONLY insurance.policies FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.policies OWNER TO cimiento_owner;

--
-- Name: TABLE policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.policies IS 'Auto policies: client, vehicle (make, model, year, VIN, plates), coverage, seller, prima_total and payment plan, start and end. status follows the workflow quote → active ⇄ overdue → suspended → cancelled; active → expired → renewed. Issuing numbers it gaplessly in its series (number_display) and writes its instalments. Sellers see only the policies they sold (policies.read_own).';

--
-- Name: policies; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.policies WITH (security_invoker='true') AS
 SELECT policies.tenant_id,
    policies.id,
    policies.branch_id,
    policies.series_code,
    policies.number,
    policies.number_display,
    policies.client_id,
    policies.coverage_id,
    policies.seller_id,
    policies.vehicle_make,
    policies.vehicle_model,
    policies.vehicle_year,
    policies.vin,
    policies.plates,
    policies.prima_total,
    policies.payment_plan,
    policies.starts_on,
    policies.ends_on,
    policies.status,
    policies.issued_at,
    policies.renewed_from,
    policies.created_at
   FROM insurance.policies;

ALTER TABLE api.policies OWNER TO cimiento_owner;

--
-- Name: VIEW policies; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.policies IS 'Policies of the caller''s branches (sellers: only their own). Quote and issue with /rpc/create_policy; move them with /rpc/transition (entity policies: cancel with a reason) or /rpc/renew_policy. Read-only here.';

--
-- Name: payments; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.payments (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    policy_id uuid NOT NULL,
    instalment_no smallint NOT NULL,
    amount numeric(14,2) NOT NULL,
    method text NOT NULL,
    paid_on date NOT NULL,
    collector_id uuid DEFAULT cimiento.current_user_id(),
    receipt_id uuid,
    proposal_id uuid,
    reverses_id uuid,
    reason text,
    reference text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid DEFAULT cimiento.current_user_id(),
    CONSTRAINT payments_amount CHECK ((amount <> (0)::numeric)),
    CONSTRAINT payments_method CHECK ((method = ANY (ARRAY['cash'::text, 'deposit'::text, 'transfer'::text, 'crucero'::text, 'konfio'::text, 'terminal_banorte'::text]))),
    CONSTRAINT payments_reference CHECK (((reference IS NULL) OR (length(reference) <= 100))),
    CONSTRAINT payments_reversal_shape CHECK (((reverses_id IS NULL) = (amount > (0)::numeric)))
);

ALTER TABLE ONLY insurance.payments FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.payments OWNER TO cimiento_owner;

--
-- Name: TABLE payments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.payments IS 'Payments against instalments, append-only: partial payments allowed, never more than the instalment still owes, dated today or up to 8 months back. A reversal (payments.revert) is a new entry with the negative amount, reverses_id and a reason; the instalment and the policy''s state follow in the same transaction. collector_id: who collected it (collections.read_own sees one''s own).';

--
-- Name: policy_payments; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.policy_payments WITH (security_invoker='true') AS
 SELECT payments.tenant_id,
    payments.id,
    payments.branch_id,
    payments.policy_id,
    payments.instalment_no,
    payments.amount,
    payments.method,
    payments.paid_on,
    payments.collector_id,
    payments.receipt_id,
    payments.proposal_id,
    payments.reverses_id,
    payments.reason,
    payments.reference,
    payments.created_at,
    payments.created_by
   FROM insurance.payments;

ALTER TABLE api.policy_payments OWNER TO cimiento_owner;

--
-- Name: VIEW policy_payments; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.policy_payments IS 'Payments and reversals (negative, with reverses_id and reason) — payments.read sees the branch''s, collections.read_own one''s own collections. Record with /rpc/record_payment, reverse with /rpc/revert_payment; never changed or deleted.';

--
-- Name: product_costs; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.product_costs (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    product_id uuid NOT NULL,
    on_hand numeric(14,3) DEFAULT 0 NOT NULL,
    average_cost numeric(14,4) DEFAULT 0 NOT NULL,
    last_sold_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT product_costs_average_not_negative CHECK ((average_cost >= (0)::numeric))
);

ALTER TABLE ONLY commerce.product_costs FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.product_costs OWNER TO cimiento_owner;

--
-- Name: TABLE product_costs; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.product_costs IS 'Per product, kept by the stock ledger: units on hand in every location, the moving-average cost (what came in at a cost, weighted by quantity) and when it last left in a sale. Nobody writes it directly.';

--
-- Name: product_costs; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.product_costs WITH (security_invoker='true') AS
 SELECT product_costs.tenant_id,
    product_costs.product_id,
    product_costs.on_hand,
    product_costs.average_cost,
    product_costs.updated_at
   FROM commerce.product_costs;

ALTER TABLE api.product_costs OWNER TO cimiento_owner;

--
-- Name: VIEW product_costs; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.product_costs IS 'Per product, kept by the stock ledger: units on hand in every location and the moving-average cost. Read-only.';

--
-- Name: products; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.products (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    sku text NOT NULL,
    barcode text,
    name text NOT NULL,
    category_id uuid,
    unit text DEFAULT 'unit'::text NOT NULL,
    sale_price numeric(14,2) NOT NULL,
    tax_rate numeric(5,2) DEFAULT 21 NOT NULL,
    cost numeric(14,4) DEFAULT 0 NOT NULL,
    reorder_point numeric(12,3) DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    allow_backorder boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT products_barcode_format CHECK ((barcode ~ '^[0-9]{8,14}$'::text)),
    CONSTRAINT products_cost_not_negative CHECK ((cost >= (0)::numeric)),
    CONSTRAINT products_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT products_reorder_point_not_negative CHECK ((reorder_point >= (0)::numeric)),
    CONSTRAINT products_sale_price_not_negative CHECK ((sale_price >= (0)::numeric)),
    CONSTRAINT products_sku_format CHECK ((sku ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'::text)),
    CONSTRAINT products_tax_rate_range CHECK (((tax_rate >= (0)::numeric) AND (tax_rate <= (100)::numeric))),
    CONSTRAINT products_unit CHECK ((unit = ANY (ARRAY['unit'::text, 'kg'::text, 'g'::text, 'l'::text, 'ml'::text, 'm'::text, 'box'::text, 'pack'::text])))
);

ALTER TABLE ONLY commerce.products FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.products OWNER TO cimiento_owner;

--
-- Name: TABLE products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.products IS 'The catalog: SKU (unique per tenant), optional barcode (EAN/UPC, unique per tenant), unit, sale price net of tax, tax rate (%), standard cost, reorder point, active, allow_backorder (stock may go below zero; default false). Price changes are in the audit trail.';

--
-- Name: products; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.products WITH (security_invoker='true') AS
 SELECT products.tenant_id,
    products.id,
    products.sku,
    products.barcode,
    products.name,
    products.category_id,
    products.unit,
    products.sale_price,
    products.tax_rate,
    products.cost,
    products.reorder_point,
    products.active,
    products.allow_backorder,
    products.created_at
   FROM commerce.products;

ALTER TABLE api.products OWNER TO cimiento_owner;

--
-- Name: VIEW products; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.products IS 'The catalog (find by barcode with ?barcode=eq.…). sale_price is net of tax. Create and change products with products.manage; price changes are audited. Stock: /stock_levels; average cost: /product_costs.';

--
-- Name: receipt_lots; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.receipt_lots (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    prefix text DEFAULT 'R'::text NOT NULL,
    first_no integer NOT NULL,
    last_no integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid DEFAULT cimiento.current_user_id(),
    CONSTRAINT receipt_lots_first CHECK ((first_no >= 1)),
    CONSTRAINT receipt_lots_prefix CHECK ((prefix ~ '^[A-Z]{1,4}$'::text)),
    CONSTRAINT receipt_lots_range CHECK (((last_no >= first_no) AND ((last_no - first_no) < 10000)))
);

ALTER TABLE ONLY insurance.receipt_lots FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.receipt_lots OWNER TO cimiento_owner;

--
-- Name: TABLE receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.receipt_lots IS 'A lot of pre-printed receipts of a branch: prefix and number range (at most 10 000); registering it creates its receipts, available to be assigned.';

--
-- Name: receipt_lots; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.receipt_lots WITH (security_invoker='true') AS
 SELECT receipt_lots.tenant_id,
    receipt_lots.id,
    receipt_lots.branch_id,
    receipt_lots.prefix,
    receipt_lots.first_no,
    receipt_lots.last_no,
    receipt_lots.created_at,
    receipt_lots.created_by
   FROM insurance.receipt_lots;

ALTER TABLE api.receipt_lots OWNER TO cimiento_owner;

--
-- Name: VIEW receipt_lots; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.receipt_lots IS 'Lots of pre-printed receipts; register one with /rpc/register_receipt_lot.';

--
-- Name: receipts; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.receipts (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    location_id uuid NOT NULL,
    supplier_id uuid,
    reference text,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid DEFAULT cimiento.current_user_id(),
    CONSTRAINT receipts_reference_length CHECK ((length(reference) <= 100))
);

ALTER TABLE ONLY commerce.receipts FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.receipts OWNER TO cimiento_owner;

--
-- Name: TABLE receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.receipts IS 'Goods received from a supplier into a location (the supplier''s delivery note as reference); its lines are the receipt movements of the ledger.';

--
-- Name: receipts; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.receipts WITH (security_invoker='true') AS
 SELECT receipts.tenant_id,
    receipts.id,
    receipts.branch_id,
    receipts.location_id,
    receipts.supplier_id,
    receipts.reference,
    receipts.received_at,
    receipts.created_by
   FROM commerce.receipts;

ALTER TABLE api.receipts OWNER TO cimiento_owner;

--
-- Name: VIEW receipts; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.receipts IS 'Goods received (their lines are the receipt movements: /inventory_movements?source_id=eq.<id>). Read-only: receive with /rpc/receive_stock.';

--
-- Name: aging_summary; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.aging_summary WITH (security_invoker='true') AS
 WITH per_due_date AS (
         SELECT f.tenant_id,
            f.branch_id,
            f.due_date,
            sum(f.balance) AS balance,
            count(*) AS owing
           FROM academy.financial_status f
          WHERE ((f.amount_due > f.paid) AND (NOT f.withdrawn))
          GROUP BY f.tenant_id, f.branch_id, f.due_date
        )
 SELECT d.tenant_id,
    d.branch_id,
    b.code AS branch_code,
    sum(d.balance) FILTER (WHERE (reports.aging_bucket(d.due_date) = '0-30'::text)) AS bucket_0_30,
    sum(d.balance) FILTER (WHERE (reports.aging_bucket(d.due_date) = '31-60'::text)) AS bucket_31_60,
    sum(d.balance) FILTER (WHERE (reports.aging_bucket(d.due_date) = '61-90'::text)) AS bucket_61_90,
    sum(d.balance) FILTER (WHERE (reports.aging_bucket(d.due_date) = '90+'::text)) AS bucket_90_plus,
    sum(d.balance) AS total_outstanding,
    (sum(d.owing))::bigint AS enrollments_owing
   FROM (per_due_date d
     JOIN core.branches b ON (((b.tenant_id = d.tenant_id) AND (b.id = d.branch_id))))
  GROUP BY d.tenant_id, d.branch_id, b.code;

ALTER TABLE reports.aging_summary OWNER TO cimiento_owner;

--
-- Name: VIEW aging_summary; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.aging_summary IS 'Outstanding balances (not withdrawn) per branch in the aging buckets of reports.aging_bucket (days since the due date).';

--
-- Name: report_aging_summary; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_aging_summary WITH (security_invoker='true') AS
 SELECT aging_summary.tenant_id,
    aging_summary.branch_id,
    aging_summary.branch_code,
    aging_summary.bucket_0_30,
    aging_summary.bucket_31_60,
    aging_summary.bucket_61_90,
    aging_summary.bucket_90_plus,
    aging_summary.total_outstanding,
    aging_summary.enrollments_owing
   FROM reports.aging_summary;

ALTER TABLE api.report_aging_summary OWNER TO cimiento_owner;

--
-- Name: VIEW report_aging_summary; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_aging_summary IS 'Report: outstanding balances per branch in aging buckets. Read-only.';

--
-- Name: attendance_rate; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.attendance_rate WITH (security_invoker='true') AS
 SELECT a.tenant_id,
    a.branch_id,
    a.course_id,
    c.code AS course_code,
    c.name AS course_name,
    a.student_id,
    ((s.first_name || ' '::text) || s.last_name) AS student_name,
    count(*) AS records,
    count(*) FILTER (WHERE (a.status = 'present'::text)) AS present,
    count(*) FILTER (WHERE (a.status = 'late'::text)) AS late,
    count(*) FILTER (WHERE (a.status = 'absent'::text)) AS absent,
    count(*) FILTER (WHERE (a.status = 'excused'::text)) AS excused,
    round(((100.0 * (count(*) FILTER (WHERE (a.status = ANY (ARRAY['present'::text, 'late'::text]))))::numeric) / (NULLIF(count(*) FILTER (WHERE (a.status <> 'excused'::text)), 0))::numeric), 1) AS rate_pct
   FROM ((academy.attendance a
     JOIN academy.courses c ON (((c.tenant_id = a.tenant_id) AND (c.id = a.course_id))))
     JOIN academy.students s ON (((s.tenant_id = a.tenant_id) AND (s.id = a.student_id))))
  GROUP BY a.tenant_id, a.branch_id, a.course_id, c.code, c.name, a.student_id, s.first_name, s.last_name;

ALTER TABLE reports.attendance_rate OWNER TO cimiento_owner;

--
-- Name: VIEW attendance_rate; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.attendance_rate IS 'Attendance per course and student: records by status and the rate (present + late over all but excused), in percent.';

--
-- Name: report_attendance_rate; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_attendance_rate WITH (security_invoker='true') AS
 SELECT attendance_rate.tenant_id,
    attendance_rate.branch_id,
    attendance_rate.course_id,
    attendance_rate.course_code,
    attendance_rate.course_name,
    attendance_rate.student_id,
    attendance_rate.student_name,
    attendance_rate.records,
    attendance_rate.present,
    attendance_rate.late,
    attendance_rate.absent,
    attendance_rate.excused,
    attendance_rate.rate_pct
   FROM reports.attendance_rate;

ALTER TABLE api.report_attendance_rate OWNER TO cimiento_owner;

--
-- Name: VIEW report_attendance_rate; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_attendance_rate IS 'Report: attendance rate per course and student. Read-only.';

--
-- Name: cash_to_hand_in; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.cash_to_hand_in WITH (security_invoker='true') AS
 SELECT x.tenant_id,
    x.branch_id,
    x.collector_id,
    COALESCE(sum(x.amount) FILTER (WHERE (x.status = ANY (ARRAY['pending'::text, 'under_review'::text]))), (0)::numeric) AS pending_cash,
    COALESCE(sum(x.amount) FILTER (WHERE (x.status = 'approved'::text)), (0)::numeric) AS approved_cash,
    sum(x.amount) AS total_cash,
    count(*) AS receipts
   FROM (insurance.collection_proposals x
     JOIN insurance.receipts r ON (((r.tenant_id = x.tenant_id) AND (r.id = x.receipt_id))))
  WHERE ((x.method = 'cash'::text) AND ((x.status = ANY (ARRAY['pending'::text, 'under_review'::text])) OR ((x.status = 'approved'::text) AND (r.status = 'used'::text))))
  GROUP BY x.tenant_id, x.branch_id, x.collector_id;

ALTER TABLE reports.cash_to_hand_in OWNER TO cimiento_owner;

--
-- Name: VIEW cash_to_hand_in; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.cash_to_hand_in IS 'Cash each collector holds and must hand in: cash collections still pending or under review, and approved ones whose receipt is not yet verified (verifying a receipt = the cash was handed in).';

--
-- Name: report_cash_to_hand_in; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_cash_to_hand_in WITH (security_invoker='true') AS
 SELECT cash_to_hand_in.tenant_id,
    cash_to_hand_in.branch_id,
    cash_to_hand_in.collector_id,
    cash_to_hand_in.pending_cash,
    cash_to_hand_in.approved_cash,
    cash_to_hand_in.total_cash,
    cash_to_hand_in.receipts
   FROM reports.cash_to_hand_in;

ALTER TABLE api.report_cash_to_hand_in OWNER TO cimiento_owner;

--
-- Name: VIEW report_cash_to_hand_in; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_cash_to_hand_in IS 'See reports.cash_to_hand_in.';

--
-- Name: users; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.users (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    email_key text GENERATED ALWAYS AS (lower(email)) STORED,
    full_name text NOT NULL,
    password_hash text,
    active boolean DEFAULT true NOT NULL,
    totp_secret text,
    totp_enabled boolean DEFAULT false NOT NULL,
    totp_last_step bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_login_at timestamp with time zone,
    CONSTRAINT users_email_format CHECK (((length(email) <= 254) AND (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text))),
    CONSTRAINT users_full_name_length CHECK (((length(btrim(full_name)) >= 1) AND (length(btrim(full_name)) <= 200))),
    CONSTRAINT users_password_hash_argon2id CHECK (((password_hash IS NULL) OR (password_hash ~~ '$argon2id$%'::text))),
    CONSTRAINT users_totp_needs_secret CHECK (((NOT totp_enabled) OR (totp_secret IS NOT NULL)))
);

ALTER TABLE ONLY core.users FORCE ROW LEVEL SECURITY;

ALTER TABLE core.users OWNER TO cimiento_owner;

--
-- Name: TABLE users; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.users IS 'People who sign in to a tenant. Email is unique per tenant, case-insensitively. Secrets (password_hash, totp_*) are readable only through the auth functions.';

--
-- Name: COLUMN users.password_hash; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON COLUMN core.users.password_hash IS 'argon2id PHC string; NULL means the user cannot sign in with a password.';

--
-- Name: COLUMN users.totp_last_step; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON COLUMN core.users.totp_last_step IS 'Last accepted TOTP time step: a code is accepted once only.';

--
-- Name: collections_by_collector_day; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.collections_by_collector_day WITH (security_invoker='true') AS
 SELECT p.tenant_id,
    p.branch_id,
    p.collector_id,
    u.full_name AS collector_name,
    p.paid_on AS day,
    count(*) FILTER (WHERE (p.amount > (0)::numeric)) AS payments,
    count(*) FILTER (WHERE (p.amount < (0)::numeric)) AS reversals,
    sum(p.amount) AS total,
    COALESCE(sum(p.amount) FILTER (WHERE (p.method = 'cash'::text)), (0)::numeric) AS cash
   FROM (insurance.payments p
     LEFT JOIN core.users u ON (((u.tenant_id = p.tenant_id) AND (u.id = p.collector_id))))
  GROUP BY p.tenant_id, p.branch_id, p.collector_id, u.full_name, p.paid_on;

ALTER TABLE reports.collections_by_collector_day OWNER TO cimiento_owner;

--
-- Name: VIEW collections_by_collector_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.collections_by_collector_day IS 'Per collector, branch and day: payments, reversals, total net of reversals and the cash part (payments.read: every collector; collections.read_own: one''s own).';

--
-- Name: report_collections_by_collector_day; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_collections_by_collector_day WITH (security_invoker='true') AS
 SELECT collections_by_collector_day.tenant_id,
    collections_by_collector_day.branch_id,
    collections_by_collector_day.collector_id,
    collections_by_collector_day.collector_name,
    collections_by_collector_day.day,
    collections_by_collector_day.payments,
    collections_by_collector_day.reversals,
    collections_by_collector_day.total,
    collections_by_collector_day.cash
   FROM reports.collections_by_collector_day;

ALTER TABLE api.report_collections_by_collector_day OWNER TO cimiento_owner;

--
-- Name: VIEW report_collections_by_collector_day; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_collections_by_collector_day IS 'See reports.collections_by_collector_day.';

--
-- Name: attendance_by_course_day; Type: TABLE; Schema: reports; Owner: cimiento_owner
--

CREATE TABLE reports.attendance_by_course_day (
    tenant_id uuid NOT NULL,
    id bigint NOT NULL,
    branch_id uuid NOT NULL,
    course_id uuid NOT NULL,
    date date NOT NULL,
    records bigint NOT NULL,
    counted bigint NOT NULL,
    attended bigint NOT NULL
);

ALTER TABLE ONLY reports.attendance_by_course_day FORCE ROW LEVEL SECURITY;

ALTER TABLE reports.attendance_by_course_day OWNER TO cimiento_owner;

--
-- Name: TABLE attendance_by_course_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON TABLE reports.attendance_by_course_day IS 'Attendance per tenant, course and class day, as deltas: records, counted (all but excused) and attended (present or late). One row per recording statement, folded nightly into one row per course and day by the reports_compact job. Written only by the attendance trigger and the job.';

--
-- Name: course_attendance; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.course_attendance WITH (security_invoker='true') AS
 WITH days AS (
         SELECT d.tenant_id,
            d.branch_id,
            d.course_id,
            d.date,
            sum(d.records) AS records,
            sum(d.counted) AS counted,
            sum(d.attended) AS attended
           FROM reports.attendance_by_course_day d
          GROUP BY d.tenant_id, d.branch_id, d.course_id, d.date
         HAVING (sum(d.records) > (0)::numeric)
        )
 SELECT p.tenant_id,
    p.branch_id,
    p.course_id,
    c.code AS course_code,
    c.name AS course_name,
    count(*) AS sessions,
    (sum(p.records))::bigint AS records,
    round(((100.0 * sum(p.attended)) / NULLIF(sum(p.counted), (0)::numeric)), 1) AS rate_pct
   FROM (days p
     JOIN academy.courses c ON (((c.tenant_id = p.tenant_id) AND (c.id = p.course_id))))
  GROUP BY p.tenant_id, p.branch_id, p.course_id, c.code, c.name;

ALTER TABLE reports.course_attendance OWNER TO cimiento_owner;

--
-- Name: VIEW course_attendance; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.course_attendance IS 'Attendance rate per course (present + late over all but excused), in percent, and the number of class days recorded (from reports.attendance_by_course_day).';

--
-- Name: report_course_attendance; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_course_attendance WITH (security_invoker='true') AS
 SELECT course_attendance.tenant_id,
    course_attendance.branch_id,
    course_attendance.course_id,
    course_attendance.course_code,
    course_attendance.course_name,
    course_attendance.sessions,
    course_attendance.records,
    course_attendance.rate_pct
   FROM reports.course_attendance;

ALTER TABLE api.report_course_attendance OWNER TO cimiento_owner;

--
-- Name: VIEW report_course_attendance; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_course_attendance IS 'Report: attendance rate per course. Read-only.';

--
-- Name: enrollments_per_course; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.enrollments_per_course WITH (security_invoker='true') AS
 SELECT c.tenant_id,
    c.branch_id,
    b.code AS branch_code,
    c.id AS course_id,
    c.code AS course_code,
    c.name AS course_name,
    c.status,
    c.capacity,
    count(e.id) FILTER (WHERE (e.status = 'active'::text)) AS active,
    count(e.id) FILTER (WHERE (e.status = 'completed'::text)) AS completed,
    count(e.id) FILTER (WHERE (e.status = 'withdrawn'::text)) AS withdrawn,
    round(((100.0 * (count(e.id) FILTER (WHERE (e.status = 'active'::text)))::numeric) / (c.capacity)::numeric), 1) AS fill_rate_pct
   FROM ((academy.courses c
     JOIN core.branches b ON (((b.tenant_id = c.tenant_id) AND (b.id = c.branch_id))))
     LEFT JOIN academy.enrollments e ON (((e.tenant_id = c.tenant_id) AND (e.course_id = c.id))))
  GROUP BY c.tenant_id, c.branch_id, b.code, c.id, c.code, c.name, c.status, c.capacity;

ALTER TABLE reports.enrollments_per_course OWNER TO cimiento_owner;

--
-- Name: VIEW enrollments_per_course; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.enrollments_per_course IS 'Enrollments per course (active, completed, withdrawn) and fill rate (active over capacity), in percent.';

--
-- Name: report_enrollments_per_course; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_enrollments_per_course WITH (security_invoker='true') AS
 SELECT enrollments_per_course.tenant_id,
    enrollments_per_course.branch_id,
    enrollments_per_course.branch_code,
    enrollments_per_course.course_id,
    enrollments_per_course.course_code,
    enrollments_per_course.course_name,
    enrollments_per_course.status,
    enrollments_per_course.capacity,
    enrollments_per_course.active,
    enrollments_per_course.completed,
    enrollments_per_course.withdrawn,
    enrollments_per_course.fill_rate_pct
   FROM reports.enrollments_per_course;

ALTER TABLE api.report_enrollments_per_course OWNER TO cimiento_owner;

--
-- Name: VIEW report_enrollments_per_course; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_enrollments_per_course IS 'Report: enrollments and fill rate per course. Read-only.';

--
-- Name: stock_levels; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.stock_levels (
    tenant_id uuid NOT NULL,
    product_id uuid NOT NULL,
    location_id uuid NOT NULL,
    branch_id uuid NOT NULL,
    quantity numeric(14,3) DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY commerce.stock_levels FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.stock_levels OWNER TO cimiento_owner;

--
-- Name: TABLE stock_levels; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.stock_levels IS 'Units of a product at a location: the sum of its ledger, kept by the database in the transaction of each movement (nobody writes it). Never negative unless the product allows backorder.';

--
-- Name: low_stock; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.low_stock WITH (security_invoker='true') AS
 SELECT s.tenant_id,
    s.branch_id,
    s.location_id,
    l.code AS location_code,
    s.product_id,
    p.sku,
    p.name AS product_name,
    s.quantity,
    p.reorder_point,
    (p.reorder_point - s.quantity) AS shortfall
   FROM ((commerce.stock_levels s
     JOIN commerce.products p ON (((p.tenant_id = s.tenant_id) AND (p.id = s.product_id) AND p.active)))
     JOIN commerce.locations l ON (((l.tenant_id = s.tenant_id) AND (l.id = s.location_id))))
  WHERE (s.quantity <= p.reorder_point);

ALTER TABLE reports.low_stock OWNER TO cimiento_owner;

--
-- Name: VIEW low_stock; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.low_stock IS 'Active products at or below their reorder point at a location: quantity, reorder point and shortfall.';

--
-- Name: report_low_stock; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_low_stock WITH (security_invoker='true') AS
 SELECT low_stock.tenant_id,
    low_stock.branch_id,
    low_stock.location_id,
    low_stock.location_code,
    low_stock.product_id,
    low_stock.sku,
    low_stock.product_name,
    low_stock.quantity,
    low_stock.reorder_point,
    low_stock.shortfall
   FROM reports.low_stock;

ALTER TABLE api.report_low_stock OWNER TO cimiento_owner;

--
-- Name: VIEW report_low_stock; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_low_stock IS 'See reports.low_stock.';

--
-- Name: sold_by_day; Type: TABLE; Schema: reports; Owner: cimiento_owner
--

CREATE TABLE reports.sold_by_day (
    tenant_id uuid NOT NULL,
    id bigint NOT NULL,
    branch_id uuid NOT NULL,
    day date NOT NULL,
    product_id uuid NOT NULL,
    sales bigint NOT NULL,
    lines bigint NOT NULL,
    units numeric(16,3) NOT NULL,
    revenue numeric(16,2) NOT NULL,
    cost numeric(16,2) NOT NULL
);

ALTER TABLE ONLY reports.sold_by_day FORCE ROW LEVEL SECURITY;

ALTER TABLE reports.sold_by_day OWNER TO cimiento_owner;

--
-- Name: TABLE sold_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON TABLE reports.sold_by_day IS 'Completed sales per tenant, branch, local day (the sale''s sold_on) and product, net of returns and voids, as deltas: sales (whose line 1 is the product: a day''s rows add up to its sales), lines, units, revenue net of tax and cost at the average cost of sale. One row per statement that sells, returns or voids, folded nightly into one row per branch, day and product by the reports_compact job. Sum the rows for figures. Written only by the commerce triggers and the job.';

--
-- Name: margin; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.margin WITH (security_invoker='true') AS
 SELECT x.tenant_id,
    x.branch_id,
    b.code AS branch_code,
    (date_trunc('month'::text, (x.day)::timestamp with time zone))::date AS month,
    sum(x.revenue) AS revenue,
    sum(x.cost) AS cost,
    (sum(x.revenue) - sum(x.cost)) AS margin,
        CASE
            WHEN (sum(x.revenue) > (0)::numeric) THEN round((((100)::numeric * (sum(x.revenue) - sum(x.cost))) / sum(x.revenue)), 2)
            ELSE NULL::numeric
        END AS margin_pct
   FROM (reports.sold_by_day x
     JOIN core.branches b ON (((b.tenant_id = x.tenant_id) AND (b.id = x.branch_id))))
  GROUP BY x.tenant_id, x.branch_id, b.code, (date_trunc('month'::text, (x.day)::timestamp with time zone))
 HAVING (sum(x.lines) > (0)::numeric);

ALTER TABLE reports.margin OWNER TO cimiento_owner;

--
-- Name: VIEW margin; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.margin IS 'Gross margin per branch and month: revenue net of tax and returns minus the average cost of what was sold, and margin % (from reports.sold_by_day).';

--
-- Name: report_margin; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_margin WITH (security_invoker='true') AS
 SELECT margin.tenant_id,
    margin.branch_id,
    margin.branch_code,
    margin.month,
    margin.revenue,
    margin.cost,
    margin.margin,
    margin.margin_pct
   FROM reports.margin;

ALTER TABLE api.report_margin OWNER TO cimiento_owner;

--
-- Name: VIEW report_margin; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_margin IS 'See reports.margin.';

--
-- Name: outstanding_balances; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.outstanding_balances WITH (security_invoker='true') AS
 SELECT f.tenant_id,
    f.branch_id,
    ( SELECT b.code
           FROM core.branches b
          WHERE ((b.tenant_id = f.tenant_id) AND (b.id = f.branch_id))) AS branch_code,
    f.enrollment_id,
    ( SELECT e.student_id
           FROM academy.enrollments e
          WHERE ((e.tenant_id = f.tenant_id) AND (e.id = f.enrollment_id))) AS student_id,
    ( SELECT ((s.first_name || ' '::text) || s.last_name)
           FROM (academy.enrollments e
             JOIN academy.students s ON (((s.tenant_id = e.tenant_id) AND (s.id = e.student_id))))
          WHERE ((e.tenant_id = f.tenant_id) AND (e.id = f.enrollment_id))) AS student_name,
    ( SELECT s.document_id
           FROM (academy.enrollments e
             JOIN academy.students s ON (((s.tenant_id = e.tenant_id) AND (s.id = e.student_id))))
          WHERE ((e.tenant_id = f.tenant_id) AND (e.id = f.enrollment_id))) AS document_id,
    ( SELECT e.course_id
           FROM academy.enrollments e
          WHERE ((e.tenant_id = f.tenant_id) AND (e.id = f.enrollment_id))) AS course_id,
    ( SELECT c.code
           FROM (academy.enrollments e
             JOIN academy.courses c ON (((c.tenant_id = e.tenant_id) AND (c.id = e.course_id))))
          WHERE ((e.tenant_id = f.tenant_id) AND (e.id = f.enrollment_id))) AS course_code,
    ( SELECT c.name
           FROM (academy.enrollments e
             JOIN academy.courses c ON (((c.tenant_id = e.tenant_id) AND (c.id = e.course_id))))
          WHERE ((e.tenant_id = f.tenant_id) AND (e.id = f.enrollment_id))) AS course_name,
    f.amount_due,
    f.paid,
    f.balance,
    f.due_date,
    GREATEST((CURRENT_DATE - f.due_date), 0) AS days_overdue,
    reports.aging_bucket(f.due_date) AS aging_bucket
   FROM academy.financial_status f
  WHERE ((f.amount_due > f.paid) AND (NOT f.withdrawn));

ALTER TABLE reports.outstanding_balances OWNER TO cimiento_owner;

--
-- Name: VIEW outstanding_balances; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.outstanding_balances IS 'Every enrollment with money owed (not withdrawn): balance, due date, days overdue and aging bucket (reports.aging_bucket: 0-30 includes balances not yet due; 31-60, 61-90, 90+). Student and course names are NULL where the caller may not read them.';

--
-- Name: report_outstanding_balances; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_outstanding_balances WITH (security_invoker='true') AS
 SELECT outstanding_balances.tenant_id,
    outstanding_balances.branch_id,
    outstanding_balances.branch_code,
    outstanding_balances.enrollment_id,
    outstanding_balances.student_id,
    outstanding_balances.student_name,
    outstanding_balances.document_id,
    outstanding_balances.course_id,
    outstanding_balances.course_code,
    outstanding_balances.course_name,
    outstanding_balances.amount_due,
    outstanding_balances.paid,
    outstanding_balances.balance,
    outstanding_balances.due_date,
    outstanding_balances.days_overdue,
    outstanding_balances.aging_bucket
   FROM reports.outstanding_balances;

ALTER TABLE api.report_outstanding_balances OWNER TO cimiento_owner;

--
-- Name: VIEW report_outstanding_balances; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_outstanding_balances IS 'Report: balances owed per enrollment with aging bucket. Read-only.';

--
-- Name: overdue_portfolio; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.overdue_portfolio WITH (security_invoker='true') AS
 SELECT i.tenant_id,
    i.branch_id,
    a.age,
    min(a.from_days) AS from_days,
    count(*) AS instalments,
    count(DISTINCT i.policy_id) AS policies,
    sum((i.amount - i.paid)) AS balance
   FROM (((insurance.instalments i
     JOIN insurance.policies p ON (((p.tenant_id = i.tenant_id) AND (p.id = i.policy_id) AND (p.status = ANY (ARRAY['active'::text, 'overdue'::text, 'suspended'::text])))))
     CROSS JOIN LATERAL ( SELECT (core.local_today(i.tenant_id) - i.due_on) AS days) d)
     CROSS JOIN LATERAL ( SELECT
                CASE
                    WHEN (d.days <= 30) THEN '1-30'::text
                    WHEN (d.days <= 60) THEN '31-60'::text
                    WHEN (d.days <= 90) THEN '61-90'::text
                    ELSE '90+'::text
                END AS age,
                CASE
                    WHEN (d.days <= 30) THEN 1
                    WHEN (d.days <= 60) THEN 31
                    WHEN (d.days <= 90) THEN 61
                    ELSE 91
                END AS from_days) a)
  WHERE ((i.paid < i.amount) AND (d.days > 0))
  GROUP BY i.tenant_id, i.branch_id, a.age;

ALTER TABLE reports.overdue_portfolio OWNER TO cimiento_owner;

--
-- Name: VIEW overdue_portfolio; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.overdue_portfolio IS 'Overdue portfolio by age (days past due: 1-30, 31-60, 61-90, 90+) per branch, policies in force: unpaid instalments, policies and balance. Derived from due dates at read time (agrees with the nightly job once it has run).';

--
-- Name: report_overdue_portfolio; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_overdue_portfolio WITH (security_invoker='true') AS
 SELECT overdue_portfolio.tenant_id,
    overdue_portfolio.branch_id,
    overdue_portfolio.age,
    overdue_portfolio.from_days,
    overdue_portfolio.instalments,
    overdue_portfolio.policies,
    overdue_portfolio.balance
   FROM reports.overdue_portfolio;

ALTER TABLE api.report_overdue_portfolio OWNER TO cimiento_owner;

--
-- Name: VIEW report_overdue_portfolio; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_overdue_portfolio IS 'See reports.overdue_portfolio.';

--
-- Name: renewals_due; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.renewals_due WITH (security_invoker='true') AS
 SELECT p.tenant_id,
    p.branch_id,
    p.id AS policy_id,
    p.number_display,
    p.client_id,
    c.name AS client_name,
    c.phone AS client_phone,
    p.seller_id,
    p.coverage_id,
    p.ends_on,
    (p.ends_on - core.local_today(p.tenant_id)) AS days_left,
    p.status
   FROM (insurance.policies p
     JOIN insurance.clients c ON (((c.tenant_id = p.tenant_id) AND (c.id = p.client_id))))
  WHERE ((p.status = ANY (ARRAY['active'::text, 'overdue'::text])) AND ((p.ends_on >= core.local_today(p.tenant_id)) AND (p.ends_on <= (core.local_today(p.tenant_id) + 30))));

ALTER TABLE reports.renewals_due OWNER TO cimiento_owner;

--
-- Name: VIEW renewals_due; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.renewals_due IS 'Policies in force ending in the next 30 days (sellers: their own): client and phone, seller, end date and days left.';

--
-- Name: report_renewals_due; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_renewals_due WITH (security_invoker='true') AS
 SELECT renewals_due.tenant_id,
    renewals_due.branch_id,
    renewals_due.policy_id,
    renewals_due.number_display,
    renewals_due.client_id,
    renewals_due.client_name,
    renewals_due.client_phone,
    renewals_due.seller_id,
    renewals_due.coverage_id,
    renewals_due.ends_on,
    renewals_due.days_left,
    renewals_due.status
   FROM reports.renewals_due;

ALTER TABLE api.report_renewals_due OWNER TO cimiento_owner;

--
-- Name: VIEW report_renewals_due; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_renewals_due IS 'See reports.renewals_due.';

--
-- Name: collected_by_month; Type: TABLE; Schema: reports; Owner: cimiento_owner
--

CREATE TABLE reports.collected_by_month (
    tenant_id uuid NOT NULL,
    id bigint NOT NULL,
    branch_id uuid NOT NULL,
    month date NOT NULL,
    payments bigint NOT NULL,
    collected numeric(16,2) NOT NULL,
    CONSTRAINT collected_by_month_first_day CHECK ((EXTRACT(day FROM month) = (1)::numeric))
);

ALTER TABLE ONLY reports.collected_by_month FORCE ROW LEVEL SECURITY;

ALTER TABLE reports.collected_by_month OWNER TO cimiento_owner;

--
-- Name: TABLE collected_by_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON TABLE reports.collected_by_month IS 'Payments per tenant, branch and (tenant-local) month, as deltas: one row per paying statement, folded nightly into one row per month by the reports_compact job. Sum the rows of a month for its figures. Written only by the payments trigger and the job.';

--
-- Name: revenue_by_branch_month; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.revenue_by_branch_month WITH (security_invoker='true') AS
 SELECT x.tenant_id,
    x.branch_id,
    b.code AS branch_code,
    b.name AS branch_name,
    x.month,
    (sum(x.payments))::bigint AS payments,
    sum(x.collected) AS collected,
    (sum(x.invoices))::bigint AS invoices,
    sum(x.invoiced_net) AS invoiced_net,
    sum(x.invoiced_total) AS invoiced_total
   FROM (( SELECT c.tenant_id,
            c.branch_id,
            c.month,
            c.payments,
            c.collected,
            (0)::bigint AS invoices,
            (0)::numeric AS invoiced_net,
            (0)::numeric AS invoiced_total
           FROM reports.collected_by_month c
        UNION ALL
         SELECT i.tenant_id,
            i.branch_id,
            (date_trunc('month'::text, (i.issue_date)::timestamp with time zone))::date AS date_trunc,
            0,
            0,
            ((i.kind = 'invoice'::text))::integer AS int4,
                CASE
                    WHEN (i.kind = 'invoice'::text) THEN i.subtotal
                    ELSE (- i.subtotal)
                END AS "case",
                CASE
                    WHEN (i.kind = 'invoice'::text) THEN i.total
                    ELSE (- i.total)
                END AS "case"
           FROM billing.invoices i
          WHERE (i.status <> 'draft'::text)) x
     JOIN core.branches b ON (((b.tenant_id = x.tenant_id) AND (b.id = x.branch_id))))
  GROUP BY x.tenant_id, x.branch_id, b.code, b.name, x.month;

ALTER TABLE reports.revenue_by_branch_month OWNER TO cimiento_owner;

--
-- Name: VIEW revenue_by_branch_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.revenue_by_branch_month IS 'Revenue per branch and (tenant-local) month: collected (payments received, from reports.collected_by_month) and invoiced (issued invoices minus credit notes, net and with tax). Filter on month to read only those months.';

--
-- Name: report_revenue_by_branch_month; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_revenue_by_branch_month WITH (security_invoker='true') AS
 SELECT revenue_by_branch_month.tenant_id,
    revenue_by_branch_month.branch_id,
    revenue_by_branch_month.branch_code,
    revenue_by_branch_month.branch_name,
    revenue_by_branch_month.month,
    revenue_by_branch_month.payments,
    revenue_by_branch_month.collected,
    revenue_by_branch_month.invoices,
    revenue_by_branch_month.invoiced_net,
    revenue_by_branch_month.invoiced_total
   FROM reports.revenue_by_branch_month;

ALTER TABLE api.report_revenue_by_branch_month OWNER TO cimiento_owner;

--
-- Name: VIEW report_revenue_by_branch_month; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_revenue_by_branch_month IS 'Report: revenue per branch and month (collected and invoiced). Read-only.';

--
-- Name: sales_by_branch; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.sales_by_branch WITH (security_invoker='true') AS
 SELECT x.tenant_id,
    x.branch_id,
    b.code AS branch_code,
    b.name AS branch_name,
    (date_trunc('month'::text, (x.day)::timestamp with time zone))::date AS month,
    (sum(x.sales))::bigint AS sales,
    sum(x.revenue) AS revenue,
    sum(x.cost) AS cost,
    (sum(x.revenue) - sum(x.cost)) AS margin
   FROM (reports.sold_by_day x
     JOIN core.branches b ON (((b.tenant_id = x.tenant_id) AND (b.id = x.branch_id))))
  GROUP BY x.tenant_id, x.branch_id, b.code, b.name, (date_trunc('month'::text, (x.day)::timestamp with time zone))
 HAVING (sum(x.lines) > (0)::numeric);

ALTER TABLE reports.sales_by_branch OWNER TO cimiento_owner;

--
-- Name: VIEW sales_by_branch; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.sales_by_branch IS 'Per branch and month: sales, revenue net of tax and returns, cost and margin (from reports.sold_by_day).';

--
-- Name: report_sales_by_branch; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_sales_by_branch WITH (security_invoker='true') AS
 SELECT sales_by_branch.tenant_id,
    sales_by_branch.branch_id,
    sales_by_branch.branch_code,
    sales_by_branch.branch_name,
    sales_by_branch.month,
    sales_by_branch.sales,
    sales_by_branch.revenue,
    sales_by_branch.cost,
    sales_by_branch.margin
   FROM reports.sales_by_branch;

ALTER TABLE api.report_sales_by_branch OWNER TO cimiento_owner;

--
-- Name: VIEW report_sales_by_branch; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_sales_by_branch IS 'See reports.sales_by_branch.';

--
-- Name: sales_by_category; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.sales_by_category WITH (security_invoker='true') AS
 WITH sold AS (
         SELECT x.tenant_id,
            x.product_id,
            sum(x.units) AS units,
            sum(x.revenue) AS revenue,
            sum(x.cost) AS cost
           FROM reports.sold_by_day x
          GROUP BY x.tenant_id, x.product_id
         HAVING (sum(x.lines) > (0)::numeric)
        )
 SELECT s.tenant_id,
    p.category_id,
    c.name AS category_name,
    count(*) AS products,
    sum(s.units) AS units,
    sum(s.revenue) AS revenue,
    sum(s.cost) AS cost,
    (sum(s.revenue) - sum(s.cost)) AS margin
   FROM ((sold s
     JOIN commerce.products p ON (((p.tenant_id = s.tenant_id) AND (p.id = s.product_id))))
     LEFT JOIN commerce.categories c ON (((c.tenant_id = p.tenant_id) AND (c.id = p.category_id))))
  GROUP BY s.tenant_id, p.category_id, c.name;

ALTER TABLE reports.sales_by_category OWNER TO cimiento_owner;

--
-- Name: VIEW sales_by_category; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.sales_by_category IS 'Per product category (NULL: uncategorised): products sold, units, revenue, cost and margin, net of returns (from reports.sold_by_day).';

--
-- Name: report_sales_by_category; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_sales_by_category WITH (security_invoker='true') AS
 SELECT sales_by_category.tenant_id,
    sales_by_category.category_id,
    sales_by_category.category_name,
    sales_by_category.products,
    sales_by_category.units,
    sales_by_category.revenue,
    sales_by_category.cost,
    sales_by_category.margin
   FROM reports.sales_by_category;

ALTER TABLE api.report_sales_by_category OWNER TO cimiento_owner;

--
-- Name: VIEW report_sales_by_category; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_sales_by_category IS 'See reports.sales_by_category.';

--
-- Name: sales_by_day; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.sales_by_day WITH (security_invoker='true') AS
 SELECT x.tenant_id,
    x.branch_id,
    b.code AS branch_code,
    x.day,
    (sum(x.sales))::bigint AS sales,
    sum(x.units) AS units,
    sum(x.revenue) AS revenue,
    sum(x.cost) AS cost,
    (sum(x.revenue) - sum(x.cost)) AS margin
   FROM (reports.sold_by_day x
     JOIN core.branches b ON (((b.tenant_id = x.tenant_id) AND (b.id = x.branch_id))))
  GROUP BY x.tenant_id, x.branch_id, b.code, x.day
 HAVING (sum(x.lines) > (0)::numeric);

ALTER TABLE reports.sales_by_day OWNER TO cimiento_owner;

--
-- Name: VIEW sales_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.sales_by_day IS 'Per branch and day: sales, units, revenue net of tax and returns, cost and margin (filter day=gte.… for a period; from reports.sold_by_day).';

--
-- Name: report_sales_by_day; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_sales_by_day WITH (security_invoker='true') AS
 SELECT sales_by_day.tenant_id,
    sales_by_day.branch_id,
    sales_by_day.branch_code,
    sales_by_day.day,
    sales_by_day.sales,
    sales_by_day.units,
    sales_by_day.revenue,
    sales_by_day.cost,
    sales_by_day.margin
   FROM reports.sales_by_day;

ALTER TABLE api.report_sales_by_day OWNER TO cimiento_owner;

--
-- Name: VIEW report_sales_by_day; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_sales_by_day IS 'See reports.sales_by_day.';

--
-- Name: sales_by_product; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.sales_by_product WITH (security_invoker='true') AS
 WITH days AS (
         SELECT x.tenant_id,
            x.product_id,
            x.day,
            sum(x.lines) AS lines,
            sum(x.units) AS units,
            sum(x.revenue) AS revenue,
            sum(x.cost) AS cost
           FROM reports.sold_by_day x
          GROUP BY x.tenant_id, x.product_id, x.day
        )
 SELECT d.tenant_id,
    d.product_id,
    p.sku,
    p.name AS product_name,
    p.category_id,
    sum(d.units) AS units,
    sum(d.revenue) AS revenue,
    sum(d.cost) AS cost,
    (sum(d.revenue) - sum(d.cost)) AS margin,
        CASE
            WHEN (sum(d.revenue) > (0)::numeric) THEN round((((100)::numeric * (sum(d.revenue) - sum(d.cost))) / sum(d.revenue)), 2)
            ELSE NULL::numeric
        END AS margin_pct,
    max(d.day) FILTER (WHERE (d.lines > (0)::numeric)) AS last_sold_on
   FROM (days d
     JOIN commerce.products p ON (((p.tenant_id = d.tenant_id) AND (p.id = d.product_id))))
  GROUP BY d.tenant_id, d.product_id, p.sku, p.name, p.category_id
 HAVING (sum(d.lines) > (0)::numeric);

ALTER TABLE reports.sales_by_product OWNER TO cimiento_owner;

--
-- Name: VIEW sales_by_product; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.sales_by_product IS 'Per product (of the caller''s branches): units sold net of returns, revenue, cost, margin and margin %, the last day it sold (from reports.sold_by_day).';

--
-- Name: report_sales_by_product; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_sales_by_product WITH (security_invoker='true') AS
 SELECT sales_by_product.tenant_id,
    sales_by_product.product_id,
    sales_by_product.sku,
    sales_by_product.product_name,
    sales_by_product.category_id,
    sales_by_product.units,
    sales_by_product.revenue,
    sales_by_product.cost,
    sales_by_product.margin,
    sales_by_product.margin_pct,
    sales_by_product.last_sold_on
   FROM reports.sales_by_product;

ALTER TABLE api.report_sales_by_product OWNER TO cimiento_owner;

--
-- Name: VIEW report_sales_by_product; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_sales_by_product IS 'See reports.sales_by_product.';

--
-- Name: stock_valuation; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.stock_valuation WITH (security_invoker='true') AS
 SELECT s.tenant_id,
    s.branch_id,
    s.location_id,
    l.code AS location_code,
    count(*) FILTER (WHERE (s.quantity <> (0)::numeric)) AS products,
    sum(s.quantity) AS units,
    sum(round((GREATEST(s.quantity, (0)::numeric) * c.average_cost), 2)) AS value
   FROM ((commerce.stock_levels s
     JOIN commerce.locations l ON (((l.tenant_id = s.tenant_id) AND (l.id = s.location_id))))
     JOIN commerce.product_costs c ON (((c.tenant_id = s.tenant_id) AND (c.product_id = s.product_id))))
  GROUP BY s.tenant_id, s.branch_id, s.location_id, l.code;

ALTER TABLE reports.stock_valuation OWNER TO cimiento_owner;

--
-- Name: VIEW stock_valuation; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.stock_valuation IS 'Per location: products in stock, units and their value at moving-average cost (negative backorder levels count as nothing).';

--
-- Name: report_stock_valuation; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_stock_valuation WITH (security_invoker='true') AS
 SELECT stock_valuation.tenant_id,
    stock_valuation.branch_id,
    stock_valuation.location_id,
    stock_valuation.location_code,
    stock_valuation.products,
    stock_valuation.units,
    stock_valuation.value
   FROM reports.stock_valuation;

ALTER TABLE api.report_stock_valuation OWNER TO cimiento_owner;

--
-- Name: VIEW report_stock_valuation; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_stock_valuation IS 'See reports.stock_valuation.';

--
-- Name: top_customers; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.top_customers WITH (security_invoker='true') AS
 SELECT s.tenant_id,
    s.customer_id,
    c.name AS customer_name,
    c.tax_id,
    s.sales_count,
    s.sales_total,
    s.last_purchase_at,
    rank() OVER (PARTITION BY s.tenant_id ORDER BY s.sales_total DESC) AS rank_by_total
   FROM (commerce.customer_stats s
     JOIN commerce.customers c ON (((c.tenant_id = s.tenant_id) AND (c.id = s.customer_id))))
  WHERE (s.sales_count > 0);

ALTER TABLE reports.top_customers OWNER TO cimiento_owner;

--
-- Name: VIEW top_customers; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.top_customers IS 'Customers ranked by what they bought (completed sales with tax, from the stats the sales keep): count, total, last purchase.';

--
-- Name: report_top_customers; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_top_customers WITH (security_invoker='true') AS
 SELECT top_customers.tenant_id,
    top_customers.customer_id,
    top_customers.customer_name,
    top_customers.tax_id,
    top_customers.sales_count,
    top_customers.sales_total,
    top_customers.last_purchase_at,
    top_customers.rank_by_total
   FROM reports.top_customers;

ALTER TABLE api.report_top_customers OWNER TO cimiento_owner;

--
-- Name: VIEW report_top_customers; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_top_customers IS 'See reports.top_customers.';

--
-- Name: top_products; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.top_products WITH (security_invoker='true') AS
 SELECT p.tenant_id,
    p.product_id,
    p.sku,
    p.product_name,
    p.category_id,
    p.units,
    p.revenue,
    p.cost,
    p.margin,
    p.margin_pct,
    p.last_sold_on,
    rank() OVER (PARTITION BY p.tenant_id ORDER BY p.revenue DESC) AS rank_by_revenue,
    rank() OVER (PARTITION BY p.tenant_id ORDER BY p.units DESC) AS rank_by_units
   FROM reports.sales_by_product p;

ALTER TABLE reports.top_products OWNER TO cimiento_owner;

--
-- Name: VIEW top_products; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.top_products IS 'Products ranked by revenue and by units (order=rank_by_revenue&limit=10 for the top ten).';

--
-- Name: report_top_products; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.report_top_products WITH (security_invoker='true') AS
 SELECT top_products.tenant_id,
    top_products.product_id,
    top_products.sku,
    top_products.product_name,
    top_products.category_id,
    top_products.units,
    top_products.revenue,
    top_products.cost,
    top_products.margin,
    top_products.margin_pct,
    top_products.last_sold_on,
    top_products.rank_by_revenue,
    top_products.rank_by_units
   FROM reports.top_products;

ALTER TABLE api.report_top_products OWNER TO cimiento_owner;

--
-- Name: VIEW report_top_products; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.report_top_products IS 'See reports.top_products.';

--
-- Name: return_lines; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.return_lines (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    return_id uuid NOT NULL,
    sale_line_no integer NOT NULL,
    branch_id uuid NOT NULL,
    sale_id uuid NOT NULL,
    quantity numeric(12,3) NOT NULL,
    CONSTRAINT return_lines_quantity_positive CHECK ((quantity > (0)::numeric))
);

ALTER TABLE ONLY commerce.return_lines FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.return_lines OWNER TO cimiento_owner;

--
-- Name: TABLE return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.return_lines IS 'What a return takes back of each sale line; the sum per sale line never exceeds what was sold.';

--
-- Name: return_lines; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.return_lines WITH (security_invoker='true') AS
 SELECT return_lines.tenant_id,
    return_lines.return_id,
    return_lines.sale_line_no,
    return_lines.branch_id,
    return_lines.sale_id,
    return_lines.quantity
   FROM commerce.return_lines;

ALTER TABLE api.return_lines OWNER TO cimiento_owner;

--
-- Name: VIEW return_lines; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.return_lines IS 'What each return took back of each sale line. Read-only.';

--
-- Name: returns; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.returns (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    sale_id uuid NOT NULL,
    location_id uuid NOT NULL,
    reason text NOT NULL,
    credit_note_id uuid,
    returned_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid DEFAULT cimiento.current_user_id(),
    CONSTRAINT returns_reason_length CHECK (((length(btrim(reason)) >= 1) AND (length(btrim(reason)) <= 500)))
);

ALTER TABLE ONLY commerce.returns FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.returns OWNER TO cimiento_owner;

--
-- Name: TABLE returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.returns IS 'Goods taken back from a sale (in the sale''s branch, restocked into a location), with the reason and the credit note issued for them.';

--
-- Name: returns; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.returns WITH (security_invoker='true') AS
 SELECT returns.tenant_id,
    returns.id,
    returns.branch_id,
    returns.sale_id,
    returns.location_id,
    returns.reason,
    returns.credit_note_id,
    returns.returned_at,
    returns.created_by
   FROM commerce.returns;

ALTER TABLE api.returns OWNER TO cimiento_owner;

--
-- Name: VIEW returns; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.returns IS 'Goods taken back, with their credit note. Read-only: /rpc/return_sale.';

--
-- Name: role_permissions; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.role_permissions (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    role_id uuid NOT NULL,
    permission text NOT NULL,
    CONSTRAINT role_permissions_pattern CHECK (((permission = '*'::text) OR (permission ~ '^[a-z][a-z_]*\.([a-z][a-z_]*|\*)$'::text)))
);

ALTER TABLE ONLY core.role_permissions FORCE ROW LEVEL SECURITY;

ALTER TABLE core.role_permissions OWNER TO cimiento_owner;

--
-- Name: TABLE role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.role_permissions IS 'What each role grants: permission codes or the wildcards resource.* and *.';

--
-- Name: role_permissions; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.role_permissions WITH (security_invoker='true') AS
 SELECT role_permissions.tenant_id,
    role_permissions.role_id,
    role_permissions.permission
   FROM core.role_permissions;

ALTER TABLE api.role_permissions OWNER TO cimiento_owner;

--
-- Name: VIEW role_permissions; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.role_permissions IS 'Permission patterns granted by each role (resource.action, resource.*, *). Writes need roles.manage.';

--
-- Name: roles; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.roles (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    builtin boolean DEFAULT false NOT NULL,
    CONSTRAINT roles_name_format CHECK ((name ~ '^[a-z][a-z0-9_]{1,39}$'::text))
);

ALTER TABLE ONLY core.roles FORCE ROW LEVEL SECURITY;

ALTER TABLE core.roles OWNER TO cimiento_owner;

--
-- Name: TABLE roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.roles IS 'Application roles of a tenant: the built-ins (admin, manager, cashier, registrar, teacher, analyst) and its own.';

--
-- Name: roles; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.roles WITH (security_invoker='true') AS
 SELECT roles.tenant_id,
    roles.id,
    roles.name,
    roles.description,
    roles.builtin
   FROM core.roles;

ALTER TABLE api.roles OWNER TO cimiento_owner;

--
-- Name: VIEW roles; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.roles IS 'Application roles of the caller''s tenant. Built-in roles cannot be changed; tenant roles need roles.manage.';

--
-- Name: sale_lines; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.sale_lines (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    sale_id uuid NOT NULL,
    line_no integer NOT NULL,
    branch_id uuid NOT NULL,
    product_id uuid NOT NULL,
    quantity numeric(12,3) NOT NULL,
    unit_price numeric(14,2) NOT NULL,
    tax_rate numeric(5,2) NOT NULL,
    unit_cost numeric(14,4) DEFAULT 0 NOT NULL,
    line_subtotal numeric(14,2) GENERATED ALWAYS AS (round((quantity * unit_price), 2)) STORED,
    CONSTRAINT sale_lines_line_no CHECK (((line_no >= 1) AND (line_no <= 200))),
    CONSTRAINT sale_lines_quantity_positive CHECK ((quantity > (0)::numeric)),
    CONSTRAINT sale_lines_unit_price_not_negative CHECK ((unit_price >= (0)::numeric))
);

ALTER TABLE ONLY commerce.sale_lines FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.sale_lines OWNER TO cimiento_owner;

--
-- Name: TABLE sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.sale_lines IS 'Lines of a sale: product, quantity, price and tax rate charged, and the moving-average unit cost at the time of sale (for margins). Line n is line n of the sale''s document.';

--
-- Name: sale_lines; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.sale_lines WITH (security_invoker='true') AS
 SELECT sale_lines.tenant_id,
    sale_lines.sale_id,
    sale_lines.line_no,
    sale_lines.branch_id,
    sale_lines.product_id,
    sale_lines.quantity,
    sale_lines.unit_price,
    sale_lines.tax_rate,
    sale_lines.unit_cost,
    sale_lines.line_subtotal
   FROM commerce.sale_lines;

ALTER TABLE api.sale_lines OWNER TO cimiento_owner;

--
-- Name: VIEW sale_lines; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.sale_lines IS 'Lines of sales (price and tax charged, average cost at the time). Read-only.';

--
-- Name: sale_payments; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.sale_payments (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    sale_id uuid NOT NULL,
    line_no integer NOT NULL,
    branch_id uuid NOT NULL,
    method text NOT NULL,
    amount numeric(14,2) NOT NULL,
    reference text,
    CONSTRAINT sale_payments_amount_positive CHECK ((amount > (0)::numeric)),
    CONSTRAINT sale_payments_line_no CHECK (((line_no >= 1) AND (line_no <= 20))),
    CONSTRAINT sale_payments_method CHECK ((method = ANY (ARRAY['cash'::text, 'card'::text, 'transfer'::text]))),
    CONSTRAINT sale_payments_reference_length CHECK ((length(reference) <= 100))
);

ALTER TABLE ONLY commerce.sale_payments FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.sale_payments OWNER TO cimiento_owner;

--
-- Name: TABLE sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.sale_payments IS 'How a sale was paid: cash, card or transfer, the amount tendered (cash may exceed the total: the sale records the change) and a reference (card authorisation, transfer id).';

--
-- Name: sale_payments; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.sale_payments WITH (security_invoker='true') AS
 SELECT sale_payments.tenant_id,
    sale_payments.sale_id,
    sale_payments.line_no,
    sale_payments.branch_id,
    sale_payments.method,
    sale_payments.amount,
    sale_payments.reference
   FROM commerce.sale_payments;

ALTER TABLE api.sale_payments OWNER TO cimiento_owner;

--
-- Name: VIEW sale_payments; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.sale_payments IS 'Payments of sales (cash, card, transfer). Read-only.';

--
-- Name: sales; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.sales (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    branch_id uuid NOT NULL,
    location_id uuid NOT NULL,
    customer_id uuid,
    status text DEFAULT 'completed'::text NOT NULL,
    sold_at timestamp with time zone DEFAULT now() NOT NULL,
    sold_on date NOT NULL,
    invoice_id uuid,
    subtotal numeric(14,2) DEFAULT 0 NOT NULL,
    tax_total numeric(14,2) DEFAULT 0 NOT NULL,
    total numeric(14,2) DEFAULT 0 NOT NULL,
    paid numeric(14,2) DEFAULT 0 NOT NULL,
    change_given numeric(14,2) DEFAULT 0 NOT NULL,
    idempotency_key text,
    request_hash text,
    created_by uuid DEFAULT cimiento.current_user_id(),
    voided_at timestamp with time zone,
    CONSTRAINT sales_change_not_negative CHECK ((change_given >= (0)::numeric)),
    CONSTRAINT sales_idempotency_key_length CHECK (((length(idempotency_key) >= 1) AND (length(idempotency_key) <= 200))),
    CONSTRAINT sales_status CHECK ((status = ANY (ARRAY['completed'::text, 'voided'::text]))),
    CONSTRAINT sales_totals CHECK ((total = (subtotal + tax_total)))
);

ALTER TABLE ONLY commerce.sales FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.sales OWNER TO cimiento_owner;

--
-- Name: TABLE sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.sales IS 'A sale at a branch: status completed | voided (workflow), the document issued for it (a ticket, or a full invoice for a customer with a tax id), totals from the document, what was paid and the change given. sold_on is the tenant''s local date.';

--
-- Name: sales; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.sales WITH (security_invoker='true') AS
 SELECT sales.tenant_id,
    sales.id,
    sales.branch_id,
    sales.location_id,
    sales.customer_id,
    sales.status,
    sales.sold_at,
    sales.sold_on,
    sales.invoice_id,
    sales.subtotal,
    sales.tax_total,
    sales.total,
    sales.paid,
    sales.change_given,
    sales.idempotency_key,
    sales.created_by,
    sales.voided_at
   FROM commerce.sales;

ALTER TABLE api.sales OWNER TO cimiento_owner;

--
-- Name: VIEW sales; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.sales IS 'Sales of the caller''s branches (status completed | voided). Read-only: sell with /rpc/create_sale, void with /rpc/void_sale.';

--
-- Name: stock_levels; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.stock_levels WITH (security_invoker='true') AS
 SELECT s.tenant_id,
    s.product_id,
    p.sku,
    p.name AS product_name,
    s.location_id,
    l.code AS location_code,
    s.branch_id,
    s.quantity,
    p.reorder_point,
    s.updated_at
   FROM ((commerce.stock_levels s
     JOIN commerce.products p ON (((p.tenant_id = s.tenant_id) AND (p.id = s.product_id))))
     JOIN commerce.locations l ON (((l.tenant_id = s.tenant_id) AND (l.id = s.location_id))));

ALTER TABLE api.stock_levels OWNER TO cimiento_owner;

--
-- Name: VIEW stock_levels; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.stock_levels IS 'Units of each product at each location of the caller''s branches, kept by the database from the ledger. Read-only.';

--
-- Name: students; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.students WITH (security_invoker='true') AS
 SELECT students.tenant_id,
    students.id,
    students.branch_id,
    students.document_id,
    students.first_name,
    students.last_name,
    students.email,
    students.phone,
    students.created_at
   FROM academy.students;

ALTER TABLE api.students OWNER TO cimiento_owner;

--
-- Name: VIEW students; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.students IS 'Students of the caller''s branches. Register one with /rpc/register_student (normalises the document), or many at once with POST /students and a JSON array (students.create in each row''s branch; document_id upper case), or from a spreadsheet with POST /imports.';

--
-- Name: suppliers; Type: TABLE; Schema: commerce; Owner: cimiento_owner
--

CREATE TABLE commerce.suppliers (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    tax_id_country text,
    tax_id text,
    email text,
    phone text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT suppliers_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT suppliers_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT suppliers_phone_format CHECK ((phone ~ '^\+?[0-9 ().-]{6,20}$'::text)),
    CONSTRAINT suppliers_tax_id_country CHECK ((tax_id_country = ANY (ARRAY['ES'::text, 'EC'::text]))),
    CONSTRAINT suppliers_tax_id_normalized CHECK ((tax_id = core.normalize_tax_id(tax_id))),
    CONSTRAINT suppliers_tax_id_valid CHECK (((tax_id IS NULL) OR (core.tax_id_kind(tax_id_country, tax_id) IS NOT NULL)))
);

ALTER TABLE ONLY commerce.suppliers FORCE ROW LEVEL SECURITY;

ALTER TABLE commerce.suppliers OWNER TO cimiento_owner;

--
-- Name: TABLE suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON TABLE commerce.suppliers IS 'Suppliers goods are received from; tax_id validated like customers''.';

--
-- Name: suppliers; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.suppliers WITH (security_invoker='true') AS
 SELECT suppliers.tenant_id,
    suppliers.id,
    suppliers.name,
    suppliers.tax_id_country,
    suppliers.tax_id,
    suppliers.email,
    suppliers.phone,
    suppliers.created_at
   FROM commerce.suppliers;

ALTER TABLE api.suppliers OWNER TO cimiento_owner;

--
-- Name: VIEW suppliers; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.suppliers IS 'Suppliers (inventory.manage to create and change).';

--
-- Name: tenants; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    legal_name text,
    tax_id text,
    address text,
    locale text DEFAULT 'es-ES'::text NOT NULL,
    currency text DEFAULT 'EUR'::text NOT NULL,
    timezone text DEFAULT 'Europe/Madrid'::text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenants_allowed_networks CHECK (core.networks_valid((settings -> 'allowed_networks'::text))),
    CONSTRAINT tenants_currency_format CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT tenants_locale_format CHECK ((locale ~ '^[a-z]{2}(-[A-Z]{2})?$'::text)),
    CONSTRAINT tenants_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT tenants_settings_object CHECK ((jsonb_typeof(settings) = 'object'::text)),
    CONSTRAINT tenants_slug_dns_label CHECK ((slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'::text)),
    CONSTRAINT tenants_slug_not_reserved CHECK ((slug <> ALL (ARRAY['www'::text, 'api'::text, 'app'::text, 'admin'::text, 'auth'::text, 'login'::text, 'mail'::text, 'smtp'::text, 'ftp'::text, 'static'::text, 'assets'::text, 'cdn'::text, 'docs'::text, 'help'::text, 'status'::text, 'support'::text, 'billing'::text, 'dashboard'::text, 'root'::text, 'system'::text, 'test'::text, 'localhost'::text, 'postgrest'::text, 'rest'::text, 'cimiento'::text, 'public'::text, 'internal'::text, 'ns1'::text, 'ns2'::text, 'dev'::text, 'staging'::text]))),
    CONSTRAINT tenants_tax_id_length CHECK (((tax_id IS NULL) OR ((length(tax_id) >= 3) AND (length(tax_id) <= 32))))
);

ALTER TABLE ONLY core.tenants FORCE ROW LEVEL SECURITY;

ALTER TABLE core.tenants OWNER TO cimiento_owner;

--
-- Name: TABLE tenants; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.tenants IS 'Organisations using Cimiento. slug is the subdomain (a DNS label; reserved words refused). Users see only their own tenant.';

--
-- Name: COLUMN tenants.locale; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON COLUMN core.tenants.locale IS 'Language of documents and user-facing texts (default es-ES).';

--
-- Name: COLUMN tenants.settings; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON COLUMN core.tenants.settings IS 'Tenant options, e.g. {"mfa_required_roles": ["admin","manager"]}.';

--
-- Name: tenant; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.tenant WITH (security_invoker='true') AS
 SELECT tenants.id,
    tenants.slug,
    tenants.name,
    tenants.legal_name,
    tenants.tax_id,
    tenants.address,
    tenants.locale,
    tenants.currency,
    tenants.timezone,
    tenants.active,
    tenants.settings,
    tenants.created_at
   FROM core.tenants;

ALTER TABLE api.tenant OWNER TO cimiento_owner;

--
-- Name: VIEW tenant; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.tenant IS 'The caller''s own organisation (one row). PATCH needs tenants.manage.';

--
-- Name: user_roles; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.user_roles (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    branch_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY core.user_roles FORCE ROW LEVEL SECURITY;

ALTER TABLE core.user_roles OWNER TO cimiento_owner;

--
-- Name: TABLE user_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.user_roles IS 'Which roles each user holds; branch_id NULL means in every branch, otherwise only in that branch.';

--
-- Name: user_roles; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.user_roles WITH (security_invoker='true') AS
 SELECT user_roles.tenant_id,
    user_roles.id,
    user_roles.user_id,
    user_roles.role_id,
    user_roles.branch_id,
    user_roles.created_at
   FROM core.user_roles;

ALTER TABLE api.user_roles OWNER TO cimiento_owner;

--
-- Name: VIEW user_roles; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.user_roles IS 'Role assignments; branch_id null = every branch. Writes need users.manage.';

--
-- Name: users; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.users WITH (security_invoker='true') AS
 SELECT users.tenant_id,
    users.id,
    users.email,
    users.full_name,
    users.active,
    users.totp_enabled,
    users.created_at,
    users.last_login_at
   FROM core.users;

ALTER TABLE api.users OWNER TO cimiento_owner;

--
-- Name: VIEW users; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.users IS 'Users of the caller''s tenant (no secrets). Writes need users.manage; passwords are set through the sign-in service.';

--
-- Name: workflow_history; Type: VIEW; Schema: api; Owner: cimiento_owner
--

CREATE VIEW api.workflow_history WITH (security_invoker='true') AS
 SELECT h.tenant_id,
    h.id,
    h.branch_id,
    h.entity,
    h.row_id,
    h.transition,
    h.from_state,
    h.to_state,
    h.reason,
    h.actor_user,
    h.request_id,
    h.created_at
   FROM cimiento.workflow_history h;

ALTER TABLE api.workflow_history OWNER TO cimiento_owner;

--
-- Name: VIEW workflow_history; Type: COMMENT; Schema: api; Owner: cimiento_owner
--

COMMENT ON VIEW api.workflow_history IS 'Every state change of a workflow entity in the caller''s tenant and branches: entity, row_id, transition, from_state, to_state, reason, actor_user, request_id, created_at (e.g. ?entity=eq.enrollments&row_id=eq.<id>&order=created_at).';

--
-- Name: chain_base; Type: TABLE; Schema: audit; Owner: audit_owner
--

CREATE TABLE audit.chain_base (
    tenant_id uuid NOT NULL,
    seq bigint NOT NULL,
    chain_hash bytea NOT NULL,
    max_log_id bigint NOT NULL,
    pruned_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chain_base_hash_sha256 CHECK ((length(chain_hash) = 32))
);

ALTER TABLE ONLY audit.chain_base FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.chain_base OWNER TO audit_owner;

--
-- Name: TABLE chain_base; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON TABLE audit.chain_base IS 'Where a tenant''s chain starts after audit.prune() removed its oldest rows (seq and hash of the last pruned seal).';

--
-- Name: log_id_seq; Type: SEQUENCE; Schema: audit; Owner: audit_owner
--

ALTER TABLE audit.log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: seals; Type: TABLE; Schema: audit; Owner: audit_owner
--

CREATE TABLE audit.seals (
    tenant_id uuid NOT NULL,
    seq bigint NOT NULL,
    log_ids bigint[] NOT NULL,
    row_hashes bytea NOT NULL,
    chain_hash bytea NOT NULL,
    sealed_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT seals_chain_hash_sha256 CHECK ((length(chain_hash) = 32)),
    CONSTRAINT seals_not_empty CHECK ((cardinality(log_ids) > 0)),
    CONSTRAINT seals_row_hashes_sha256 CHECK ((length(row_hashes) = (32 * cardinality(log_ids))))
);

ALTER TABLE ONLY audit.seals FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.seals OWNER TO audit_owner;

--
-- Name: TABLE seals; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON TABLE audit.seals IS 'The per-tenant chain, one seal per sealing run: the batch''s log ids in chain order, their sha256 row hashes concatenated, and chain_hash(n) = sha256(chain_hash(n-1) || row_hashes || n). Append-only.';

--
-- Name: document_render_failures; Type: TABLE; Schema: billing; Owner: cimiento_owner
--

CREATE TABLE billing.document_render_failures (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    invoice_id uuid NOT NULL,
    attempts integer NOT NULL,
    last_error text NOT NULL,
    first_failed_at timestamp with time zone DEFAULT now() NOT NULL,
    last_failed_at timestamp with time zone DEFAULT now() NOT NULL,
    next_attempt_at timestamp with time zone,
    CONSTRAINT document_render_failures_attempts CHECK ((attempts > 0))
);

ALTER TABLE ONLY billing.document_render_failures FORCE ROW LEVEL SECURITY;

ALTER TABLE billing.document_render_failures OWNER TO cimiento_owner;

--
-- Name: TABLE document_render_failures; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON TABLE billing.document_render_failures IS 'Issued documents whose PDF could not be rendered: attempts, the last reason (for operators, never shown to callers) and when the next attempt is due (NULL: gave up after billing.render_max_attempts(); a DBA retries with billing.retry_document_render). The row goes away when the PDF is stored.';

--
-- Name: COLUMN document_render_failures.next_attempt_at; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON COLUMN billing.document_render_failures.next_attempt_at IS 'When the api may try again (NULL: no more automatic attempts).';

--
-- Name: invoice_documents; Type: TABLE; Schema: billing; Owner: cimiento_owner
--

CREATE TABLE billing.invoice_documents (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    invoice_id uuid NOT NULL,
    branch_id uuid NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    size_bytes integer NOT NULL,
    renderer_version text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invoice_documents_is_pdf CHECK ((substr(content, 1, 5) = '\x255044462d'::bytea)),
    CONSTRAINT invoice_documents_sha256_hex CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT invoice_documents_size CHECK ((size_bytes = length(content)))
);

ALTER TABLE ONLY billing.invoice_documents FORCE ROW LEVEL SECURITY;

ALTER TABLE billing.invoice_documents OWNER TO cimiento_owner;

--
-- Name: TABLE invoice_documents; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON TABLE billing.invoice_documents IS 'The PDF of each issued invoice or credit note, rendered once and then served byte for byte; sha256 is its ETag. Never changed (the audit trail records its sha256; the bytes themselves are not copied into the log).';

--
-- Name: inventory_movements_seq_seq; Type: SEQUENCE; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.inventory_movements ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME commerce.inventory_movements_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: builtin_role_permissions; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.builtin_role_permissions (
    role_name text NOT NULL,
    permission text NOT NULL,
    CONSTRAINT builtin_role_permissions_pattern CHECK (((permission = '*'::text) OR (permission ~ '^[a-z][a-z_]*\.([a-z][a-z_]*|\*)$'::text)))
);

ALTER TABLE core.builtin_role_permissions OWNER TO cimiento_owner;

--
-- Name: TABLE builtin_role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.builtin_role_permissions IS 'Permission patterns of the built-in roles.';

--
-- Name: builtin_roles; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.builtin_roles (
    name text NOT NULL,
    description text NOT NULL
);

ALTER TABLE core.builtin_roles OWNER TO cimiento_owner;

--
-- Name: TABLE builtin_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.builtin_roles IS 'Roles every tenant starts with (copied into core.roles when a tenant is created).';

--
-- Name: db_logins; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.db_logins (
    tenant_id uuid NOT NULL,
    login_role text NOT NULL,
    user_id uuid,
    roles text[] DEFAULT '{analyst}'::text[] NOT NULL,
    branch_ids uuid[],
    active boolean DEFAULT true NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY core.db_logins FORCE ROW LEVEL SECURITY;

ALTER TABLE core.db_logins OWNER TO cimiento_owner;

--
-- Name: TABLE db_logins; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.db_logins IS 'Direct SQL logins (analysts in psql, BI tools): the tenant, roles and branches (NULL = all) of each PostgreSQL login. Claims set by such a login are ignored.';

--
-- Name: events; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.events (
    tenant_id uuid NOT NULL,
    seq bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    kind text NOT NULL,
    entity text NOT NULL,
    row_id uuid NOT NULL,
    branch_id uuid,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT events_kind CHECK ((kind ~ '^[a-z_]+\.[a-z_]+$'::text))
);

ALTER TABLE ONLY core.events FORCE ROW LEVEL SECURITY;

ALTER TABLE core.events OWNER TO cimiento_owner;

--
-- Name: TABLE events; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.events IS 'The outbox of what happened (proposal.created, proposal.approved, policy.overdue, payment.created, payment.reversed…), written by core.emit_event in the transaction of the change and announced with NOTIFY cimiento_events (tenant:seq). A caller sees an event only if they can see the row it is about (entity, row_id) — its policy asks that table as the caller. Kept a day (core.prune_events); the api streams them at GET /events.';

--
-- Name: events_seq_seq; Type: SEQUENCE; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME core.events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: refresh_tokens; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.refresh_tokens (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    issued_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    rotated_at timestamp with time zone,
    replaced_by uuid,
    CONSTRAINT refresh_tokens_hash_sha256 CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY core.refresh_tokens FORCE ROW LEVEL SECURITY;

ALTER TABLE core.refresh_tokens OWNER TO cimiento_owner;

--
-- Name: TABLE refresh_tokens; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.refresh_tokens IS 'Refresh tokens of a session (its family), stored as sha256. Each is used once: refreshing rotates it; reusing a rotated one after the grace window revokes the session.';

--
-- Name: sessions; Type: TABLE; Schema: core; Owner: cimiento_owner
--

CREATE TABLE core.sessions (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    device_name text,
    ip text,
    user_agent text,
    amr text[] DEFAULT '{pwd}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason text,
    CONSTRAINT sessions_device_name_length CHECK ((length(device_name) <= 200))
);

ALTER TABLE ONLY core.sessions FORCE ROW LEVEL SECURITY;

ALTER TABLE core.sessions OWNER TO cimiento_owner;

--
-- Name: TABLE sessions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON TABLE core.sessions IS 'Sign-in sessions, one per device (the sid claim). Revoking one stops its tokens at the next request.';

--
-- Name: batch_identities; Type: TABLE; Schema: imports; Owner: cimiento_owner
--

CREATE TABLE imports.batch_identities (
    tenant_id uuid NOT NULL,
    batch_id uuid NOT NULL,
    claims jsonb NOT NULL
);

ALTER TABLE ONLY imports.batch_identities FORCE ROW LEVEL SECURITY;

ALTER TABLE imports.batch_identities OWNER TO cimiento_owner;

--
-- Name: TABLE batch_identities; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON TABLE imports.batch_identities IS 'The verified claims of a batch''s creator, kept so the background validation and promotion act as them. No API role reads it; imports.next_work hands them to the api''s login only.';

--
-- Name: agency_roles; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.agency_roles (
    role_name text NOT NULL,
    permission text NOT NULL,
    description text NOT NULL
);

ALTER TABLE insurance.agency_roles OWNER TO cimiento_owner;

--
-- Name: TABLE agency_roles; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.agency_roles IS 'The roles an agency tenant starts with and their permissions (reference data): gerente (manager), auxiliar (office clerk; its permissions are the tenant''s to change), cobrador (collector), vendedor (seller, also collects), ajustador (adjuster). insurance.setup_agency copies them into a tenant.';

--
-- Name: policy_series; Type: TABLE; Schema: insurance; Owner: cimiento_owner
--

CREATE TABLE insurance.policy_series (
    tenant_id uuid DEFAULT cimiento.current_tenant() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    format text DEFAULT '{code}-{number:06}'::text NOT NULL,
    next_number bigint DEFAULT 1 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT policy_series_code CHECK ((code ~ '^[A-Z0-9][A-Z0-9_-]{0,15}$'::text)),
    CONSTRAINT policy_series_format CHECK ((format ~ '\{number(:0[0-9]+)?\}'::text)),
    CONSTRAINT policy_series_next_number CHECK ((next_number >= 1))
);

ALTER TABLE ONLY insurance.policy_series FORCE ROW LEVEL SECURITY;

ALTER TABLE insurance.policy_series OWNER TO cimiento_owner;

--
-- Name: TABLE policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON TABLE insurance.policy_series IS 'Series of policy numbers: each issued policy takes the next number of its series gaplessly (cimiento.enable_numbering); series POL opens itself with format POL-000001.';

--
-- Name: extension_scripts; Type: TABLE; Schema: meta; Owner: cimiento_owner
--

CREATE TABLE meta.extension_scripts (
    version text NOT NULL,
    sha256 text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE meta.extension_scripts OWNER TO cimiento_owner;

--
-- Name: TABLE extension_scripts; Type: COMMENT; Schema: meta; Owner: cimiento_owner
--

COMMENT ON TABLE meta.extension_scripts IS 'sha256 of the cimiento extension script of each installed version: the SQL of a version must never change.';

--
-- Name: migrations; Type: TABLE; Schema: meta; Owner: cimiento_owner
--

CREATE TABLE meta.migrations (
    filename text NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_by text DEFAULT CURRENT_USER NOT NULL,
    CONSTRAINT migrations_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE meta.migrations OWNER TO cimiento_owner;

--
-- Name: TABLE migrations; Type: COMMENT; Schema: meta; Owner: cimiento_owner
--

COMMENT ON TABLE meta.migrations IS 'Applied migrations (file name and sha256). Append-only: an applied file must never change.';

--
-- Name: attendance_by_course_day_id_seq; Type: SEQUENCE; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE reports.attendance_by_course_day ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME reports.attendance_by_course_day_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: collected_by_month_id_seq; Type: SEQUENCE; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE reports.collected_by_month ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME reports.collected_by_month_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: sale_lines_net; Type: VIEW; Schema: reports; Owner: cimiento_owner
--

CREATE VIEW reports.sale_lines_net WITH (security_invoker='true') AS
 SELECT l.tenant_id,
    l.branch_id,
    s.sold_on,
    l.sale_id,
    l.line_no,
    l.product_id,
    p.sku,
    p.name AS product_name,
    p.category_id,
    s.customer_id,
    (l.quantity - COALESCE(r.returned, (0)::numeric)) AS quantity,
    l.unit_price,
    l.unit_cost,
    round(((l.quantity - COALESCE(r.returned, (0)::numeric)) * l.unit_price), 2) AS revenue,
    round(((l.quantity - COALESCE(r.returned, (0)::numeric)) * l.unit_cost), 2) AS cost
   FROM (((commerce.sale_lines l
     JOIN commerce.sales s ON (((s.tenant_id = l.tenant_id) AND (s.id = l.sale_id) AND (s.status = 'completed'::text))))
     JOIN commerce.products p ON (((p.tenant_id = l.tenant_id) AND (p.id = l.product_id))))
     LEFT JOIN ( SELECT rl.tenant_id,
            rl.sale_id,
            rl.sale_line_no,
            sum(rl.quantity) AS returned
           FROM commerce.return_lines rl
          GROUP BY rl.tenant_id, rl.sale_id, rl.sale_line_no) r ON (((r.tenant_id = l.tenant_id) AND (r.sale_id = l.sale_id) AND (r.sale_line_no = l.line_no))));

ALTER TABLE reports.sale_lines_net OWNER TO cimiento_owner;

--
-- Name: VIEW sale_lines_net; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON VIEW reports.sale_lines_net IS 'Every line of completed (not voided) sales, net of returns: quantity, revenue (net of tax) and cost (average cost at the time of sale), with the sale''s day, branch, customer and the product''s category. The base of the sales reports.';

--
-- Name: sold_by_day_id_seq; Type: SEQUENCE; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE reports.sold_by_day ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME reports.sold_by_day_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: attendance attendance_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.attendance
    ADD CONSTRAINT attendance_pkey PRIMARY KEY (tenant_id, course_id, student_id, date);

--
-- Name: courses courses_branch_key; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.courses
    ADD CONSTRAINT courses_branch_key UNIQUE (tenant_id, id, branch_id);

--
-- Name: courses courses_code_key; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.courses
    ADD CONSTRAINT courses_code_key UNIQUE (tenant_id, code);

--
-- Name: courses courses_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.courses
    ADD CONSTRAINT courses_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: enrollment_invoices enrollment_invoices_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollment_invoices
    ADD CONSTRAINT enrollment_invoices_pkey PRIMARY KEY (tenant_id, invoice_id);

--
-- Name: enrollments enrollments_branch_key; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollments
    ADD CONSTRAINT enrollments_branch_key UNIQUE (tenant_id, id, branch_id);

--
-- Name: enrollments enrollments_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollments
    ADD CONSTRAINT enrollments_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: enrollments enrollments_student_course_key; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollments
    ADD CONSTRAINT enrollments_student_course_key UNIQUE (tenant_id, student_id, course_id);

--
-- Name: financial_status financial_status_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.financial_status
    ADD CONSTRAINT financial_status_pkey PRIMARY KEY (tenant_id, enrollment_id);

--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: students students_document_key; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.students
    ADD CONSTRAINT students_document_key UNIQUE (tenant_id, document_id);

--
-- Name: students students_pkey; Type: CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.students
    ADD CONSTRAINT students_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: chain_base chain_base_pkey; Type: CONSTRAINT; Schema: audit; Owner: audit_owner
--

ALTER TABLE ONLY audit.chain_base
    ADD CONSTRAINT chain_base_pkey PRIMARY KEY (tenant_id);

--
-- Name: log log_pkey; Type: CONSTRAINT; Schema: audit; Owner: audit_owner
--

ALTER TABLE ONLY audit.log
    ADD CONSTRAINT log_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: sealed_txids sealed_txids_pkey; Type: CONSTRAINT; Schema: audit; Owner: audit_owner
--

ALTER TABLE ONLY audit.sealed_txids
    ADD CONSTRAINT sealed_txids_pkey PRIMARY KEY (txid);

--
-- Name: sealer_state sealer_state_pkey; Type: CONSTRAINT; Schema: audit; Owner: audit_owner
--

ALTER TABLE ONLY audit.sealer_state
    ADD CONSTRAINT sealer_state_pkey PRIMARY KEY (singleton);

--
-- Name: seals seals_pkey; Type: CONSTRAINT; Schema: audit; Owner: audit_owner
--

ALTER TABLE ONLY audit.seals
    ADD CONSTRAINT seals_pkey PRIMARY KEY (tenant_id, seq);

--
-- Name: document_render_failures document_render_failures_pkey; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.document_render_failures
    ADD CONSTRAINT document_render_failures_pkey PRIMARY KEY (tenant_id, invoice_id);

--
-- Name: invoice_documents invoice_documents_pkey; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_documents
    ADD CONSTRAINT invoice_documents_pkey PRIMARY KEY (tenant_id, invoice_id);

--
-- Name: invoice_items invoice_items_pkey; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_items
    ADD CONSTRAINT invoice_items_pkey PRIMARY KEY (tenant_id, invoice_id, line_no);

--
-- Name: invoice_series invoice_series_code_year_key; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_series
    ADD CONSTRAINT invoice_series_code_year_key UNIQUE (tenant_id, code, kind, fiscal_year);

--
-- Name: invoice_series invoice_series_pkey; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_series
    ADD CONSTRAINT invoice_series_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: invoices invoices_branch_key; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_branch_key UNIQUE (tenant_id, id, branch_id);

--
-- Name: invoices invoices_idempotency_key; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_idempotency_key UNIQUE (tenant_id, idempotency_key);

--
-- Name: invoices invoices_number_key; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_number_key UNIQUE (tenant_id, series_id, number);

--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: categories categories_name_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.categories
    ADD CONSTRAINT categories_name_key UNIQUE NULLS NOT DISTINCT (tenant_id, parent_id, name);

--
-- Name: categories categories_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.categories
    ADD CONSTRAINT categories_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: customer_stats customer_stats_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.customer_stats
    ADD CONSTRAINT customer_stats_pkey PRIMARY KEY (tenant_id, customer_id);

--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: customers customers_tax_id_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.customers
    ADD CONSTRAINT customers_tax_id_key UNIQUE (tenant_id, tax_id);

--
-- Name: inventory_movements inventory_movements_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.inventory_movements
    ADD CONSTRAINT inventory_movements_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: locations locations_branch_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.locations
    ADD CONSTRAINT locations_branch_key UNIQUE (tenant_id, id, branch_id);

--
-- Name: locations locations_code_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.locations
    ADD CONSTRAINT locations_code_key UNIQUE (tenant_id, code);

--
-- Name: locations locations_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.locations
    ADD CONSTRAINT locations_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: product_costs product_costs_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.product_costs
    ADD CONSTRAINT product_costs_pkey PRIMARY KEY (tenant_id, product_id);

--
-- Name: products products_barcode_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_barcode_key UNIQUE (tenant_id, barcode);

--
-- Name: products products_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: products products_sku_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_sku_key UNIQUE (tenant_id, sku);

--
-- Name: receipts receipts_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.receipts
    ADD CONSTRAINT receipts_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: return_lines return_lines_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.return_lines
    ADD CONSTRAINT return_lines_pkey PRIMARY KEY (tenant_id, return_id, sale_line_no);

--
-- Name: returns returns_branch_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.returns
    ADD CONSTRAINT returns_branch_key UNIQUE (tenant_id, id, branch_id);

--
-- Name: returns returns_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.returns
    ADD CONSTRAINT returns_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: sale_lines sale_lines_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sale_lines
    ADD CONSTRAINT sale_lines_pkey PRIMARY KEY (tenant_id, sale_id, line_no);

--
-- Name: sale_payments sale_payments_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sale_payments
    ADD CONSTRAINT sale_payments_pkey PRIMARY KEY (tenant_id, sale_id, line_no);

--
-- Name: sales sales_branch_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_branch_key UNIQUE (tenant_id, id, branch_id);

--
-- Name: sales sales_idempotency_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_idempotency_key UNIQUE (tenant_id, idempotency_key);

--
-- Name: sales sales_invoice_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_invoice_key UNIQUE (tenant_id, invoice_id);

--
-- Name: sales sales_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: stock_levels stock_levels_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.stock_levels
    ADD CONSTRAINT stock_levels_pkey PRIMARY KEY (tenant_id, product_id, location_id);

--
-- Name: suppliers suppliers_pkey; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.suppliers
    ADD CONSTRAINT suppliers_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: suppliers suppliers_tax_id_key; Type: CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.suppliers
    ADD CONSTRAINT suppliers_tax_id_key UNIQUE (tenant_id, tax_id);

--
-- Name: branches branches_code_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.branches
    ADD CONSTRAINT branches_code_key UNIQUE (tenant_id, code);

--
-- Name: branches branches_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.branches
    ADD CONSTRAINT branches_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: builtin_role_permissions builtin_role_permissions_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.builtin_role_permissions
    ADD CONSTRAINT builtin_role_permissions_pkey PRIMARY KEY (role_name, permission);

--
-- Name: builtin_roles builtin_roles_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.builtin_roles
    ADD CONSTRAINT builtin_roles_pkey PRIMARY KEY (name);

--
-- Name: db_logins db_logins_login_role_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.db_logins
    ADD CONSTRAINT db_logins_login_role_key UNIQUE (login_role);

--
-- Name: db_logins db_logins_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.db_logins
    ADD CONSTRAINT db_logins_pkey PRIMARY KEY (tenant_id, login_role);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (tenant_id, seq);

--
-- Name: permissions permissions_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.permissions
    ADD CONSTRAINT permissions_pkey PRIMARY KEY (code);

--
-- Name: refresh_tokens refresh_tokens_hash_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.refresh_tokens
    ADD CONSTRAINT refresh_tokens_hash_key UNIQUE (tenant_id, token_hash);

--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: role_permissions role_permissions_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.role_permissions
    ADD CONSTRAINT role_permissions_pkey PRIMARY KEY (tenant_id, role_id, permission);

--
-- Name: roles roles_name_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.roles
    ADD CONSTRAINT roles_name_key UNIQUE (tenant_id, name);

--
-- Name: roles roles_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

--
-- Name: tenants tenants_slug_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

--
-- Name: user_roles user_roles_assignment_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.user_roles
    ADD CONSTRAINT user_roles_assignment_key UNIQUE NULLS NOT DISTINCT (tenant_id, user_id, role_id, branch_id);

--
-- Name: user_roles user_roles_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.user_roles
    ADD CONSTRAINT user_roles_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.users
    ADD CONSTRAINT users_email_key UNIQUE (tenant_id, email_key);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: batch_identities batch_identities_pkey; Type: CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.batch_identities
    ADD CONSTRAINT batch_identities_pkey PRIMARY KEY (tenant_id, batch_id);

--
-- Name: batches batches_pkey; Type: CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.batches
    ADD CONSTRAINT batches_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: lineage lineage_pkey; Type: CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.lineage
    ADD CONSTRAINT lineage_pkey PRIMARY KEY (tenant_id, batch_id, row_no);

--
-- Name: rows rows_pkey; Type: CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.rows
    ADD CONSTRAINT rows_pkey PRIMARY KEY (tenant_id, batch_id, row_no);

--
-- Name: targets targets_pkey; Type: CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.targets
    ADD CONSTRAINT targets_pkey PRIMARY KEY (name);

--
-- Name: agency_roles agency_roles_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.agency_roles
    ADD CONSTRAINT agency_roles_pkey PRIMARY KEY (role_name, permission);

--
-- Name: clients clients_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.clients
    ADD CONSTRAINT clients_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: clients clients_rfc_unique; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.clients
    ADD CONSTRAINT clients_rfc_unique UNIQUE (tenant_id, rfc);

--
-- Name: collection_proposals collection_proposals_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.collection_proposals
    ADD CONSTRAINT collection_proposals_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: coverage_prices coverage_prices_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.coverage_prices
    ADD CONSTRAINT coverage_prices_pkey PRIMARY KEY (tenant_id, coverage_id, payment_plan);

--
-- Name: coverages coverages_code_unique; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.coverages
    ADD CONSTRAINT coverages_code_unique UNIQUE (tenant_id, code);

--
-- Name: coverages coverages_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.coverages
    ADD CONSTRAINT coverages_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: instalments instalments_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.instalments
    ADD CONSTRAINT instalments_pkey PRIMARY KEY (tenant_id, policy_id, no);

--
-- Name: payment_plans payment_plans_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payment_plans
    ADD CONSTRAINT payment_plans_pkey PRIMARY KEY (code);

--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: payments payments_reverse_once; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_reverse_once UNIQUE (tenant_id, reverses_id);

--
-- Name: policies policies_number_unique; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_number_unique UNIQUE (tenant_id, series_id, number);

--
-- Name: policies policies_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: policies policies_renewed_once; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_renewed_once UNIQUE (tenant_id, renewed_from);

--
-- Name: policy_series policy_series_code_unique; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policy_series
    ADD CONSTRAINT policy_series_code_unique UNIQUE (tenant_id, code);

--
-- Name: policy_series policy_series_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policy_series
    ADD CONSTRAINT policy_series_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: receipt_lots receipt_lots_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipt_lots
    ADD CONSTRAINT receipt_lots_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: receipts receipts_number_unique; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipts
    ADD CONSTRAINT receipts_number_unique UNIQUE (tenant_id, number);

--
-- Name: receipts receipts_pkey; Type: CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipts
    ADD CONSTRAINT receipts_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: extension_scripts extension_scripts_pkey; Type: CONSTRAINT; Schema: meta; Owner: cimiento_owner
--

ALTER TABLE ONLY meta.extension_scripts
    ADD CONSTRAINT extension_scripts_pkey PRIMARY KEY (version);

--
-- Name: migrations migrations_pkey; Type: CONSTRAINT; Schema: meta; Owner: cimiento_owner
--

ALTER TABLE ONLY meta.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (filename);

--
-- Name: attendance_by_course_day attendance_by_course_day_pkey; Type: CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.attendance_by_course_day
    ADD CONSTRAINT attendance_by_course_day_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: collected_by_month collected_by_month_pkey; Type: CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.collected_by_month
    ADD CONSTRAINT collected_by_month_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: sold_by_day sold_by_day_pkey; Type: CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.sold_by_day
    ADD CONSTRAINT sold_by_day_pkey PRIMARY KEY (tenant_id, id);

--
-- Name: enrollment_invoices_enrollment_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX enrollment_invoices_enrollment_idx ON academy.enrollment_invoices USING btree (tenant_id, enrollment_id);

--
-- Name: enrollments_course_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX enrollments_course_idx ON academy.enrollments USING btree (tenant_id, course_id) WHERE (status = 'active'::text);

--
-- Name: enrollments_recent_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX enrollments_recent_idx ON academy.enrollments USING btree (tenant_id, enrolled_at DESC);

--
-- Name: financial_status_open_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX financial_status_open_idx ON academy.financial_status USING btree (tenant_id, branch_id, due_date) WHERE (amount_due > paid);

--
-- Name: financial_status_outstanding_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX financial_status_outstanding_idx ON academy.financial_status USING btree (tenant_id, due_date) INCLUDE (branch_id, amount_due, paid) WHERE ((amount_due > paid) AND (NOT withdrawn));

--
-- Name: payments_branch_month_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX payments_branch_month_idx ON academy.payments USING btree (tenant_id, branch_id, paid_at) INCLUDE (amount);

--
-- Name: payments_enrollment_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX payments_enrollment_idx ON academy.payments USING btree (tenant_id, enrollment_id);

--
-- Name: payments_recent_idx; Type: INDEX; Schema: academy; Owner: cimiento_owner
--

CREATE INDEX payments_recent_idx ON academy.payments USING btree (tenant_id, paid_at DESC);

--
-- Name: log_actor_idx; Type: INDEX; Schema: audit; Owner: audit_owner
--

CREATE INDEX log_actor_idx ON audit.log USING btree (tenant_id, actor_user, id) WHERE (actor_user IS NOT NULL);

--
-- Name: log_created_brin; Type: INDEX; Schema: audit; Owner: audit_owner
--

CREATE INDEX log_created_brin ON audit.log USING brin (created_at);

--
-- Name: log_row_history_idx; Type: INDEX; Schema: audit; Owner: audit_owner
--

CREATE INDEX log_row_history_idx ON audit.log USING btree (tenant_id, row_key);

--
-- Name: log_txid_brin; Type: INDEX; Schema: audit; Owner: audit_owner
--

CREATE INDEX log_txid_brin ON audit.log USING brin (txid);

--
-- Name: invoices_corrects_idx; Type: INDEX; Schema: billing; Owner: cimiento_owner
--

CREATE INDEX invoices_corrects_idx ON billing.invoices USING btree (tenant_id, corrects_invoice_id) WHERE (corrects_invoice_id IS NOT NULL);

--
-- Name: invoices_issue_date_idx; Type: INDEX; Schema: billing; Owner: cimiento_owner
--

CREATE INDEX invoices_issue_date_idx ON billing.invoices USING btree (tenant_id, issue_date);

--
-- Name: invoices_series_idx; Type: INDEX; Schema: billing; Owner: cimiento_owner
--

CREATE INDEX invoices_series_idx ON billing.invoices USING btree (tenant_id, series_code, fiscal_year, number);

--
-- Name: customers_name_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX customers_name_idx ON commerce.customers USING btree (tenant_id, lower(name) text_pattern_ops);

--
-- Name: inventory_movements_product_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX inventory_movements_product_idx ON commerce.inventory_movements USING btree (tenant_id, product_id, seq);

--
-- Name: inventory_movements_source_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX inventory_movements_source_idx ON commerce.inventory_movements USING btree (tenant_id, source_id) WHERE (source_id IS NOT NULL);

--
-- Name: locations_one_default_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE UNIQUE INDEX locations_one_default_idx ON commerce.locations USING btree (tenant_id, branch_id) WHERE is_default;

--
-- Name: products_category_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX products_category_idx ON commerce.products USING btree (tenant_id, category_id);

--
-- Name: return_lines_sale_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX return_lines_sale_idx ON commerce.return_lines USING btree (tenant_id, sale_id, sale_line_no);

--
-- Name: returns_sale_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX returns_sale_idx ON commerce.returns USING btree (tenant_id, sale_id);

--
-- Name: sale_lines_product_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX sale_lines_product_idx ON commerce.sale_lines USING btree (tenant_id, product_id);

--
-- Name: sales_customer_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX sales_customer_idx ON commerce.sales USING btree (tenant_id, customer_id) WHERE (customer_id IS NOT NULL);

--
-- Name: sales_sold_on_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX sales_sold_on_idx ON commerce.sales USING btree (tenant_id, sold_on, branch_id);

--
-- Name: stock_levels_location_idx; Type: INDEX; Schema: commerce; Owner: cimiento_owner
--

CREATE INDEX stock_levels_location_idx ON commerce.stock_levels USING btree (tenant_id, location_id);

--
-- Name: events_seq_idx; Type: INDEX; Schema: core; Owner: cimiento_owner
--

CREATE UNIQUE INDEX events_seq_idx ON core.events USING btree (seq);

--
-- Name: sessions_user_idx; Type: INDEX; Schema: core; Owner: cimiento_owner
--

CREATE INDEX sessions_user_idx ON core.sessions USING btree (tenant_id, user_id);

--
-- Name: batches_work_idx; Type: INDEX; Schema: imports; Owner: cimiento_owner
--

CREATE INDEX batches_work_idx ON imports.batches USING btree (lease_until) WHERE (status = ANY (ARRAY['validating'::text, 'promoting'::text]));

--
-- Name: lineage_target_idx; Type: INDEX; Schema: imports; Owner: cimiento_owner
--

CREATE INDEX lineage_target_idx ON imports.lineage USING btree (tenant_id, target_id);

--
-- Name: clients_search_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX clients_search_idx ON insurance.clients USING gin (search_text public.gin_trgm_ops);

--
-- Name: clients_seller_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX clients_seller_idx ON insurance.clients USING btree (tenant_id, seller_id) WHERE (seller_id IS NOT NULL);

--
-- Name: instalments_due_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX instalments_due_idx ON insurance.instalments USING btree (tenant_id, due_on) WHERE (status <> 'paid'::text);

--
-- Name: payments_collector_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX payments_collector_idx ON insurance.payments USING btree (tenant_id, collector_id, paid_on);

--
-- Name: payments_policy_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX payments_policy_idx ON insurance.payments USING btree (tenant_id, policy_id, instalment_no);

--
-- Name: payments_proposal_once_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE UNIQUE INDEX payments_proposal_once_idx ON insurance.payments USING btree (tenant_id, proposal_id) WHERE ((proposal_id IS NOT NULL) AND (amount > (0)::numeric));

--
-- Name: payments_receipt_once_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE UNIQUE INDEX payments_receipt_once_idx ON insurance.payments USING btree (tenant_id, receipt_id) WHERE ((receipt_id IS NOT NULL) AND (amount > (0)::numeric));

--
-- Name: policies_client_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX policies_client_idx ON insurance.policies USING btree (tenant_id, client_id);

--
-- Name: policies_seller_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX policies_seller_idx ON insurance.policies USING btree (tenant_id, seller_id);

--
-- Name: policies_status_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX policies_status_idx ON insurance.policies USING btree (tenant_id, status, ends_on);

--
-- Name: proposals_collector_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX proposals_collector_idx ON insurance.collection_proposals USING btree (tenant_id, collector_id, status);

--
-- Name: proposals_receipt_once_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE UNIQUE INDEX proposals_receipt_once_idx ON insurance.collection_proposals USING btree (tenant_id, receipt_id) WHERE (status <> 'rejected'::text);

--
-- Name: receipts_collector_idx; Type: INDEX; Schema: insurance; Owner: cimiento_owner
--

CREATE INDEX receipts_collector_idx ON insurance.receipts USING btree (tenant_id, collector_id, status);

--
-- Name: attendance_by_course_day_course_idx; Type: INDEX; Schema: reports; Owner: cimiento_owner
--

CREATE INDEX attendance_by_course_day_course_idx ON reports.attendance_by_course_day USING btree (tenant_id, course_id, date) INCLUDE (branch_id, records, counted, attended);

--
-- Name: collected_by_month_month_idx; Type: INDEX; Schema: reports; Owner: cimiento_owner
--

CREATE INDEX collected_by_month_month_idx ON reports.collected_by_month USING btree (tenant_id, month, branch_id) INCLUDE (payments, collected);

--
-- Name: sold_by_day_day_idx; Type: INDEX; Schema: reports; Owner: cimiento_owner
--

CREATE INDEX sold_by_day_day_idx ON reports.sold_by_day USING btree (tenant_id, day, branch_id, product_id) INCLUDE (sales, lines, units, revenue, cost);

--
-- Name: attendance attendance_check_enrolled; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER attendance_check_enrolled BEFORE INSERT OR UPDATE ON academy.attendance FOR EACH ROW EXECUTE FUNCTION academy.attendance_check_enrolled();

--
-- Name: attendance attendance_summary_delete; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER attendance_summary_delete AFTER DELETE ON academy.attendance REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.attendance_by_course_day_apply();

--
-- Name: attendance attendance_summary_insert; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER attendance_summary_insert AFTER INSERT ON academy.attendance REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.attendance_by_course_day_apply();

--
-- Name: attendance attendance_summary_update; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER attendance_summary_update AFTER UPDATE ON academy.attendance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.attendance_by_course_day_apply();

--
-- Name: attendance cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.attendance FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: courses cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.courses FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: enrollment_invoices cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.enrollment_invoices FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: enrollments cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.enrollments FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: financial_status cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.financial_status FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: payments cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.payments FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: students cimiento_audit; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON academy.students FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: attendance cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.attendance FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: courses cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.courses FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: enrollment_invoices cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.enrollment_invoices FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: enrollments cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.enrollments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: financial_status cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.financial_status FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: payments cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.payments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: students cimiento_audit_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON academy.students FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: courses cimiento_workflow; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON academy.courses FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: enrollments cimiento_workflow; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON academy.enrollments FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: courses cimiento_workflow_history; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON academy.courses FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: enrollments cimiento_workflow_history; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON academy.enrollments FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: enrollments enrollments_mark_withdrawn; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER enrollments_mark_withdrawn AFTER UPDATE OF status ON academy.enrollments FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION academy.enrollments_mark_withdrawn();

--
-- Name: enrollments enrollments_open_account; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER enrollments_open_account AFTER INSERT ON academy.enrollments FOR EACH ROW EXECUTE FUNCTION academy.enrollments_open_account();

--
-- Name: payments payments_apply; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER payments_apply BEFORE INSERT ON academy.payments FOR EACH ROW EXECUTE FUNCTION academy.payments_apply();

--
-- Name: payments payments_collected_delete; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER payments_collected_delete AFTER DELETE ON academy.payments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.collected_by_month_apply();

--
-- Name: payments payments_collected_insert; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER payments_collected_insert AFTER INSERT ON academy.payments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.collected_by_month_apply();

--
-- Name: payments payments_collected_update; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER payments_collected_update AFTER UPDATE ON academy.payments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.collected_by_month_apply();

--
-- Name: payments payments_immutable; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER payments_immutable BEFORE DELETE OR UPDATE ON academy.payments FOR EACH ROW EXECUTE FUNCTION core.refuse_change('payments cannot be changed or deleted');

--
-- Name: payments payments_no_truncate; Type: TRIGGER; Schema: academy; Owner: cimiento_owner
--

CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON academy.payments FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('payments cannot be truncated');

--
-- Name: log log_append_only; Type: TRIGGER; Schema: audit; Owner: audit_owner
--

CREATE TRIGGER log_append_only BEFORE DELETE OR UPDATE ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

--
-- Name: log log_no_truncate; Type: TRIGGER; Schema: audit; Owner: audit_owner
--

CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON audit.log FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: seals seals_append_only; Type: TRIGGER; Schema: audit; Owner: audit_owner
--

CREATE TRIGGER seals_append_only BEFORE DELETE OR UPDATE ON audit.seals FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

--
-- Name: seals seals_no_truncate; Type: TRIGGER; Schema: audit; Owner: audit_owner
--

CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON audit.seals FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: document_render_failures cimiento_audit; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON billing.document_render_failures FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_documents cimiento_audit; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoice_documents FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_items cimiento_audit; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoice_items FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_series cimiento_audit; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoice_series FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row('next_number', 'last_issue_date');

--
-- Name: invoices cimiento_audit; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: document_render_failures cimiento_audit_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON billing.document_render_failures FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_documents cimiento_audit_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON billing.invoice_documents FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_items cimiento_audit_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON billing.invoice_items FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_series cimiento_audit_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON billing.invoice_series FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoices cimiento_audit_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON billing.invoices FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: invoice_documents invoice_documents_immutable; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoice_documents_immutable BEFORE DELETE OR UPDATE ON billing.invoice_documents FOR EACH ROW EXECUTE FUNCTION core.refuse_change('stored documents cannot be changed or deleted');

--
-- Name: invoice_documents invoice_documents_no_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoice_documents_no_truncate BEFORE TRUNCATE ON billing.invoice_documents FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('stored documents cannot be truncated');

--
-- Name: invoice_items invoice_items_guard_issued; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoice_items_guard_issued BEFORE INSERT OR DELETE OR UPDATE ON billing.invoice_items FOR EACH ROW EXECUTE FUNCTION billing.invoice_items_guard_issued();

--
-- Name: invoice_items invoice_items_no_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoice_items_no_truncate BEFORE TRUNCATE ON billing.invoice_items FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('invoice lines cannot be truncated: issued documents are immutable');

--
-- Name: invoices invoices_guard_issued; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoices_guard_issued AFTER DELETE OR UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.invoices_guard_issued();

--
-- Name: invoices invoices_no_truncate; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON billing.invoices FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_change('invoices cannot be truncated: issued documents are immutable');

--
-- Name: invoices invoices_number_at_commit; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE CONSTRAINT TRIGGER invoices_number_at_commit AFTER INSERT OR UPDATE OF status ON billing.invoices DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cimiento.number_at_commit();

--
-- Name: invoices invoices_on_issue; Type: TRIGGER; Schema: billing; Owner: cimiento_owner
--

CREATE TRIGGER invoices_on_issue BEFORE INSERT OR UPDATE OF status ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.invoices_on_issue();

--
-- Name: categories categories_no_cycle; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER categories_no_cycle BEFORE INSERT OR UPDATE OF parent_id ON commerce.categories FOR EACH ROW EXECUTE FUNCTION commerce.categories_no_cycle();

--
-- Name: inventory_movements cimiento_append_only; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON commerce.inventory_movements FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('inventory movements are never changed or deleted', 'record a correcting movement (api.adjust_stock)');

--
-- Name: return_lines cimiento_append_only; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON commerce.return_lines FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('return lines never change', 'record another return');

--
-- Name: returns cimiento_append_only; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON commerce.returns FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('returns never change', 'record another return');

--
-- Name: sale_lines cimiento_append_only; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON commerce.sale_lines FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('sale lines never change', 'return goods or void the sale');

--
-- Name: sale_payments cimiento_append_only; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON commerce.sale_payments FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('sale payments never change', 'void the sale');

--
-- Name: inventory_movements cimiento_append_only_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON commerce.inventory_movements FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('inventory movements are never changed or deleted', 'record a correcting movement (api.adjust_stock)');

--
-- Name: return_lines cimiento_append_only_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON commerce.return_lines FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('return lines never change', 'record another return');

--
-- Name: returns cimiento_append_only_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON commerce.returns FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('returns never change', 'record another return');

--
-- Name: sale_lines cimiento_append_only_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON commerce.sale_lines FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('sale lines never change', 'return goods or void the sale');

--
-- Name: sale_payments cimiento_append_only_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON commerce.sale_payments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('sale payments never change', 'void the sale');

--
-- Name: categories cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.categories FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: customer_stats cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.customer_stats FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row('sales_count', 'sales_total', 'last_purchase_at');

--
-- Name: customers cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.customers FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: inventory_movements cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.inventory_movements FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: locations cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.locations FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: product_costs cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.product_costs FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row('on_hand', 'average_cost', 'last_sold_at', 'updated_at');

--
-- Name: products cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.products FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: receipts cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.receipts FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: return_lines cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.return_lines FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: returns cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.returns FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sale_lines cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.sale_lines FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sale_payments cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.sale_payments FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sales cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.sales FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: stock_levels cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.stock_levels FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row('quantity', 'updated_at');

--
-- Name: suppliers cimiento_audit; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON commerce.suppliers FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: categories cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.categories FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: customer_stats cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.customer_stats FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: customers cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.customers FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: inventory_movements cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.inventory_movements FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: locations cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.locations FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: product_costs cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.product_costs FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: products cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.products FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: receipts cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.receipts FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: return_lines cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.return_lines FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: returns cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.returns FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sale_lines cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.sale_lines FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sale_payments cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.sale_payments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sales cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.sales FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: stock_levels cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.stock_levels FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: suppliers cimiento_audit_truncate; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON commerce.suppliers FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sales cimiento_workflow; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON commerce.sales FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: sales cimiento_workflow_history; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON commerce.sales FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: customers customers_tax_id_checked; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER customers_tax_id_checked BEFORE INSERT OR UPDATE OF tax_id, tax_id_country ON commerce.customers FOR EACH ROW EXECUTE FUNCTION commerce.tax_id_checked();

--
-- Name: inventory_movements inventory_movements_apply; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER inventory_movements_apply AFTER INSERT ON commerce.inventory_movements FOR EACH ROW EXECUTE FUNCTION commerce.inventory_movements_apply();

--
-- Name: products products_open_costs; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER products_open_costs AFTER INSERT ON commerce.products FOR EACH ROW EXECUTE FUNCTION commerce.products_open_costs();

--
-- Name: return_lines return_lines_sold_by_day; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER return_lines_sold_by_day AFTER INSERT ON commerce.return_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.sold_by_day_returns();

--
-- Name: return_lines return_lines_within_sold; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER return_lines_within_sold AFTER INSERT ON commerce.return_lines FOR EACH ROW EXECUTE FUNCTION commerce.return_lines_within_sold();

--
-- Name: sale_lines sale_lines_cost; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sale_lines_cost BEFORE INSERT ON commerce.sale_lines FOR EACH ROW EXECUTE FUNCTION commerce.sale_lines_cost();

--
-- Name: sale_lines sale_lines_sold_by_day; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sale_lines_sold_by_day AFTER INSERT ON commerce.sale_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports.sold_by_day_lines();

--
-- Name: sales sales_customer_stats; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sales_customer_stats AFTER UPDATE OF status, invoice_id ON commerce.sales FOR EACH ROW EXECUTE FUNCTION commerce.sales_customer_stats();

--
-- Name: sales sales_guard; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sales_guard BEFORE INSERT OR UPDATE ON commerce.sales FOR EACH ROW EXECUTE FUNCTION commerce.sales_guard();

--
-- Name: sales sales_no_delete; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sales_no_delete BEFORE DELETE ON commerce.sales FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('sales are never deleted', 'void the sale (api.void_sale) or return goods (api.return_sale)');

--
-- Name: sales sales_on_void; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sales_on_void AFTER UPDATE OF status ON commerce.sales FOR EACH ROW WHEN (((old.status = 'completed'::text) AND (new.status = 'voided'::text))) EXECUTE FUNCTION commerce.sales_on_void();

--
-- Name: sales sales_sold_by_day; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER sales_sold_by_day AFTER UPDATE OF status ON commerce.sales FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION reports.sold_by_day_status();

--
-- Name: suppliers suppliers_tax_id_checked; Type: TRIGGER; Schema: commerce; Owner: cimiento_owner
--

CREATE TRIGGER suppliers_tax_id_checked BEFORE INSERT OR UPDATE OF tax_id, tax_id_country ON commerce.suppliers FOR EACH ROW EXECUTE FUNCTION commerce.tax_id_checked();

--
-- Name: branches cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.branches FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: builtin_role_permissions cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.builtin_role_permissions FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: builtin_roles cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.builtin_roles FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: db_logins cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.db_logins FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: events cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.events FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: permissions cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.permissions FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: refresh_tokens cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.refresh_tokens FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: role_permissions cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.role_permissions FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: roles cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.roles FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sessions cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.sessions FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row('last_seen_at');

--
-- Name: tenants cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.tenants FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: user_roles cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.user_roles FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: users cimiento_audit; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON core.users FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: branches cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.branches FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: builtin_role_permissions cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.builtin_role_permissions FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: builtin_roles cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.builtin_roles FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: db_logins cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.db_logins FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: events cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.events FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: permissions cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.permissions FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: refresh_tokens cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.refresh_tokens FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: role_permissions cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.role_permissions FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: roles cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.roles FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: sessions cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.sessions FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: tenants cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.tenants FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: user_roles cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.user_roles FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: users cimiento_audit_truncate; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON core.users FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: role_permissions role_permissions_no_escalation; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER role_permissions_no_escalation BEFORE INSERT OR DELETE ON core.role_permissions FOR EACH ROW EXECUTE FUNCTION core.role_permissions_no_escalation();

--
-- Name: role_permissions role_permissions_permissions_changed; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER role_permissions_permissions_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON core.role_permissions FOR EACH STATEMENT EXECUTE FUNCTION core.permissions_changed();

--
-- Name: roles roles_permissions_changed; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER roles_permissions_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON core.roles FOR EACH STATEMENT EXECUTE FUNCTION core.permissions_changed();

--
-- Name: tenants tenants_seed_roles; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER tenants_seed_roles AFTER INSERT ON core.tenants FOR EACH ROW EXECUTE FUNCTION core.tenants_seed_roles();

--
-- Name: user_roles user_roles_no_escalation; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER user_roles_no_escalation BEFORE INSERT OR UPDATE ON core.user_roles FOR EACH ROW EXECUTE FUNCTION core.user_roles_no_escalation();

--
-- Name: users users_own_email; Type: TRIGGER; Schema: core; Owner: cimiento_owner
--

CREATE TRIGGER users_own_email BEFORE UPDATE OF email ON core.users FOR EACH ROW EXECUTE FUNCTION core.users_own_email();

--
-- Name: lineage cimiento_append_only; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON imports.lineage FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('lineage is never changed or deleted', 'it records what a batch wrote');

--
-- Name: lineage cimiento_append_only_truncate; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON imports.lineage FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('lineage is never changed or deleted', 'it records what a batch wrote');

--
-- Name: batch_identities cimiento_audit; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON imports.batch_identities FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: batches cimiento_audit; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON imports.batches FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: lineage cimiento_audit; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON imports.lineage FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: rows cimiento_audit; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON imports.rows FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: targets cimiento_audit; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON imports.targets FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: batch_identities cimiento_audit_truncate; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON imports.batch_identities FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: batches cimiento_audit_truncate; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON imports.batches FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: lineage cimiento_audit_truncate; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON imports.lineage FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: rows cimiento_audit_truncate; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON imports.rows FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: targets cimiento_audit_truncate; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON imports.targets FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: batches cimiento_workflow; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON imports.batches FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: batches cimiento_workflow_history; Type: TRIGGER; Schema: imports; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON imports.batches FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: payments cimiento_append_only; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON insurance.payments FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('payments are never changed or deleted', 'record a reversal (api.revert_payment)');

--
-- Name: receipt_lots cimiento_append_only; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only BEFORE DELETE OR UPDATE ON insurance.receipt_lots FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('receipt lots never change', 'cancel their receipts');

--
-- Name: payments cimiento_append_only_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON insurance.payments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('payments are never changed or deleted', 'record a reversal (api.revert_payment)');

--
-- Name: receipt_lots cimiento_append_only_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_append_only_truncate BEFORE TRUNCATE ON insurance.receipt_lots FOR EACH STATEMENT EXECUTE FUNCTION cimiento.refuse_change('receipt lots never change', 'cancel their receipts');

--
-- Name: agency_roles cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.agency_roles FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: clients cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.clients FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: collection_proposals cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.collection_proposals FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: coverage_prices cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.coverage_prices FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: coverages cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.coverages FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: instalments cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.instalments FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: payment_plans cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.payment_plans FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: payments cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.payments FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: policies cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.policies FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: policy_series cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.policy_series FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row('next_number');

--
-- Name: receipt_lots cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.receipt_lots FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: receipts cimiento_audit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit AFTER INSERT OR DELETE OR UPDATE ON insurance.receipts FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: agency_roles cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.agency_roles FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: clients cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.clients FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: collection_proposals cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.collection_proposals FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: coverage_prices cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.coverage_prices FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: coverages cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.coverages FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: instalments cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.instalments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: payment_plans cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.payment_plans FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: payments cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.payments FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: policies cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.policies FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: policy_series cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.policy_series FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: receipt_lots cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.receipt_lots FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: receipts cimiento_audit_truncate; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON insurance.receipts FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();

--
-- Name: collection_proposals cimiento_workflow; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON insurance.collection_proposals FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: policies cimiento_workflow; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON insurance.policies FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: receipts cimiento_workflow; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow BEFORE INSERT OR UPDATE OF status ON insurance.receipts FOR EACH ROW EXECUTE FUNCTION cimiento.workflow_check();

--
-- Name: collection_proposals cimiento_workflow_history; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON insurance.collection_proposals FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: policies cimiento_workflow_history; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON insurance.policies FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: receipts cimiento_workflow_history; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER cimiento_workflow_history AFTER UPDATE OF status ON insurance.receipts FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION cimiento.workflow_record('status');

--
-- Name: clients clients_rfc_checked; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER clients_rfc_checked BEFORE INSERT OR UPDATE OF rfc, name ON insurance.clients FOR EACH ROW EXECUTE FUNCTION insurance.clients_rfc_checked();

--
-- Name: payments payments_apply; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER payments_apply AFTER INSERT ON insurance.payments FOR EACH ROW EXECUTE FUNCTION insurance.payments_apply();

--
-- Name: payments payments_check; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER payments_check BEFORE INSERT ON insurance.payments FOR EACH ROW EXECUTE FUNCTION insurance.payments_check();

--
-- Name: payments payments_event; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER payments_event AFTER INSERT ON insurance.payments FOR EACH ROW WHEN ((new.amount > (0)::numeric)) EXECUTE FUNCTION core.emit_event('payment', 'created');

--
-- Name: payments payments_reversal_event; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER payments_reversal_event AFTER INSERT ON insurance.payments FOR EACH ROW WHEN ((new.amount < (0)::numeric)) EXECUTE FUNCTION core.emit_event('payment', 'reversed');

--
-- Name: policies policies_defaults; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER policies_defaults BEFORE INSERT ON insurance.policies FOR EACH ROW EXECUTE FUNCTION insurance.policies_defaults();

--
-- Name: policies policies_number_at_commit; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE CONSTRAINT TRIGGER policies_number_at_commit AFTER INSERT OR UPDATE OF status ON insurance.policies DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cimiento.number_at_commit();

--
-- Name: policies policies_status_event; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER policies_status_event AFTER UPDATE OF status ON insurance.policies FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION core.emit_event('policy');

--
-- Name: policies policies_write_instalments; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER policies_write_instalments AFTER UPDATE OF status ON insurance.policies FOR EACH ROW WHEN (((old.status = 'quote'::text) AND (new.status = 'active'::text))) EXECUTE FUNCTION insurance.policies_write_instalments();

--
-- Name: collection_proposals proposals_check; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER proposals_check BEFORE INSERT ON insurance.collection_proposals FOR EACH ROW EXECUTE FUNCTION insurance.proposals_check();

--
-- Name: collection_proposals proposals_decided; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER proposals_decided BEFORE UPDATE OF status ON insurance.collection_proposals FOR EACH ROW EXECUTE FUNCTION insurance.proposals_decided();

--
-- Name: collection_proposals proposals_event; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER proposals_event AFTER INSERT ON insurance.collection_proposals FOR EACH ROW EXECUTE FUNCTION core.emit_event('proposal');

--
-- Name: collection_proposals proposals_on_approval; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER proposals_on_approval AFTER UPDATE OF status ON insurance.collection_proposals FOR EACH ROW WHEN (((new.status = 'approved'::text) AND (old.status <> 'approved'::text))) EXECUTE FUNCTION insurance.proposals_on_approval();

--
-- Name: collection_proposals proposals_status_event; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER proposals_status_event AFTER UPDATE OF status ON insurance.collection_proposals FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION core.emit_event('proposal');

--
-- Name: receipt_lots receipt_lots_open; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER receipt_lots_open AFTER INSERT ON insurance.receipt_lots FOR EACH ROW EXECUTE FUNCTION insurance.receipt_lots_open();

--
-- Name: receipts receipts_moved; Type: TRIGGER; Schema: insurance; Owner: cimiento_owner
--

CREATE TRIGGER receipts_moved BEFORE UPDATE ON insurance.receipts FOR EACH ROW EXECUTE FUNCTION insurance.receipts_moved();

--
-- Name: attendance attendance_tenant_id_course_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.attendance
    ADD CONSTRAINT attendance_tenant_id_course_id_branch_id_fkey FOREIGN KEY (tenant_id, course_id, branch_id) REFERENCES academy.courses(tenant_id, id, branch_id);

--
-- Name: attendance attendance_tenant_id_student_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.attendance
    ADD CONSTRAINT attendance_tenant_id_student_id_fkey FOREIGN KEY (tenant_id, student_id) REFERENCES academy.students(tenant_id, id);

--
-- Name: courses courses_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.courses
    ADD CONSTRAINT courses_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: enrollment_invoices enrollment_invoices_tenant_id_enrollment_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollment_invoices
    ADD CONSTRAINT enrollment_invoices_tenant_id_enrollment_id_branch_id_fkey FOREIGN KEY (tenant_id, enrollment_id, branch_id) REFERENCES academy.enrollments(tenant_id, id, branch_id);

--
-- Name: enrollment_invoices enrollment_invoices_tenant_id_invoice_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollment_invoices
    ADD CONSTRAINT enrollment_invoices_tenant_id_invoice_id_branch_id_fkey FOREIGN KEY (tenant_id, invoice_id, branch_id) REFERENCES billing.invoices(tenant_id, id, branch_id);

--
-- Name: enrollments enrollments_tenant_id_course_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollments
    ADD CONSTRAINT enrollments_tenant_id_course_id_branch_id_fkey FOREIGN KEY (tenant_id, course_id, branch_id) REFERENCES academy.courses(tenant_id, id, branch_id);

--
-- Name: enrollments enrollments_tenant_id_student_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.enrollments
    ADD CONSTRAINT enrollments_tenant_id_student_id_fkey FOREIGN KEY (tenant_id, student_id) REFERENCES academy.students(tenant_id, id);

--
-- Name: financial_status financial_status_tenant_id_enrollment_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.financial_status
    ADD CONSTRAINT financial_status_tenant_id_enrollment_id_branch_id_fkey FOREIGN KEY (tenant_id, enrollment_id, branch_id) REFERENCES academy.enrollments(tenant_id, id, branch_id) ON DELETE CASCADE;

--
-- Name: payments payments_tenant_id_enrollment_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.payments
    ADD CONSTRAINT payments_tenant_id_enrollment_id_branch_id_fkey FOREIGN KEY (tenant_id, enrollment_id, branch_id) REFERENCES academy.enrollments(tenant_id, id, branch_id);

--
-- Name: students students_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE ONLY academy.students
    ADD CONSTRAINT students_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: document_render_failures document_render_failures_tenant_id_invoice_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.document_render_failures
    ADD CONSTRAINT document_render_failures_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices(tenant_id, id);

--
-- Name: invoice_documents invoice_documents_tenant_id_invoice_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_documents
    ADD CONSTRAINT invoice_documents_tenant_id_invoice_id_branch_id_fkey FOREIGN KEY (tenant_id, invoice_id, branch_id) REFERENCES billing.invoices(tenant_id, id, branch_id);

--
-- Name: invoice_items invoice_items_tenant_id_invoice_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_items
    ADD CONSTRAINT invoice_items_tenant_id_invoice_id_branch_id_fkey FOREIGN KEY (tenant_id, invoice_id, branch_id) REFERENCES billing.invoices(tenant_id, id, branch_id) ON DELETE CASCADE;

--
-- Name: invoice_series invoice_series_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoice_series
    ADD CONSTRAINT invoice_series_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: invoices invoices_student_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_student_fkey FOREIGN KEY (tenant_id, student_id) REFERENCES academy.students(tenant_id, id);

--
-- Name: invoices invoices_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: invoices invoices_tenant_id_corrects_invoice_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_corrects_invoice_id_fkey FOREIGN KEY (tenant_id, corrects_invoice_id) REFERENCES billing.invoices(tenant_id, id);

--
-- Name: invoices invoices_tenant_id_series_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_series_id_fkey FOREIGN KEY (tenant_id, series_id) REFERENCES billing.invoice_series(tenant_id, id);

--
-- Name: categories categories_tenant_id_parent_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.categories
    ADD CONSTRAINT categories_tenant_id_parent_id_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES commerce.categories(tenant_id, id);

--
-- Name: customer_stats customer_stats_tenant_id_customer_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.customer_stats
    ADD CONSTRAINT customer_stats_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers(tenant_id, id);

--
-- Name: inventory_movements inventory_movements_tenant_id_location_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.inventory_movements
    ADD CONSTRAINT inventory_movements_tenant_id_location_id_branch_id_fkey FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations(tenant_id, id, branch_id);

--
-- Name: inventory_movements inventory_movements_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.inventory_movements
    ADD CONSTRAINT inventory_movements_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id);

--
-- Name: locations locations_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.locations
    ADD CONSTRAINT locations_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: product_costs product_costs_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.product_costs
    ADD CONSTRAINT product_costs_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id);

--
-- Name: products products_tenant_id_category_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.products
    ADD CONSTRAINT products_tenant_id_category_id_fkey FOREIGN KEY (tenant_id, category_id) REFERENCES commerce.categories(tenant_id, id);

--
-- Name: receipts receipts_tenant_id_location_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.receipts
    ADD CONSTRAINT receipts_tenant_id_location_id_branch_id_fkey FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations(tenant_id, id, branch_id);

--
-- Name: receipts receipts_tenant_id_supplier_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.receipts
    ADD CONSTRAINT receipts_tenant_id_supplier_id_fkey FOREIGN KEY (tenant_id, supplier_id) REFERENCES commerce.suppliers(tenant_id, id);

--
-- Name: return_lines return_lines_tenant_id_return_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.return_lines
    ADD CONSTRAINT return_lines_tenant_id_return_id_branch_id_fkey FOREIGN KEY (tenant_id, return_id, branch_id) REFERENCES commerce.returns(tenant_id, id, branch_id);

--
-- Name: return_lines return_lines_tenant_id_sale_id_sale_line_no_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.return_lines
    ADD CONSTRAINT return_lines_tenant_id_sale_id_sale_line_no_fkey FOREIGN KEY (tenant_id, sale_id, sale_line_no) REFERENCES commerce.sale_lines(tenant_id, sale_id, line_no);

--
-- Name: returns returns_tenant_id_credit_note_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.returns
    ADD CONSTRAINT returns_tenant_id_credit_note_id_fkey FOREIGN KEY (tenant_id, credit_note_id) REFERENCES billing.invoices(tenant_id, id);

--
-- Name: returns returns_tenant_id_location_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.returns
    ADD CONSTRAINT returns_tenant_id_location_id_fkey FOREIGN KEY (tenant_id, location_id) REFERENCES commerce.locations(tenant_id, id);

--
-- Name: returns returns_tenant_id_sale_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.returns
    ADD CONSTRAINT returns_tenant_id_sale_id_branch_id_fkey FOREIGN KEY (tenant_id, sale_id, branch_id) REFERENCES commerce.sales(tenant_id, id, branch_id);

--
-- Name: sale_lines sale_lines_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sale_lines
    ADD CONSTRAINT sale_lines_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id);

--
-- Name: sale_lines sale_lines_tenant_id_sale_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sale_lines
    ADD CONSTRAINT sale_lines_tenant_id_sale_id_branch_id_fkey FOREIGN KEY (tenant_id, sale_id, branch_id) REFERENCES commerce.sales(tenant_id, id, branch_id);

--
-- Name: sale_payments sale_payments_tenant_id_sale_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sale_payments
    ADD CONSTRAINT sale_payments_tenant_id_sale_id_branch_id_fkey FOREIGN KEY (tenant_id, sale_id, branch_id) REFERENCES commerce.sales(tenant_id, id, branch_id);

--
-- Name: sales sales_tenant_id_customer_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers(tenant_id, id);

--
-- Name: sales sales_tenant_id_invoice_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices(tenant_id, id);

--
-- Name: sales sales_tenant_id_location_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.sales
    ADD CONSTRAINT sales_tenant_id_location_id_branch_id_fkey FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations(tenant_id, id, branch_id);

--
-- Name: stock_levels stock_levels_tenant_id_location_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.stock_levels
    ADD CONSTRAINT stock_levels_tenant_id_location_id_branch_id_fkey FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations(tenant_id, id, branch_id);

--
-- Name: stock_levels stock_levels_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE ONLY commerce.stock_levels
    ADD CONSTRAINT stock_levels_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id);

--
-- Name: branches branches_tenant_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.branches
    ADD CONSTRAINT branches_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: builtin_role_permissions builtin_role_permissions_role_name_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.builtin_role_permissions
    ADD CONSTRAINT builtin_role_permissions_role_name_fkey FOREIGN KEY (role_name) REFERENCES core.builtin_roles(name);

--
-- Name: db_logins db_logins_tenant_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.db_logins
    ADD CONSTRAINT db_logins_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: db_logins db_logins_tenant_id_user_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.db_logins
    ADD CONSTRAINT db_logins_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES core.users(tenant_id, id);

--
-- Name: refresh_tokens refresh_tokens_tenant_id_session_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.refresh_tokens
    ADD CONSTRAINT refresh_tokens_tenant_id_session_id_fkey FOREIGN KEY (tenant_id, session_id) REFERENCES core.sessions(tenant_id, id) ON DELETE CASCADE;

--
-- Name: role_permissions role_permissions_tenant_id_role_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.role_permissions
    ADD CONSTRAINT role_permissions_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES core.roles(tenant_id, id) ON DELETE CASCADE;

--
-- Name: roles roles_tenant_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.roles
    ADD CONSTRAINT roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: sessions sessions_tenant_id_user_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.sessions
    ADD CONSTRAINT sessions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES core.users(tenant_id, id) ON DELETE CASCADE;

--
-- Name: user_roles user_roles_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.user_roles
    ADD CONSTRAINT user_roles_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: user_roles user_roles_tenant_id_role_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.user_roles
    ADD CONSTRAINT user_roles_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES core.roles(tenant_id, id) ON DELETE CASCADE;

--
-- Name: user_roles user_roles_tenant_id_user_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.user_roles
    ADD CONSTRAINT user_roles_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES core.users(tenant_id, id) ON DELETE CASCADE;

--
-- Name: users users_tenant_id_fkey; Type: FK CONSTRAINT; Schema: core; Owner: cimiento_owner
--

ALTER TABLE ONLY core.users
    ADD CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: batch_identities batch_identities_tenant_id_batch_id_fkey; Type: FK CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.batch_identities
    ADD CONSTRAINT batch_identities_tenant_id_batch_id_fkey FOREIGN KEY (tenant_id, batch_id) REFERENCES imports.batches(tenant_id, id) ON DELETE CASCADE;

--
-- Name: batches batches_target_fkey; Type: FK CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.batches
    ADD CONSTRAINT batches_target_fkey FOREIGN KEY (target) REFERENCES imports.targets(name);

--
-- Name: batches batches_tenant_id_fkey; Type: FK CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.batches
    ADD CONSTRAINT batches_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: lineage lineage_tenant_id_batch_id_row_no_fkey; Type: FK CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.lineage
    ADD CONSTRAINT lineage_tenant_id_batch_id_row_no_fkey FOREIGN KEY (tenant_id, batch_id, row_no) REFERENCES imports.rows(tenant_id, batch_id, row_no);

--
-- Name: rows rows_tenant_id_batch_id_fkey; Type: FK CONSTRAINT; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE ONLY imports.rows
    ADD CONSTRAINT rows_tenant_id_batch_id_fkey FOREIGN KEY (tenant_id, batch_id) REFERENCES imports.batches(tenant_id, id) ON DELETE CASCADE;

--
-- Name: clients clients_tenant_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.clients
    ADD CONSTRAINT clients_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: clients clients_tenant_id_seller_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.clients
    ADD CONSTRAINT clients_tenant_id_seller_id_fkey FOREIGN KEY (tenant_id, seller_id) REFERENCES core.users(tenant_id, id);

--
-- Name: collection_proposals collection_proposals_tenant_id_collector_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.collection_proposals
    ADD CONSTRAINT collection_proposals_tenant_id_collector_id_fkey FOREIGN KEY (tenant_id, collector_id) REFERENCES core.users(tenant_id, id);

--
-- Name: collection_proposals collection_proposals_tenant_id_policy_id_instalment_no_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.collection_proposals
    ADD CONSTRAINT collection_proposals_tenant_id_policy_id_instalment_no_fkey FOREIGN KEY (tenant_id, policy_id, instalment_no) REFERENCES insurance.instalments(tenant_id, policy_id, no);

--
-- Name: collection_proposals collection_proposals_tenant_id_receipt_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.collection_proposals
    ADD CONSTRAINT collection_proposals_tenant_id_receipt_id_fkey FOREIGN KEY (tenant_id, receipt_id) REFERENCES insurance.receipts(tenant_id, id);

--
-- Name: coverage_prices coverage_prices_payment_plan_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.coverage_prices
    ADD CONSTRAINT coverage_prices_payment_plan_fkey FOREIGN KEY (payment_plan) REFERENCES insurance.payment_plans(code);

--
-- Name: coverage_prices coverage_prices_tenant_id_coverage_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.coverage_prices
    ADD CONSTRAINT coverage_prices_tenant_id_coverage_id_fkey FOREIGN KEY (tenant_id, coverage_id) REFERENCES insurance.coverages(tenant_id, id) ON DELETE CASCADE;

--
-- Name: coverages coverages_tenant_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.coverages
    ADD CONSTRAINT coverages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: instalments instalments_tenant_id_policy_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.instalments
    ADD CONSTRAINT instalments_tenant_id_policy_id_fkey FOREIGN KEY (tenant_id, policy_id) REFERENCES insurance.policies(tenant_id, id);

--
-- Name: payments payments_tenant_id_collector_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_tenant_id_collector_id_fkey FOREIGN KEY (tenant_id, collector_id) REFERENCES core.users(tenant_id, id);

--
-- Name: payments payments_tenant_id_policy_id_instalment_no_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_tenant_id_policy_id_instalment_no_fkey FOREIGN KEY (tenant_id, policy_id, instalment_no) REFERENCES insurance.instalments(tenant_id, policy_id, no);

--
-- Name: payments payments_tenant_id_proposal_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_tenant_id_proposal_id_fkey FOREIGN KEY (tenant_id, proposal_id) REFERENCES insurance.collection_proposals(tenant_id, id);

--
-- Name: payments payments_tenant_id_receipt_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_tenant_id_receipt_id_fkey FOREIGN KEY (tenant_id, receipt_id) REFERENCES insurance.receipts(tenant_id, id);

--
-- Name: payments payments_tenant_id_reverses_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.payments
    ADD CONSTRAINT payments_tenant_id_reverses_id_fkey FOREIGN KEY (tenant_id, reverses_id) REFERENCES insurance.payments(tenant_id, id);

--
-- Name: policies policies_payment_plan_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_payment_plan_fkey FOREIGN KEY (payment_plan) REFERENCES insurance.payment_plans(code);

--
-- Name: policies policies_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: policies policies_tenant_id_client_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_tenant_id_client_id_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES insurance.clients(tenant_id, id);

--
-- Name: policies policies_tenant_id_coverage_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_tenant_id_coverage_id_fkey FOREIGN KEY (tenant_id, coverage_id) REFERENCES insurance.coverages(tenant_id, id);

--
-- Name: policies policies_tenant_id_renewed_from_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_tenant_id_renewed_from_fkey FOREIGN KEY (tenant_id, renewed_from) REFERENCES insurance.policies(tenant_id, id);

--
-- Name: policies policies_tenant_id_seller_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_tenant_id_seller_id_fkey FOREIGN KEY (tenant_id, seller_id) REFERENCES core.users(tenant_id, id);

--
-- Name: policies policies_tenant_id_series_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policies
    ADD CONSTRAINT policies_tenant_id_series_id_fkey FOREIGN KEY (tenant_id, series_id) REFERENCES insurance.policy_series(tenant_id, id);

--
-- Name: policy_series policy_series_tenant_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.policy_series
    ADD CONSTRAINT policy_series_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

--
-- Name: receipt_lots receipt_lots_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipt_lots
    ADD CONSTRAINT receipt_lots_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: receipts receipts_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipts
    ADD CONSTRAINT receipts_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: receipts receipts_tenant_id_collector_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipts
    ADD CONSTRAINT receipts_tenant_id_collector_id_fkey FOREIGN KEY (tenant_id, collector_id) REFERENCES core.users(tenant_id, id);

--
-- Name: receipts receipts_tenant_id_lot_id_fkey; Type: FK CONSTRAINT; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE ONLY insurance.receipts
    ADD CONSTRAINT receipts_tenant_id_lot_id_fkey FOREIGN KEY (tenant_id, lot_id) REFERENCES insurance.receipt_lots(tenant_id, id);

--
-- Name: attendance_by_course_day attendance_by_course_day_tenant_id_course_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.attendance_by_course_day
    ADD CONSTRAINT attendance_by_course_day_tenant_id_course_id_branch_id_fkey FOREIGN KEY (tenant_id, course_id, branch_id) REFERENCES academy.courses(tenant_id, id, branch_id);

--
-- Name: collected_by_month collected_by_month_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.collected_by_month
    ADD CONSTRAINT collected_by_month_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: sold_by_day sold_by_day_tenant_id_branch_id_fkey; Type: FK CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.sold_by_day
    ADD CONSTRAINT sold_by_day_tenant_id_branch_id_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches(tenant_id, id);

--
-- Name: sold_by_day sold_by_day_tenant_id_product_id_fkey; Type: FK CONSTRAINT; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE ONLY reports.sold_by_day
    ADD CONSTRAINT sold_by_day_tenant_id_product_id_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products(tenant_id, id);

--
-- Name: attendance; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.attendance ENABLE ROW LEVEL SECURITY;

--
-- Name: courses; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.courses ENABLE ROW LEVEL SECURITY;

--
-- Name: enrollment_invoices; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.enrollment_invoices ENABLE ROW LEVEL SECURITY;

--
-- Name: enrollments; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.enrollments ENABLE ROW LEVEL SECURITY;

--
-- Name: financial_status; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.financial_status ENABLE ROW LEVEL SECURITY;

--
-- Name: payments; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.payments ENABLE ROW LEVEL SECURITY;

--
-- Name: attendance permission_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON academy.attendance AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('attendance.record'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('attendance.record'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON academy.attendance IS 'cimiento: insert needs attendance.record in the branch of the row';

--
-- Name: courses permission_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON academy.courses AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('courses.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('courses.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON academy.courses IS 'cimiento: insert needs courses.create in the branch of the row';

--
-- Name: enrollment_invoices permission_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON academy.enrollment_invoices AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON academy.enrollment_invoices IS 'cimiento: insert needs invoices.issue in the branch of the row';

--
-- Name: enrollments permission_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON academy.enrollments AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('enrollments.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('enrollments.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON academy.enrollments IS 'cimiento: insert needs enrollments.create in the branch of the row';

--
-- Name: payments permission_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON academy.payments AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON academy.payments IS 'cimiento: insert needs payments.create in the branch of the row';

--
-- Name: students permission_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON academy.students AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('students.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('students.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON academy.students IS 'cimiento: insert needs students.create in the branch of the row';

--
-- Name: attendance permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.attendance AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('attendance.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('attendance.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.attendance IS 'cimiento: select needs attendance.read in the branch of the row';

--
-- Name: courses permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.courses AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('courses.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('courses.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.courses IS 'cimiento: select needs courses.read in the branch of the row';

--
-- Name: enrollment_invoices permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.enrollment_invoices AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.enrollment_invoices IS 'cimiento: select needs invoices.read or invoices.issue in the branch of the row';

--
-- Name: enrollments permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.enrollments AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('enrollments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('enrollments.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.enrollments IS 'cimiento: select needs enrollments.read in the branch of the row';

--
-- Name: financial_status permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.financial_status AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('enrollments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('enrollments.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON financial_status; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.financial_status IS 'cimiento: select needs enrollments.read or payments.read in the branch of the row';

--
-- Name: payments permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.payments AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.payments IS 'cimiento: select needs payments.read in the branch of the row';

--
-- Name: students permission_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_select ON academy.students AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('students.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('students.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON academy.students IS 'cimiento: select needs students.read in the branch of the row';

--
-- Name: attendance permission_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_update ON academy.attendance AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('attendance.record'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('attendance.record'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('attendance.record'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('attendance.record'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON academy.attendance IS 'cimiento: update needs attendance.record in the branch of the row';

--
-- Name: courses permission_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_update ON academy.courses AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('courses.update'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('courses.update'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('courses.update'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('courses.update'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON academy.courses IS 'cimiento: update needs courses.update in the branch of the row';

--
-- Name: enrollments permission_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_update ON academy.enrollments AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('enrollments.update'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('enrollments.update'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('enrollments.update'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('enrollments.update'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON academy.enrollments IS 'cimiento: update needs enrollments.update in the branch of the row';

--
-- Name: students permission_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY permission_update ON academy.students AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('students.update'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('students.update'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('students.update'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('students.update'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON academy.students IS 'cimiento: update needs students.update in the branch of the row';

--
-- Name: students; Type: ROW SECURITY; Schema: academy; Owner: cimiento_owner
--

ALTER TABLE academy.students ENABLE ROW LEVEL SECURITY;

--
-- Name: attendance tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.attendance FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.attendance IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: courses tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.courses FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.courses IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: enrollment_invoices tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.enrollment_invoices FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.enrollment_invoices IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: enrollments tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.enrollments FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.enrollments IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: financial_status tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.financial_status FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON financial_status; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.financial_status IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.payments FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.payments IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: students tenant_isolation_delete; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON academy.students FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON academy.students IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: attendance tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.attendance FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.attendance IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: courses tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.courses FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.courses IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: enrollment_invoices tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.enrollment_invoices FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.enrollment_invoices IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: enrollments tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.enrollments FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.enrollments IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: financial_status tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.financial_status FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON financial_status; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.financial_status IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.payments FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.payments IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: students tenant_isolation_insert; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON academy.students FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON academy.students IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: attendance tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.attendance FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.attendance IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: courses tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.courses FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.courses IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: enrollment_invoices tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.enrollment_invoices FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.enrollment_invoices IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: enrollments tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.enrollments FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.enrollments IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: financial_status tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.financial_status FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON financial_status; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.financial_status IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.payments FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.payments IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: students tenant_isolation_select; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON academy.students FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON academy.students IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: attendance tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.attendance FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON attendance; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.attendance IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: courses tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.courses FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON courses; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.courses IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: enrollment_invoices tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.enrollment_invoices FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON enrollment_invoices; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.enrollment_invoices IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: enrollments tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.enrollments FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON enrollments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.enrollments IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: financial_status tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.financial_status FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON financial_status; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.financial_status IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.payments FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON payments; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.payments IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: students tenant_isolation_update; Type: POLICY; Schema: academy; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON academy.students FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON students; Type: COMMENT; Schema: academy; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON academy.students IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: chain_base; Type: ROW SECURITY; Schema: audit; Owner: audit_owner
--

ALTER TABLE audit.chain_base ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_base chain_base_read; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY chain_base_read ON audit.chain_base AS RESTRICTIVE FOR SELECT USING (( SELECT cimiento.has_permission('audit.read'::text) AS has_permission));

--
-- Name: log; Type: ROW SECURITY; Schema: audit; Owner: audit_owner
--

ALTER TABLE audit.log ENABLE ROW LEVEL SECURITY;

--
-- Name: log permission_select; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY permission_select ON audit.log AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('audit.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('audit.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON log; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY permission_select ON audit.log IS 'cimiento: select needs audit.read in the branch of the row';

--
-- Name: seals; Type: ROW SECURITY; Schema: audit; Owner: audit_owner
--

ALTER TABLE audit.seals ENABLE ROW LEVEL SECURITY;

--
-- Name: seals seals_read; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY seals_read ON audit.seals AS RESTRICTIVE FOR SELECT USING (( SELECT cimiento.has_permission('audit.read'::text) AS has_permission));

--
-- Name: chain_base tenant_isolation_delete; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_delete ON audit.chain_base FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON chain_base; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_delete ON audit.chain_base IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: log tenant_isolation_delete; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_delete ON audit.log FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON log; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_delete ON audit.log IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: seals tenant_isolation_delete; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_delete ON audit.seals FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON seals; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_delete ON audit.seals IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: chain_base tenant_isolation_insert; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_insert ON audit.chain_base FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON chain_base; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_insert ON audit.chain_base IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: log tenant_isolation_insert; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_insert ON audit.log FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON log; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_insert ON audit.log IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: seals tenant_isolation_insert; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_insert ON audit.seals FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON seals; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_insert ON audit.seals IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: chain_base tenant_isolation_select; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_select ON audit.chain_base FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON chain_base; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_select ON audit.chain_base IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: log tenant_isolation_select; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_select ON audit.log FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON log; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_select ON audit.log IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: seals tenant_isolation_select; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_select ON audit.seals FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON seals; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_select ON audit.seals IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: chain_base tenant_isolation_update; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_update ON audit.chain_base FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON chain_base; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_update ON audit.chain_base IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: log tenant_isolation_update; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_update ON audit.log FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON log; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_update ON audit.log IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: seals tenant_isolation_update; Type: POLICY; Schema: audit; Owner: audit_owner
--

CREATE POLICY tenant_isolation_update ON audit.seals FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON seals; Type: COMMENT; Schema: audit; Owner: audit_owner
--

COMMENT ON POLICY tenant_isolation_update ON audit.seals IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: document_render_failures; Type: ROW SECURITY; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE billing.document_render_failures ENABLE ROW LEVEL SECURITY;

--
-- Name: invoice_documents; Type: ROW SECURITY; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE billing.invoice_documents ENABLE ROW LEVEL SECURITY;

--
-- Name: invoice_items; Type: ROW SECURITY; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE billing.invoice_items ENABLE ROW LEVEL SECURITY;

--
-- Name: invoice_series; Type: ROW SECURITY; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE billing.invoice_series ENABLE ROW LEVEL SECURITY;

--
-- Name: invoices; Type: ROW SECURITY; Schema: billing; Owner: cimiento_owner
--

ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;

--
-- Name: invoices invoices_issue_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY invoices_issue_insert ON billing.invoices AS RESTRICTIVE FOR INSERT WITH CHECK (
CASE kind
    WHEN 'invoice'::text THEN ((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])))
    ELSE ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[])))
END);

--
-- Name: POLICY invoices_issue_insert ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY invoices_issue_insert ON billing.invoices IS 'An invoice needs invoices.issue, a credit note credit_notes.issue, in the document''s branch.';

--
-- Name: invoice_items permission_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON billing.invoice_items AS RESTRICTIVE FOR DELETE USING (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_delete ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON billing.invoice_items IS 'cimiento: delete needs invoices.issue or credit_notes.issue in the branch of the row';

--
-- Name: invoice_series permission_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON billing.invoice_series AS RESTRICTIVE FOR DELETE USING (((( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_delete ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON billing.invoice_series IS 'cimiento: delete needs series.manage in the branch of the row';

--
-- Name: invoices permission_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON billing.invoices AS RESTRICTIVE FOR DELETE USING (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_delete ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON billing.invoices IS 'cimiento: delete needs invoices.issue or credit_notes.issue in the branch of the row';

--
-- Name: invoice_items permission_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON billing.invoice_items AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_insert ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON billing.invoice_items IS 'cimiento: insert needs invoices.issue or credit_notes.issue in the branch of the row';

--
-- Name: invoice_series permission_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON billing.invoice_series AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON billing.invoice_series IS 'cimiento: insert needs series.manage in the branch of the row';

--
-- Name: document_render_failures permission_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_select ON billing.document_render_failures AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('invoices.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('invoices.issue'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON document_render_failures; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON billing.document_render_failures IS 'cimiento: select needs invoices.read or invoices.issue in some branch';

--
-- Name: invoice_documents permission_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_select ON billing.invoice_documents AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON invoice_documents; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON billing.invoice_documents IS 'cimiento: select needs invoices.read or invoices.issue in the branch of the row';

--
-- Name: invoice_items permission_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_select ON billing.invoice_items AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON billing.invoice_items IS 'cimiento: select needs invoices.read or invoices.issue in the branch of the row';

--
-- Name: invoices permission_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_select ON billing.invoices AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON billing.invoices IS 'cimiento: select needs invoices.read or invoices.issue in the branch of the row';

--
-- Name: invoice_items permission_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_update ON billing.invoice_items AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[]))))) WITH CHECK (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_update ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON billing.invoice_items IS 'cimiento: update needs invoices.issue or credit_notes.issue in the branch of the row';

--
-- Name: invoice_series permission_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_update ON billing.invoice_series AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('series.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON billing.invoice_series IS 'cimiento: update needs series.manage in the branch of the row';

--
-- Name: invoices permission_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY permission_update ON billing.invoices AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[]))))) WITH CHECK (((( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('invoices.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('credit_notes.issue'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_update ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON billing.invoices IS 'cimiento: update needs invoices.issue or credit_notes.issue in the branch of the row';

--
-- Name: document_render_failures tenant_isolation_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON billing.document_render_failures FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON document_render_failures; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON billing.document_render_failures IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: invoice_documents tenant_isolation_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON billing.invoice_documents FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON invoice_documents; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON billing.invoice_documents IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: invoice_items tenant_isolation_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON billing.invoice_items FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON billing.invoice_items IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: invoice_series tenant_isolation_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON billing.invoice_series FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON billing.invoice_series IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: invoices tenant_isolation_delete; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON billing.invoices FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON billing.invoices IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: document_render_failures tenant_isolation_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON billing.document_render_failures FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON document_render_failures; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON billing.document_render_failures IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: invoice_documents tenant_isolation_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON billing.invoice_documents FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON invoice_documents; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON billing.invoice_documents IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: invoice_items tenant_isolation_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON billing.invoice_items FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON billing.invoice_items IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: invoice_series tenant_isolation_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON billing.invoice_series FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON billing.invoice_series IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: invoices tenant_isolation_insert; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON billing.invoices FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON billing.invoices IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: document_render_failures tenant_isolation_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON billing.document_render_failures FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON document_render_failures; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON billing.document_render_failures IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: invoice_documents tenant_isolation_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON billing.invoice_documents FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON invoice_documents; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON billing.invoice_documents IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: invoice_items tenant_isolation_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON billing.invoice_items FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON billing.invoice_items IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: invoice_series tenant_isolation_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON billing.invoice_series FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON billing.invoice_series IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: invoices tenant_isolation_select; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON billing.invoices FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON billing.invoices IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: document_render_failures tenant_isolation_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON billing.document_render_failures FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON document_render_failures; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON billing.document_render_failures IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: invoice_documents tenant_isolation_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON billing.invoice_documents FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON invoice_documents; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON billing.invoice_documents IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: invoice_items tenant_isolation_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON billing.invoice_items FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON invoice_items; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON billing.invoice_items IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: invoice_series tenant_isolation_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON billing.invoice_series FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON invoice_series; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON billing.invoice_series IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: invoices tenant_isolation_update; Type: POLICY; Schema: billing; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON billing.invoices FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON invoices; Type: COMMENT; Schema: billing; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON billing.invoices IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: categories; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.categories ENABLE ROW LEVEL SECURITY;

--
-- Name: customer_stats; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.customer_stats ENABLE ROW LEVEL SECURITY;

--
-- Name: customers; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.customers ENABLE ROW LEVEL SECURITY;

--
-- Name: inventory_movements; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.inventory_movements ENABLE ROW LEVEL SECURITY;

--
-- Name: inventory_movements inventory_movements_kind_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY inventory_movements_kind_insert ON commerce.inventory_movements AS RESTRICTIVE FOR INSERT WITH CHECK ((branch_id = ANY (COALESCE(( SELECT cimiento.permission_branches(
        CASE inventory_movements.kind
            WHEN 'sale'::text THEN 'sales.create'::text
            WHEN 'return'::text THEN 'sales.return'::text
            WHEN 'void'::text THEN 'sales.void'::text
            WHEN 'adjustment'::text THEN 'inventory.adjust'::text
            ELSE 'inventory.manage'::text
        END) AS permission_branches), ARRAY[branch_id]))));

--
-- Name: POLICY inventory_movements_kind_insert ON inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY inventory_movements_kind_insert ON commerce.inventory_movements IS 'A movement needs, in its branch: sale → sales.create, return → sales.return, void → sales.void, adjustment → inventory.adjust, receipt and transfers → inventory.manage.';

--
-- Name: locations; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.locations ENABLE ROW LEVEL SECURITY;

--
-- Name: categories permission_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON commerce.categories AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission));

--
-- Name: POLICY permission_delete ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON commerce.categories IS 'cimiento: delete needs products.manage in some branch';

--
-- Name: customers permission_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON commerce.customers AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('customers.manage'::text) AS has_permission));

--
-- Name: POLICY permission_delete ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON commerce.customers IS 'cimiento: delete needs customers.manage in some branch';

--
-- Name: products permission_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON commerce.products AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission));

--
-- Name: POLICY permission_delete ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON commerce.products IS 'cimiento: delete needs products.manage in some branch';

--
-- Name: categories permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.categories AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.categories IS 'cimiento: insert needs products.manage in some branch';

--
-- Name: customers permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.customers AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('customers.manage'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.customers IS 'cimiento: insert needs customers.manage in some branch';

--
-- Name: locations permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.locations AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.locations IS 'cimiento: insert needs inventory.manage in the branch of the row';

--
-- Name: products permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.products AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.products IS 'cimiento: insert needs products.manage in some branch';

--
-- Name: receipts permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.receipts AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.receipts IS 'cimiento: insert needs inventory.manage in the branch of the row';

--
-- Name: return_lines permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.return_lines AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.return_lines IS 'cimiento: insert needs sales.return in the branch of the row';

--
-- Name: returns permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.returns AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.returns IS 'cimiento: insert needs sales.return in the branch of the row';

--
-- Name: sale_lines permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.sale_lines AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.sale_lines IS 'cimiento: insert needs sales.create in the branch of the row';

--
-- Name: sale_payments permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.sale_payments AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.sale_payments IS 'cimiento: insert needs sales.create in the branch of the row';

--
-- Name: sales permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.sales AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.sales IS 'cimiento: insert needs sales.create in the branch of the row';

--
-- Name: suppliers permission_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON commerce.suppliers AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('inventory.manage'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON commerce.suppliers IS 'cimiento: insert needs inventory.manage in some branch';

--
-- Name: categories permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.categories AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('products.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('products.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('sales.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.categories IS 'cimiento: select needs products.read or products.manage or sales.create in some branch';

--
-- Name: customer_stats permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.customer_stats AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('customers.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('customers.manage'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON customer_stats; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.customer_stats IS 'cimiento: select needs customers.read or customers.manage in some branch';

--
-- Name: customers permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.customers AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('customers.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('customers.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('sales.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.customers IS 'cimiento: select needs customers.read or customers.manage or sales.create in some branch';

--
-- Name: inventory_movements permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.inventory_movements AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.inventory_movements IS 'cimiento: select needs inventory.read or inventory.manage in the branch of the row';

--
-- Name: locations permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.locations AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.locations IS 'cimiento: select needs inventory.read or inventory.manage or sales.create in the branch of the row';

--
-- Name: product_costs permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.product_costs AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('products.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('products.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('inventory.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('sales.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON product_costs; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.product_costs IS 'cimiento: select needs products.read or products.manage or inventory.read or sales.create in some branch';

--
-- Name: products permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.products AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('products.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('products.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('sales.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.products IS 'cimiento: select needs products.read or products.manage or sales.create in some branch';

--
-- Name: receipts permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.receipts AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.receipts IS 'cimiento: select needs inventory.read or inventory.manage in the branch of the row';

--
-- Name: return_lines permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.return_lines AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.return_lines IS 'cimiento: select needs sales.read or sales.return in the branch of the row';

--
-- Name: returns permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.returns AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.return'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.returns IS 'cimiento: select needs sales.read or sales.return in the branch of the row';

--
-- Name: sale_lines permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.sale_lines AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.sale_lines IS 'cimiento: select needs sales.read or sales.create in the branch of the row';

--
-- Name: sale_payments permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.sale_payments AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.sale_payments IS 'cimiento: select needs sales.read or sales.create in the branch of the row';

--
-- Name: sales permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.sales AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.sales IS 'cimiento: select needs sales.read or sales.create in the branch of the row';

--
-- Name: stock_levels permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.stock_levels AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON stock_levels; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.stock_levels IS 'cimiento: select needs inventory.read or inventory.manage or sales.create in the branch of the row';

--
-- Name: suppliers permission_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_select ON commerce.suppliers AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('inventory.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('inventory.manage'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON commerce.suppliers IS 'cimiento: select needs inventory.read or inventory.manage in some branch';

--
-- Name: categories permission_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_update ON commerce.categories AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON commerce.categories IS 'cimiento: update needs products.manage in some branch';

--
-- Name: customers permission_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_update ON commerce.customers AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('customers.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('customers.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON commerce.customers IS 'cimiento: update needs customers.manage in some branch';

--
-- Name: locations permission_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_update ON commerce.locations AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('inventory.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON commerce.locations IS 'cimiento: update needs inventory.manage in the branch of the row';

--
-- Name: products permission_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_update ON commerce.products AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('products.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON commerce.products IS 'cimiento: update needs products.manage in some branch';

--
-- Name: sales permission_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_update ON commerce.sales AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.void'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.void'::text) AS permission_branches)::uuid[]))))) WITH CHECK (((( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.create'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('sales.void'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.void'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_update ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON commerce.sales IS 'cimiento: update needs sales.create or sales.void in the branch of the row';

--
-- Name: suppliers permission_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY permission_update ON commerce.suppliers AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('inventory.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('inventory.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON commerce.suppliers IS 'cimiento: update needs inventory.manage in some branch';

--
-- Name: product_costs; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.product_costs ENABLE ROW LEVEL SECURITY;

--
-- Name: products; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.products ENABLE ROW LEVEL SECURITY;

--
-- Name: receipts; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.receipts ENABLE ROW LEVEL SECURITY;

--
-- Name: return_lines; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.return_lines ENABLE ROW LEVEL SECURITY;

--
-- Name: returns; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.returns ENABLE ROW LEVEL SECURITY;

--
-- Name: sale_lines; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.sale_lines ENABLE ROW LEVEL SECURITY;

--
-- Name: sale_payments; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.sale_payments ENABLE ROW LEVEL SECURITY;

--
-- Name: sales; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.sales ENABLE ROW LEVEL SECURITY;

--
-- Name: stock_levels; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.stock_levels ENABLE ROW LEVEL SECURITY;

--
-- Name: suppliers; Type: ROW SECURITY; Schema: commerce; Owner: cimiento_owner
--

ALTER TABLE commerce.suppliers ENABLE ROW LEVEL SECURITY;

--
-- Name: categories tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.categories FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.categories IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: customer_stats tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.customer_stats FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON customer_stats; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.customer_stats IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: customers tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.customers FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.customers IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: inventory_movements tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.inventory_movements FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.inventory_movements IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: locations tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.locations FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.locations IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: product_costs tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.product_costs FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON product_costs; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.product_costs IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: products tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.products FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.products IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: receipts tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.receipts FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.receipts IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: return_lines tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.return_lines FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.return_lines IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: returns tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.returns FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.returns IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: sale_lines tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.sale_lines FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.sale_lines IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: sale_payments tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.sale_payments FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.sale_payments IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: sales tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.sales FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.sales IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: stock_levels tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.stock_levels FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON stock_levels; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.stock_levels IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: suppliers tenant_isolation_delete; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON commerce.suppliers FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON commerce.suppliers IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: categories tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.categories FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.categories IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: customer_stats tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.customer_stats FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON customer_stats; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.customer_stats IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: customers tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.customers FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.customers IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: inventory_movements tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.inventory_movements FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.inventory_movements IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: locations tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.locations FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.locations IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: product_costs tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.product_costs FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON product_costs; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.product_costs IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: products tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.products FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.products IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: receipts tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.receipts FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.receipts IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: return_lines tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.return_lines FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.return_lines IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: returns tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.returns FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.returns IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: sale_lines tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.sale_lines FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.sale_lines IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: sale_payments tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.sale_payments FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.sale_payments IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: sales tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.sales FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.sales IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: stock_levels tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.stock_levels FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON stock_levels; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.stock_levels IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: suppliers tenant_isolation_insert; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON commerce.suppliers FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON commerce.suppliers IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: categories tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.categories FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.categories IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: customer_stats tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.customer_stats FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON customer_stats; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.customer_stats IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: customers tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.customers FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.customers IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: inventory_movements tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.inventory_movements FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.inventory_movements IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: locations tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.locations FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.locations IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: product_costs tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.product_costs FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON product_costs; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.product_costs IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: products tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.products FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.products IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: receipts tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.receipts FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.receipts IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: return_lines tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.return_lines FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.return_lines IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: returns tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.returns FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.returns IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: sale_lines tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.sale_lines FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.sale_lines IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: sale_payments tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.sale_payments FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.sale_payments IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: sales tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.sales FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.sales IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: stock_levels tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.stock_levels FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON stock_levels; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.stock_levels IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: suppliers tenant_isolation_select; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON commerce.suppliers FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON commerce.suppliers IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: categories tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.categories FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON categories; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.categories IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: customer_stats tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.customer_stats FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON customer_stats; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.customer_stats IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: customers tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.customers FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON customers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.customers IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: inventory_movements tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.inventory_movements FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON inventory_movements; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.inventory_movements IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: locations tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.locations FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON locations; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.locations IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: product_costs tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.product_costs FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON product_costs; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.product_costs IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: products tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.products FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON products; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.products IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: receipts tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.receipts FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON receipts; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.receipts IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: return_lines tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.return_lines FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON return_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.return_lines IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: returns tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.returns FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON returns; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.returns IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: sale_lines tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.sale_lines FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON sale_lines; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.sale_lines IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: sale_payments tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.sale_payments FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON sale_payments; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.sale_payments IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: sales tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.sales FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON sales; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.sales IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: stock_levels tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.stock_levels FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON stock_levels; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.stock_levels IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: suppliers tenant_isolation_update; Type: POLICY; Schema: commerce; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON commerce.suppliers FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON suppliers; Type: COMMENT; Schema: commerce; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON commerce.suppliers IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: branches; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.branches ENABLE ROW LEVEL SECURITY;

--
-- Name: branches branches_manage_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY branches_manage_delete ON core.branches AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('branches.manage'::text) AS has_permission));

--
-- Name: branches branches_manage_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY branches_manage_insert ON core.branches AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('branches.manage'::text) AS has_permission));

--
-- Name: branches branches_manage_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY branches_manage_update ON core.branches AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('branches.manage'::text) AS has_permission));

--
-- Name: db_logins; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.db_logins ENABLE ROW LEVEL SECURITY;

--
-- Name: events; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.events ENABLE ROW LEVEL SECURITY;

--
-- Name: events events_row_visible; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY events_row_visible ON core.events AS RESTRICTIVE FOR SELECT TO app_user USING (core.event_visible(entity, tenant_id, row_id));

--
-- Name: refresh_tokens; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.refresh_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: role_permissions; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.role_permissions ENABLE ROW LEVEL SECURITY;

--
-- Name: role_permissions role_permissions_manage_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY role_permissions_manage_delete ON core.role_permissions AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission));

--
-- Name: role_permissions role_permissions_manage_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY role_permissions_manage_insert ON core.role_permissions AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission));

--
-- Name: role_permissions role_permissions_read; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY role_permissions_read ON core.role_permissions AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('roles.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('users.manage'::text) AS has_permission)));

--
-- Name: POLICY role_permissions_read ON role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY role_permissions_read ON core.role_permissions IS 'Seeing what roles grant needs roles.read, roles.manage or users.manage.';

--
-- Name: roles; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.roles ENABLE ROW LEVEL SECURITY;

--
-- Name: roles roles_manage_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY roles_manage_delete ON core.roles AS RESTRICTIVE FOR DELETE USING ((( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission) AND (NOT builtin)));

--
-- Name: roles roles_manage_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY roles_manage_insert ON core.roles AS RESTRICTIVE FOR INSERT WITH CHECK ((( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission) AND (NOT builtin)));

--
-- Name: roles roles_manage_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY roles_manage_update ON core.roles AS RESTRICTIVE FOR UPDATE USING ((( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission) AND (NOT builtin)));

--
-- Name: roles roles_read; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY roles_read ON core.roles AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('roles.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('roles.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('users.manage'::text) AS has_permission) OR (name = ANY (( SELECT cimiento.current_roles() AS current_roles)::text[]))));

--
-- Name: POLICY roles_read ON roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY roles_read ON core.roles IS 'Seeing roles needs roles.read, roles.manage or users.manage; everyone sees the roles they hold.';

--
-- Name: sessions; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: sessions sessions_own_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY sessions_own_select ON core.sessions AS RESTRICTIVE FOR SELECT USING (((user_id = ( SELECT cimiento.current_user_id() AS current_user_id)) OR ( SELECT cimiento.has_permission('sessions.manage'::text) AS has_permission)));

--
-- Name: branches tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.branches FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON branches; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.branches IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: db_logins tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.db_logins FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON db_logins; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.db_logins IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: events tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.events FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON events; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.events IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: refresh_tokens tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.refresh_tokens FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON refresh_tokens; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.refresh_tokens IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: role_permissions tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.role_permissions FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.role_permissions IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: roles tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.roles FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.roles IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: sessions tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.sessions FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON sessions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.sessions IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: user_roles tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.user_roles FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON user_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.user_roles IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: users tenant_isolation_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON core.users FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON users; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON core.users IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: branches tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.branches FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON branches; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.branches IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: db_logins tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.db_logins FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON db_logins; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.db_logins IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: events tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.events FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON events; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.events IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: refresh_tokens tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.refresh_tokens FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON refresh_tokens; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.refresh_tokens IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: role_permissions tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.role_permissions FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.role_permissions IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: roles tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.roles FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.roles IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: sessions tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.sessions FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON sessions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.sessions IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: user_roles tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.user_roles FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON user_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.user_roles IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: users tenant_isolation_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON core.users FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON users; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON core.users IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: branches tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.branches FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON branches; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.branches IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: db_logins tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.db_logins FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON db_logins; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.db_logins IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: events tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.events FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON events; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.events IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: refresh_tokens tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.refresh_tokens FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON refresh_tokens; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.refresh_tokens IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: role_permissions tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.role_permissions FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.role_permissions IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: roles tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.roles FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.roles IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: sessions tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.sessions FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON sessions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.sessions IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: user_roles tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.user_roles FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON user_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.user_roles IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: users tenant_isolation_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON core.users FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON users; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON core.users IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: branches tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.branches FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON branches; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.branches IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: db_logins tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.db_logins FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON db_logins; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.db_logins IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: events tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.events FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON events; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.events IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: refresh_tokens tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.refresh_tokens FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON refresh_tokens; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.refresh_tokens IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: role_permissions tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.role_permissions FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON role_permissions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.role_permissions IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: roles tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.roles FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.roles IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: sessions tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.sessions FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON sessions; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.sessions IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: user_roles tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.user_roles FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON user_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.user_roles IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: users tenant_isolation_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON core.users FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON users; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON core.users IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: tenants; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.tenants ENABLE ROW LEVEL SECURITY;

--
-- Name: tenants tenants_own_select; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenants_own_select ON core.tenants FOR SELECT USING ((id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: tenants tenants_own_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY tenants_own_update ON core.tenants FOR UPDATE USING (((id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND ( SELECT cimiento.has_permission('tenants.manage'::text) AS has_permission))) WITH CHECK ((id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: user_roles; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.user_roles ENABLE ROW LEVEL SECURITY;

--
-- Name: user_roles user_roles_manage_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY user_roles_manage_delete ON core.user_roles AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('users.manage'::text) AS has_permission));

--
-- Name: user_roles user_roles_manage_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY user_roles_manage_insert ON core.user_roles AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('users.manage'::text) AS has_permission));

--
-- Name: user_roles user_roles_manage_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY user_roles_manage_update ON core.user_roles AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('users.manage'::text) AS has_permission));

--
-- Name: user_roles user_roles_read; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY user_roles_read ON core.user_roles AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('users.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('users.manage'::text) AS has_permission) OR (user_id = ( SELECT cimiento.current_user_id() AS current_user_id))));

--
-- Name: POLICY user_roles_read ON user_roles; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY user_roles_read ON core.user_roles IS 'Seeing role assignments needs users.read (or users.manage); everyone sees their own.';

--
-- Name: users; Type: ROW SECURITY; Schema: core; Owner: cimiento_owner
--

ALTER TABLE core.users ENABLE ROW LEVEL SECURITY;

--
-- Name: users users_manage_delete; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY users_manage_delete ON core.users AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('users.manage'::text) AS has_permission));

--
-- Name: users users_manage_insert; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY users_manage_insert ON core.users AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('users.manage'::text) AS has_permission));

--
-- Name: users users_manage_update; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY users_manage_update ON core.users AS RESTRICTIVE FOR UPDATE USING ((( SELECT cimiento.has_permission('users.manage'::text) AS has_permission) OR (id = ( SELECT cimiento.current_user_id() AS current_user_id))));

--
-- Name: users users_read; Type: POLICY; Schema: core; Owner: cimiento_owner
--

CREATE POLICY users_read ON core.users AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('users.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('users.manage'::text) AS has_permission) OR (id = ( SELECT cimiento.current_user_id() AS current_user_id))));

--
-- Name: POLICY users_read ON users; Type: COMMENT; Schema: core; Owner: cimiento_owner
--

COMMENT ON POLICY users_read ON core.users IS 'Seeing the tenant''s users needs users.read (or users.manage); everyone sees their own row.';

--
-- Name: batch_identities; Type: ROW SECURITY; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE imports.batch_identities ENABLE ROW LEVEL SECURITY;

--
-- Name: batches; Type: ROW SECURITY; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE imports.batches ENABLE ROW LEVEL SECURITY;

--
-- Name: lineage; Type: ROW SECURITY; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE imports.lineage ENABLE ROW LEVEL SECURITY;

--
-- Name: lineage lineage_of_visible_batch; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY lineage_of_visible_batch ON imports.lineage AS RESTRICTIVE USING ((EXISTS ( SELECT 1
   FROM imports.batches b
  WHERE ((b.tenant_id = lineage.tenant_id) AND (b.id = lineage.batch_id))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM imports.batches b
  WHERE ((b.tenant_id = lineage.tenant_id) AND (b.id = lineage.batch_id) AND (b.created_by = cimiento.current_user_id()) AND (b.status = 'promoting'::text)))));

--
-- Name: POLICY lineage_of_visible_batch ON lineage; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY lineage_of_visible_batch ON imports.lineage IS 'Lineage is seen with its batch and written only while its creator promotes it.';

--
-- Name: batches permission_insert; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON imports.batches AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('imports.create'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON imports.batches IS 'cimiento: insert needs imports.create in some branch';

--
-- Name: batches permission_select; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY permission_select ON imports.batches AS RESTRICTIVE FOR SELECT USING (((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('imports.read'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (created_by = ( SELECT
        CASE
            WHEN cimiento.has_permission('imports.create'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case")))));

--
-- Name: POLICY permission_select ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON imports.batches IS 'cimiento: select needs imports.read, or imports.create for rows whose created_by is the caller';

--
-- Name: batches permission_update; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY permission_update ON imports.batches AS RESTRICTIVE FOR UPDATE USING (((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('imports.create'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (created_by = ( SELECT
        CASE
            WHEN cimiento.has_permission('imports.create'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case"))))) WITH CHECK (((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('imports.create'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (created_by = ( SELECT
        CASE
            WHEN cimiento.has_permission('imports.create'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case")))));

--
-- Name: POLICY permission_update ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON imports.batches IS 'cimiento: update needs imports.create, or imports.create for rows whose created_by is the caller';

--
-- Name: rows; Type: ROW SECURITY; Schema: imports; Owner: cimiento_owner
--

ALTER TABLE imports.rows ENABLE ROW LEVEL SECURITY;

--
-- Name: rows rows_of_visible_batch; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY rows_of_visible_batch ON imports.rows AS RESTRICTIVE USING ((EXISTS ( SELECT 1
   FROM imports.batches b
  WHERE ((b.tenant_id = rows.tenant_id) AND (b.id = rows.batch_id))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM imports.batches b
  WHERE ((b.tenant_id = rows.tenant_id) AND (b.id = rows.batch_id) AND (b.created_by = cimiento.current_user_id())))));

--
-- Name: POLICY rows_of_visible_batch ON rows; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY rows_of_visible_batch ON imports.rows IS 'A staged row is seen with its batch and written only by the batch''s creator.';

--
-- Name: batch_identities tenant_isolation_delete; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON imports.batch_identities FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON batch_identities; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON imports.batch_identities IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: batches tenant_isolation_delete; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON imports.batches FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON imports.batches IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: lineage tenant_isolation_delete; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON imports.lineage FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON lineage; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON imports.lineage IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: rows tenant_isolation_delete; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON imports.rows FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON rows; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON imports.rows IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: batch_identities tenant_isolation_insert; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON imports.batch_identities FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON batch_identities; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON imports.batch_identities IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: batches tenant_isolation_insert; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON imports.batches FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON imports.batches IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: lineage tenant_isolation_insert; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON imports.lineage FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON lineage; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON imports.lineage IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: rows tenant_isolation_insert; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON imports.rows FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON rows; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON imports.rows IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: batch_identities tenant_isolation_select; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON imports.batch_identities FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON batch_identities; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON imports.batch_identities IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: batches tenant_isolation_select; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON imports.batches FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON imports.batches IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: lineage tenant_isolation_select; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON imports.lineage FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON lineage; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON imports.lineage IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: rows tenant_isolation_select; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON imports.rows FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON rows; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON imports.rows IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: batch_identities tenant_isolation_update; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON imports.batch_identities FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON batch_identities; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON imports.batch_identities IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: batches tenant_isolation_update; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON imports.batches FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON batches; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON imports.batches IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: lineage tenant_isolation_update; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON imports.lineage FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON lineage; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON imports.lineage IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: rows tenant_isolation_update; Type: POLICY; Schema: imports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON imports.rows FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON rows; Type: COMMENT; Schema: imports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON imports.rows IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: clients; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.clients ENABLE ROW LEVEL SECURITY;

--
-- Name: collection_proposals; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.collection_proposals ENABLE ROW LEVEL SECURITY;

--
-- Name: coverage_prices; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.coverage_prices ENABLE ROW LEVEL SECURITY;

--
-- Name: coverages; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.coverages ENABLE ROW LEVEL SECURITY;

--
-- Name: instalments; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.instalments ENABLE ROW LEVEL SECURITY;

--
-- Name: instalments instalments_with_policy; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY instalments_with_policy ON insurance.instalments AS RESTRICTIVE FOR SELECT TO app_user USING ((EXISTS ( SELECT 1
   FROM insurance.policies p
  WHERE ((p.tenant_id = instalments.tenant_id) AND (p.id = instalments.policy_id)))));

--
-- Name: payments; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.payments ENABLE ROW LEVEL SECURITY;

--
-- Name: payments payments_kind_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY payments_kind_insert ON insurance.payments AS RESTRICTIVE FOR INSERT TO app_user WITH CHECK (
CASE
    WHEN (amount > (0)::numeric) THEN cimiento.has_permission('payments.create'::text, branch_id)
    ELSE cimiento.has_permission('payments.revert'::text, branch_id)
END);

--
-- Name: clients permission_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON insurance.clients AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('clients.manage'::text) AS has_permission));

--
-- Name: POLICY permission_delete ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON insurance.clients IS 'cimiento: delete needs clients.manage in some branch';

--
-- Name: coverage_prices permission_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_delete ON insurance.coverage_prices AS RESTRICTIVE FOR DELETE USING (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission));

--
-- Name: POLICY permission_delete ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_delete ON insurance.coverage_prices IS 'cimiento: delete needs coverages.manage in some branch';

--
-- Name: clients permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.clients AS RESTRICTIVE FOR INSERT WITH CHECK ((( SELECT cimiento.has_permission('clients.create'::text) AS has_permission) OR ( SELECT cimiento.has_permission('clients.manage'::text) AS has_permission)));

--
-- Name: POLICY permission_insert ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.clients IS 'cimiento: insert needs clients.create or clients.manage in some branch';

--
-- Name: collection_proposals permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.collection_proposals AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('proposals.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.collection_proposals IS 'cimiento: insert needs proposals.create in the branch of the row';

--
-- Name: coverage_prices permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.coverage_prices AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.coverage_prices IS 'cimiento: insert needs coverages.manage in some branch';

--
-- Name: coverages permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.coverages AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.coverages IS 'cimiento: insert needs coverages.manage in some branch';

--
-- Name: policies permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.policies AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('policies.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.create'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.policies IS 'cimiento: insert needs policies.create in the branch of the row';

--
-- Name: policy_series permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.policy_series AS RESTRICTIVE FOR INSERT WITH CHECK (( SELECT cimiento.has_permission('policies.issue'::text) AS has_permission));

--
-- Name: POLICY permission_insert ON policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.policy_series IS 'cimiento: insert needs policies.issue in some branch';

--
-- Name: receipt_lots permission_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_insert ON insurance.receipt_lots AS RESTRICTIVE FOR INSERT WITH CHECK (((( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_insert ON receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_insert ON insurance.receipt_lots IS 'cimiento: insert needs receipts.manage in the branch of the row';

--
-- Name: clients permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.clients AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('clients.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('clients.create'::text) AS has_permission) OR ( SELECT cimiento.has_permission('clients.manage'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.clients IS 'cimiento: select needs clients.read or clients.create or clients.manage in some branch';

--
-- Name: collection_proposals permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.collection_proposals AS RESTRICTIVE FOR SELECT USING ((((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('proposals.read'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('proposals.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.read'::text) AS permission_branches)::uuid[])))) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (collector_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('proposals.read_own'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('proposals.read_own'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.read_own'::text) AS permission_branches)::uuid[]))))));

--
-- Name: POLICY permission_select ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.collection_proposals IS 'cimiento: select needs proposals.read, or proposals.read_own for rows whose collector_id is the caller';

--
-- Name: coverage_prices permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.coverage_prices AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('coverages.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('policies.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.coverage_prices IS 'cimiento: select needs coverages.read or coverages.manage or policies.create in some branch';

--
-- Name: coverages permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.coverages AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('coverages.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission) OR ( SELECT cimiento.has_permission('policies.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.coverages IS 'cimiento: select needs coverages.read or coverages.manage or policies.create in some branch';

--
-- Name: instalments permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.instalments AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('policies.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('policies.read_own'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.read_own'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.create'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.instalments IS 'cimiento: select needs policies.read or policies.read_own or payments.read or proposals.create or policies.status in the branch of the row';

--
-- Name: payments permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.payments AS RESTRICTIVE FOR SELECT USING ((((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('payments.read'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches)::uuid[])))) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (collector_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('collections.read_own'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('collections.read_own'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('collections.read_own'::text) AS permission_branches)::uuid[]))))));

--
-- Name: POLICY permission_select ON payments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.payments IS 'cimiento: select needs payments.read, or collections.read_own for rows whose collector_id is the caller';

--
-- Name: policies permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.policies AS RESTRICTIVE FOR SELECT USING ((((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('policies.read'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('policies.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.read'::text) AS permission_branches)::uuid[])))) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (seller_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('policies.read_own'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('policies.read_own'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.read_own'::text) AS permission_branches)::uuid[]))))));

--
-- Name: POLICY permission_select ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.policies IS 'cimiento: select needs policies.read, or policies.read_own for rows whose seller_id is the caller';

--
-- Name: policy_series permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.policy_series AS RESTRICTIVE FOR SELECT USING ((( SELECT cimiento.has_permission('policies.read'::text) AS has_permission) OR ( SELECT cimiento.has_permission('policies.read_own'::text) AS has_permission) OR ( SELECT cimiento.has_permission('policies.create'::text) AS has_permission)));

--
-- Name: POLICY permission_select ON policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.policy_series IS 'cimiento: select needs policies.read or policies.read_own or policies.create in some branch';

--
-- Name: receipt_lots permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.receipt_lots AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('receipts.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.read'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_select ON receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.receipt_lots IS 'cimiento: select needs receipts.read or receipts.manage in the branch of the row';

--
-- Name: receipts permission_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_select ON insurance.receipts AS RESTRICTIVE FOR SELECT USING ((((tenant_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('receipts.read'::text) THEN cimiento.current_tenant()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('receipts.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.read'::text) AS permission_branches)::uuid[])))) OR ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (collector_id = ( SELECT
        CASE
            WHEN cimiento.has_permission('receipts.read_own'::text) THEN cimiento.current_user_id()
            ELSE NULL::uuid
        END AS "case")) AND ((( SELECT cimiento.permission_branches('receipts.read_own'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.read_own'::text) AS permission_branches)::uuid[]))))));

--
-- Name: POLICY permission_select ON receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON insurance.receipts IS 'cimiento: select needs receipts.read, or receipts.read_own for rows whose collector_id is the caller';

--
-- Name: clients permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.clients AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('clients.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('clients.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.clients IS 'cimiento: update needs clients.manage in some branch';

--
-- Name: collection_proposals permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.collection_proposals AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('proposals.review'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.review'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.reject'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.reject'::text) AS permission_branches)::uuid[]))))) WITH CHECK (((( SELECT cimiento.permission_branches('proposals.review'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.review'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.reject'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.reject'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_update ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.collection_proposals IS 'cimiento: update needs proposals.review or proposals.approve or proposals.reject in the branch of the row';

--
-- Name: coverage_prices permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.coverage_prices AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.coverage_prices IS 'cimiento: update needs coverages.manage in some branch';

--
-- Name: coverages permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.coverages AS RESTRICTIVE FOR UPDATE USING (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission)) WITH CHECK (( SELECT cimiento.has_permission('coverages.manage'::text) AS has_permission));

--
-- Name: POLICY permission_update ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.coverages IS 'cimiento: update needs coverages.manage in some branch';

--
-- Name: instalments permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.instalments AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches)::uuid[])))) WITH CHECK (((( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_update ON instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.instalments IS 'cimiento: update needs policies.status in the branch of the row';

--
-- Name: policies permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.policies AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('policies.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('policies.cancel'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.cancel'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('policies.renew'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.renew'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.revert'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.revert'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches)::uuid[]))))) WITH CHECK (((( SELECT cimiento.permission_branches('policies.issue'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.issue'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('policies.cancel'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.cancel'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('policies.renew'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.renew'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('policies.status'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.revert'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.revert'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_update ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.policies IS 'cimiento: update needs policies.issue or policies.cancel or policies.renew or policies.status or payments.create or payments.revert or proposals.approve in the branch of the row';

--
-- Name: receipts permission_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY permission_update ON insurance.receipts AS RESTRICTIVE FOR UPDATE USING (((( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('receipts.verify'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.verify'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches)::uuid[]))))) WITH CHECK (((( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.manage'::text) AS permission_branches)::uuid[])) OR ((( SELECT cimiento.permission_branches('receipts.verify'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('receipts.verify'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('proposals.approve'::text) AS permission_branches)::uuid[]))) OR ((( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.create'::text) AS permission_branches)::uuid[])))));

--
-- Name: POLICY permission_update ON receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY permission_update ON insurance.receipts IS 'cimiento: update needs receipts.manage or receipts.verify or proposals.approve or payments.create in the branch of the row';

--
-- Name: policies; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.policies ENABLE ROW LEVEL SECURITY;

--
-- Name: policy_series; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.policy_series ENABLE ROW LEVEL SECURITY;

--
-- Name: receipt_lots; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.receipt_lots ENABLE ROW LEVEL SECURITY;

--
-- Name: receipts; Type: ROW SECURITY; Schema: insurance; Owner: cimiento_owner
--

ALTER TABLE insurance.receipts ENABLE ROW LEVEL SECURITY;

--
-- Name: clients tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.clients FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.clients IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: collection_proposals tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.collection_proposals FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.collection_proposals IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: coverage_prices tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.coverage_prices FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.coverage_prices IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: coverages tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.coverages FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.coverages IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: instalments tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.instalments FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.instalments IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.payments FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON payments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.payments IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: policies tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.policies FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.policies IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: policy_series tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.policy_series FOR DELETE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_delete ON policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.policy_series IS 'cimiento: delete only rows of the caller''s tenant';

--
-- Name: receipt_lots tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.receipt_lots FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.receipt_lots IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: receipts tenant_isolation_delete; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON insurance.receipts FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON insurance.receipts IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: clients tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.clients FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.clients IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: collection_proposals tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.collection_proposals FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.collection_proposals IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: coverage_prices tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.coverage_prices FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.coverage_prices IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: coverages tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.coverages FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.coverages IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: instalments tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.instalments FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.instalments IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.payments FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON payments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.payments IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: policies tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.policies FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.policies IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: policy_series tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.policy_series FOR INSERT WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_insert ON policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.policy_series IS 'cimiento: insert only rows of the caller''s tenant';

--
-- Name: receipt_lots tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.receipt_lots FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.receipt_lots IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: receipts tenant_isolation_insert; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON insurance.receipts FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON insurance.receipts IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: clients tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.clients FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.clients IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: collection_proposals tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.collection_proposals FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.collection_proposals IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: coverage_prices tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.coverage_prices FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.coverage_prices IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: coverages tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.coverages FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.coverages IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: instalments tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.instalments FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.instalments IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.payments FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON payments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.payments IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: policies tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.policies FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.policies IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: policy_series tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.policy_series FOR SELECT USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_select ON policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.policy_series IS 'cimiento: select only rows of the caller''s tenant';

--
-- Name: receipt_lots tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.receipt_lots FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.receipt_lots IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: receipts tenant_isolation_select; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON insurance.receipts FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON insurance.receipts IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: clients tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.clients FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON clients; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.clients IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: collection_proposals tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.collection_proposals FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON collection_proposals; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.collection_proposals IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: coverage_prices tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.coverage_prices FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON coverage_prices; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.coverage_prices IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: coverages tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.coverages FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON coverages; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.coverages IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: instalments tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.instalments FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON instalments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.instalments IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: payments tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.payments FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON payments; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.payments IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: policies tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.policies FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON policies; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.policies IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: policy_series tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.policy_series FOR UPDATE USING ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))) WITH CHECK ((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)));

--
-- Name: POLICY tenant_isolation_update ON policy_series; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.policy_series IS 'cimiento: update only rows of the caller''s tenant';

--
-- Name: receipt_lots tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.receipt_lots FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON receipt_lots; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.receipt_lots IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: receipts tenant_isolation_update; Type: POLICY; Schema: insurance; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON insurance.receipts FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON receipts; Type: COMMENT; Schema: insurance; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON insurance.receipts IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: attendance_by_course_day; Type: ROW SECURITY; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE reports.attendance_by_course_day ENABLE ROW LEVEL SECURITY;

--
-- Name: collected_by_month; Type: ROW SECURITY; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE reports.collected_by_month ENABLE ROW LEVEL SECURITY;

--
-- Name: attendance_by_course_day permission_select; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY permission_select ON reports.attendance_by_course_day AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('attendance.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('attendance.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON attendance_by_course_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON reports.attendance_by_course_day IS 'cimiento: select needs attendance.read in the branch of the row';

--
-- Name: collected_by_month permission_select; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY permission_select ON reports.collected_by_month AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('payments.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON collected_by_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON reports.collected_by_month IS 'cimiento: select needs payments.read in the branch of the row';

--
-- Name: sold_by_day permission_select; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY permission_select ON reports.sold_by_day AS RESTRICTIVE FOR SELECT USING (((( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches) IS NULL) OR (branch_id = ANY (( SELECT cimiento.permission_branches('sales.read'::text) AS permission_branches)::uuid[]))));

--
-- Name: POLICY permission_select ON sold_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY permission_select ON reports.sold_by_day IS 'cimiento: select needs sales.read in the branch of the row';

--
-- Name: sold_by_day; Type: ROW SECURITY; Schema: reports; Owner: cimiento_owner
--

ALTER TABLE reports.sold_by_day ENABLE ROW LEVEL SECURITY;

--
-- Name: attendance_by_course_day tenant_isolation_delete; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON reports.attendance_by_course_day FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON attendance_by_course_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON reports.attendance_by_course_day IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: collected_by_month tenant_isolation_delete; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON reports.collected_by_month FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON collected_by_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON reports.collected_by_month IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: sold_by_day tenant_isolation_delete; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_delete ON reports.sold_by_day FOR DELETE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_delete ON sold_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_delete ON reports.sold_by_day IS 'cimiento: delete only rows of the caller''s tenant and branches';

--
-- Name: attendance_by_course_day tenant_isolation_insert; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON reports.attendance_by_course_day FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON attendance_by_course_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON reports.attendance_by_course_day IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: collected_by_month tenant_isolation_insert; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON reports.collected_by_month FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON collected_by_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON reports.collected_by_month IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: sold_by_day tenant_isolation_insert; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_insert ON reports.sold_by_day FOR INSERT WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_insert ON sold_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_insert ON reports.sold_by_day IS 'cimiento: insert only rows of the caller''s tenant and branches';

--
-- Name: attendance_by_course_day tenant_isolation_select; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON reports.attendance_by_course_day FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON attendance_by_course_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON reports.attendance_by_course_day IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: collected_by_month tenant_isolation_select; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON reports.collected_by_month FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON collected_by_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON reports.collected_by_month IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: sold_by_day tenant_isolation_select; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_select ON reports.sold_by_day FOR SELECT USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_select ON sold_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_select ON reports.sold_by_day IS 'cimiento: select only rows of the caller''s tenant and branches';

--
-- Name: attendance_by_course_day tenant_isolation_update; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON reports.attendance_by_course_day FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON attendance_by_course_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON reports.attendance_by_course_day IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: collected_by_month tenant_isolation_update; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON reports.collected_by_month FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON collected_by_month; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON reports.collected_by_month IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: sold_by_day tenant_isolation_update; Type: POLICY; Schema: reports; Owner: cimiento_owner
--

CREATE POLICY tenant_isolation_update ON reports.sold_by_day FOR UPDATE USING (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[]))))) WITH CHECK (((tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant)) AND (( SELECT cimiento.all_branches() AS all_branches) OR (branch_id = ANY (( SELECT cimiento.current_branches() AS current_branches)::uuid[])))));

--
-- Name: POLICY tenant_isolation_update ON sold_by_day; Type: COMMENT; Schema: reports; Owner: cimiento_owner
--

COMMENT ON POLICY tenant_isolation_update ON reports.sold_by_day IS 'cimiento: update only rows of the caller''s tenant and branches';

--
-- Name: SCHEMA academy; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA academy TO app_user;
GRANT USAGE ON SCHEMA academy TO cimiento_api;
GRANT USAGE ON SCHEMA academy TO analyst;
GRANT USAGE ON SCHEMA academy TO cimiento_jobs;

--
-- Name: SCHEMA api; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA api TO anon;
GRANT USAGE ON SCHEMA api TO app_user;
GRANT USAGE ON SCHEMA api TO cimiento_api;

--
-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: audit_owner
--

GRANT USAGE ON SCHEMA audit TO app_user;
GRANT USAGE ON SCHEMA audit TO cimiento_sealer;

--
-- Name: SCHEMA billing; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA billing TO app_user;
GRANT USAGE ON SCHEMA billing TO cimiento_api;
GRANT USAGE ON SCHEMA billing TO analyst;
GRANT USAGE ON SCHEMA billing TO cimiento_numbering;

--
-- Name: SCHEMA commerce; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA commerce TO app_user;
GRANT USAGE ON SCHEMA commerce TO cimiento_api;
GRANT USAGE ON SCHEMA commerce TO analyst;

--
-- Name: SCHEMA core; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA core TO app_user;
GRANT USAGE ON SCHEMA core TO cimiento_api;
GRANT USAGE ON SCHEMA core TO analyst;
GRANT USAGE ON SCHEMA core TO cimiento_jobs;

--
-- Name: SCHEMA hooks; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA hooks TO anon;
GRANT USAGE ON SCHEMA hooks TO app_user;

--
-- Name: SCHEMA imports; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA imports TO app_user;
GRANT USAGE ON SCHEMA imports TO analyst;
GRANT USAGE ON SCHEMA imports TO cimiento_api;

--
-- Name: SCHEMA insurance; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA insurance TO app_user;
GRANT USAGE ON SCHEMA insurance TO analyst;
GRANT USAGE ON SCHEMA insurance TO cimiento_api;
GRANT USAGE ON SCHEMA insurance TO cimiento_numbering;
GRANT USAGE ON SCHEMA insurance TO cimiento_jobs;

--
-- Name: SCHEMA reports; Type: ACL; Schema: -; Owner: cimiento_owner
--

GRANT USAGE ON SCHEMA reports TO app_user;
GRANT USAGE ON SCHEMA reports TO analyst;
GRANT USAGE ON SCHEMA reports TO cimiento_jobs;

--
-- Name: FUNCTION attendance_check_enrolled(); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.attendance_check_enrolled() FROM PUBLIC;

--
-- Name: FUNCTION branch_of(p_kind text, p_id uuid); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.branch_of(p_kind text, p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION academy.branch_of(p_kind text, p_id uuid) TO app_user;

--
-- Name: FUNCTION enrollment_course_is_open(p_row jsonb); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.enrollment_course_is_open(p_row jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION academy.enrollment_course_is_open(p_row jsonb) TO app_user;

--
-- Name: FUNCTION enrollments_mark_withdrawn(); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.enrollments_mark_withdrawn() FROM PUBLIC;

--
-- Name: FUNCTION enrollments_open_account(); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.enrollments_open_account() FROM PUBLIC;

--
-- Name: FUNCTION mark_overdue(); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.mark_overdue() FROM PUBLIC;
GRANT ALL ON FUNCTION academy.mark_overdue() TO cimiento_jobs;

--
-- Name: FUNCTION payments_apply(); Type: ACL; Schema: academy; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION academy.payments_apply() FROM PUBLIC;

--
-- Name: FUNCTION require_branch(p_kind text, p_id uuid); Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION academy.require_branch(p_kind text, p_id uuid) TO app_user;

--
-- Name: FUNCTION require_branch(p_kind text, p_id uuid, p_permission text); Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION academy.require_branch(p_kind text, p_id uuid, p_permission text) TO app_user;

--
-- Name: FUNCTION adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.adjust_stock(location_id uuid, product_id uuid, quantity numeric, reason text) TO app_user;

--
-- Name: FUNCTION allowed_transitions(entity text, id text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.allowed_transitions(entity text, id text) TO app_user;

--
-- Name: FUNCTION approve_proposal(id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.approve_proposal(id uuid) TO app_user;

--
-- Name: FUNCTION assign_receipts(collector_id uuid, numbers text[]); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.assign_receipts(collector_id uuid, numbers text[]) TO app_user;

--
-- Name: FUNCTION cancel_import(batch_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.cancel_import(batch_id uuid) TO app_user;

--
-- Name: FUNCTION create_course(branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date, description text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.create_course(branch_id uuid, code text, name text, fee numeric, capacity integer, starts_on date, ends_on date, description text) TO app_user;

--
-- Name: FUNCTION create_import(target text, file_name text, headers text[], mapping jsonb, mode text, format text, encoding text, delimiter text, sheet text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.create_import(target text, file_name text, headers text[], mapping jsonb, mode text, format text, encoding text, delimiter text, sheet text) TO app_user;

--
-- Name: FUNCTION create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text, vehicle_year integer, vin text, plates text, starts_on date, prima_total numeric, branch_id uuid, series_code text, issue boolean); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text, vehicle_year integer, vin text, plates text, starts_on date, prima_total numeric, branch_id uuid, series_code text, issue boolean) TO app_user;

--
-- Name: FUNCTION create_sale(branch_id uuid, lines jsonb, payments jsonb, customer_id uuid, idempotency_key text, location_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.create_sale(branch_id uuid, lines jsonb, payments jsonb, customer_id uuid, idempotency_key text, location_id uuid) TO app_user;

--
-- Name: FUNCTION enroll_student(student_id uuid, course_id uuid, agreed_fee numeric, discount numeric, due_date date); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.enroll_student(student_id uuid, course_id uuid, agreed_fee numeric, discount numeric, due_date date) TO app_user;

--
-- Name: FUNCTION file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text, latitude numeric, longitude numeric, photo_ref text, collected_at timestamp with time zone, collector_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text, latitude numeric, longitude numeric, photo_ref text, collected_at timestamp with time zone, collector_id uuid) TO app_user;

--
-- Name: FUNCTION import_product(sku text, name text, sale_price numeric, tax_rate numeric, unit text, barcode text, cost numeric, reorder_point numeric, location_id uuid, opening_stock numeric); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.import_product(sku text, name text, sale_price numeric, tax_rate numeric, unit text, barcode text, cost numeric, reorder_point numeric, location_id uuid, opening_stock numeric) TO app_user;

--
-- Name: FUNCTION issue_credit_note(invoice_id uuid, reason text, lines jsonb, series_code text, issue_date date, idempotency_key text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.issue_credit_note(invoice_id uuid, reason text, lines jsonb, series_code text, issue_date date, idempotency_key text) TO app_user;

--
-- Name: FUNCTION issue_enrollment_invoice(enrollment_id uuid, series_code text, tax_rate numeric, idempotency_key text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.issue_enrollment_invoice(enrollment_id uuid, series_code text, tax_rate numeric, idempotency_key text) TO app_user;

--
-- Name: FUNCTION issue_invoice(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.issue_invoice(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text) TO app_user;

--
-- Name: FUNCTION issue_policy(policy_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.issue_policy(policy_id uuid) TO app_user;

--
-- Name: FUNCTION promote_import(batch_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.promote_import(batch_id uuid) TO app_user;

--
-- Name: FUNCTION receive_stock(location_id uuid, lines jsonb, supplier_id uuid, reference text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.receive_stock(location_id uuid, lines jsonb, supplier_id uuid, reference text) TO app_user;

--
-- Name: FUNCTION record_attendance(course_id uuid, date date, records jsonb); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.record_attendance(course_id uuid, date date, records jsonb) TO app_user;

--
-- Name: FUNCTION record_payment(policy_id uuid, instalment_no integer, amount numeric, method text, paid_on date, reference text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.record_payment(policy_id uuid, instalment_no integer, amount numeric, method text, paid_on date, reference text) TO app_user;

--
-- Name: FUNCTION register_payment(enrollment_id uuid, amount numeric, method text, reference text, notes text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.register_payment(enrollment_id uuid, amount numeric, method text, reference text, notes text) TO app_user;

--
-- Name: FUNCTION register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text) TO app_user;

--
-- Name: FUNCTION register_student(branch_id uuid, document_id text, first_name text, last_name text, email text, phone text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.register_student(branch_id uuid, document_id text, first_name text, last_name text, email text, phone text) TO app_user;

--
-- Name: FUNCTION reject_proposal(id uuid, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.reject_proposal(id uuid, reason text) TO app_user;

--
-- Name: FUNCTION renew_policy(policy_id uuid, starts_on date, issue boolean); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.renew_policy(policy_id uuid, starts_on date, issue boolean) TO app_user;

--
-- Name: FUNCTION report_product_ledger(product_id uuid, location_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.report_product_ledger(product_id uuid, location_id uuid) TO app_user;

--
-- Name: FUNCTION report_slow_movers(days integer); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.report_slow_movers(days integer) TO app_user;

--
-- Name: FUNCTION return_sale(sale_id uuid, lines jsonb, location_id uuid, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.return_sale(sale_id uuid, lines jsonb, location_id uuid, reason text) TO app_user;

--
-- Name: FUNCTION revert_payment(payment_id uuid, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.revert_payment(payment_id uuid, reason text) TO app_user;

--
-- Name: FUNCTION search_clients(q text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.search_clients(q text) TO app_user;

--
-- Name: FUNCTION normalize_tax_id(p_tax_id text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.normalize_tax_id(p_tax_id text) TO app_user;
GRANT ALL ON FUNCTION core.normalize_tax_id(p_tax_id text) TO analyst;

--
-- Name: FUNCTION tax_id_kind(p_country text, p_tax_id text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.tax_id_kind(p_country text, p_tax_id text) TO app_user;
GRANT ALL ON FUNCTION core.tax_id_kind(p_country text, p_tax_id text) TO analyst;

--
-- Name: TABLE customers; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE commerce.customers TO app_user;
GRANT SELECT ON TABLE commerce.customers TO analyst;

--
-- Name: COLUMN customers.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.name; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.tax_id_country; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tax_id_country),UPDATE(tax_id_country) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.tax_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tax_id),UPDATE(tax_id) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.email; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(email),UPDATE(email) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.phone; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE commerce.customers TO app_user;

--
-- Name: COLUMN customers.address; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(address),UPDATE(address) ON TABLE commerce.customers TO app_user;

--
-- Name: TABLE customers; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.customers TO app_user;

--
-- Name: FUNCTION search_customers(q text, max_rows integer); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.search_customers(q text, max_rows integer) TO app_user;

--
-- Name: FUNCTION stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.stage_import_rows(batch_id uuid, first_row_no integer, rows jsonb) TO app_user;

--
-- Name: FUNCTION suggest_import_mapping(target text, headers text[]); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.suggest_import_mapping(target text, headers text[]) TO app_user;

--
-- Name: FUNCTION transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.transfer_stock(from_location_id uuid, to_location_id uuid, lines jsonb, reason text) TO app_user;

--
-- Name: FUNCTION transition(entity text, id text, to_state text, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.transition(entity text, id text, to_state text, reason text) TO app_user;

--
-- Name: FUNCTION update_student(document_id text, first_name text, last_name text, email text, phone text, branch_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.update_student(document_id text, first_name text, last_name text, email text, phone text, branch_id uuid) TO app_user;

--
-- Name: FUNCTION validate_import(batch_id uuid); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.validate_import(batch_id uuid) TO app_user;

--
-- Name: FUNCTION void_sale(sale_id uuid, reason text); Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION api.void_sale(sale_id uuid, reason text) TO app_user;

--
-- Name: FUNCTION prune(p_tenant uuid, p_up_to_seq bigint); Type: ACL; Schema: audit; Owner: audit_owner
--

REVOKE ALL ON FUNCTION audit.prune(p_tenant uuid, p_up_to_seq bigint) FROM PUBLIC;

--
-- Name: FUNCTION refuse_change(); Type: ACL; Schema: audit; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION audit.refuse_change() FROM PUBLIC;

--
-- Name: FUNCTION row_key(p_table text, p_pk jsonb); Type: ACL; Schema: audit; Owner: audit_owner
--

GRANT ALL ON FUNCTION audit.row_key(p_table text, p_pk jsonb) TO app_user;

--
-- Name: FUNCTION check_lines(p_lines jsonb); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.check_lines(p_lines jsonb) TO app_user;

--
-- Name: FUNCTION check_text_lengths(p_fields jsonb); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.check_text_lengths(p_fields jsonb) TO app_user;

--
-- Name: FUNCTION creditable_amount(p_tenant uuid, p_invoice uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.creditable_amount(p_tenant uuid, p_invoice uuid) TO app_user;
GRANT ALL ON FUNCTION billing.creditable_amount(p_tenant uuid, p_invoice uuid) TO analyst;

--
-- Name: FUNCTION credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid) TO app_user;
GRANT ALL ON FUNCTION billing.credited_quantity(p_tenant uuid, p_invoice uuid, p_line integer, p_exclude uuid) TO analyst;

--
-- Name: FUNCTION document_json(p_tenant uuid, p_id uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.document_json(p_tenant uuid, p_id uuid) TO app_user;

--
-- Name: FUNCTION document_numbered(p_tenant uuid, p_id uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.document_numbered(p_tenant uuid, p_id uuid) TO cimiento_numbering;

--
-- Name: FUNCTION document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.document_render_state(p_tenant uuid, p_invoice uuid, OUT issued boolean, OUT stored boolean, OUT attempts integer, OUT render_due boolean, OUT retry_after_secs integer) TO cimiento_api;

--
-- Name: FUNCTION document_simplified(p_tenant uuid, p_series uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) TO app_user;
GRANT ALL ON FUNCTION billing.document_simplified(p_tenant uuid, p_series uuid) TO analyst;

--
-- Name: FUNCTION document_taxes(p_tenant uuid, p_invoice uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid) TO app_user;
GRANT ALL ON FUNCTION billing.document_taxes(p_tenant uuid, p_invoice uuid) TO analyst;

--
-- Name: FUNCTION documents_to_render(p_limit integer); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.documents_to_render(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.documents_to_render(p_limit integer) TO cimiento_api;

--
-- Name: FUNCTION idempotent_replay(p_key text, p_hash text); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.idempotent_replay(p_key text, p_hash text) TO app_user;

--
-- Name: FUNCTION insert_draft(p jsonb); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.insert_draft(p jsonb) TO app_user;

--
-- Name: FUNCTION invoice_items_guard_issued(); Type: ACL; Schema: billing; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION billing.invoice_items_guard_issued() FROM PUBLIC;

--
-- Name: FUNCTION invoices_guard_issued(); Type: ACL; Schema: billing; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION billing.invoices_guard_issued() FROM PUBLIC;

--
-- Name: FUNCTION invoices_on_issue(); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.invoices_on_issue() FROM PUBLIC;

--
-- Name: FUNCTION issue_invoice_pending(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.issue_invoice_pending(series_code text, lines jsonb, customer_name text, customer_tax_id text, customer_address text, customer_email text, student_id uuid, customer_id uuid, issue_date date, currency text, notes text, idempotency_key text) TO app_user;

--
-- Name: FUNCTION number_now(); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.number_now() TO app_user;

--
-- Name: FUNCTION record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.record_render_failure(p_tenant uuid, p_invoice uuid, p_reason text) TO cimiento_api;

--
-- Name: FUNCTION render_data(p_tenant uuid, p_invoice uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.render_data(p_tenant uuid, p_invoice uuid) TO cimiento_api;

--
-- Name: FUNCTION render_max_attempts(); Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION billing.render_max_attempts() TO cimiento_api;
GRANT ALL ON FUNCTION billing.render_max_attempts() TO app_user;

--
-- Name: FUNCTION retry_document_render(p_tenant uuid, p_invoice uuid); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.retry_document_render(p_tenant uuid, p_invoice uuid) FROM PUBLIC;

--
-- Name: FUNCTION series_branch(p_code text, p_kind text); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.series_branch(p_code text, p_kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.series_branch(p_code text, p_kind text) TO app_user;

--
-- Name: FUNCTION store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.store_document(p_tenant uuid, p_invoice uuid, p_sha256 text, p_content bytea, p_renderer text) TO cimiento_api;

--
-- Name: FUNCTION stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea); Type: ACL; Schema: billing; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION billing.stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.stored_document(p_tenant uuid, p_invoice uuid, OUT sha256 text, OUT content bytea) TO cimiento_api;

--
-- Name: FUNCTION audit_checkpoint(tenant uuid); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.audit_checkpoint(tenant uuid) TO cimiento_owner;
GRANT ALL ON FUNCTION cimiento.audit_checkpoint(tenant uuid) TO audit_owner;

--
-- Name: FUNCTION audit_row(); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.audit_row() TO cimiento_owner;

--
-- Name: FUNCTION caller_role_permissions(); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.caller_role_permissions() TO app_user;
GRANT ALL ON FUNCTION cimiento.caller_role_permissions() TO analyst;
GRANT ALL ON FUNCTION cimiento.caller_role_permissions() TO cimiento_api;
GRANT ALL ON FUNCTION cimiento.caller_role_permissions() TO cimiento_owner;
GRANT ALL ON FUNCTION cimiento.caller_role_permissions() TO audit_owner;
GRANT ALL ON FUNCTION cimiento.caller_role_permissions() TO cimiento_numbering;

--
-- Name: FUNCTION enable_append_only(tbl regclass, message text, hint text); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.enable_append_only(tbl regclass, message text, hint text) TO cimiento_owner;

--
-- Name: FUNCTION enable_numbering(tbl regclass, series_table regclass, series_key jsonb, period text, date_column name, status_column name, unnumbered_states text[], number_column name, display_column name, series_id_column name, period_column name, numbered_at_column name, notify_channel text, after_numbered regprocedure, default_series jsonb); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.enable_numbering(tbl regclass, series_table regclass, series_key jsonb, period text, date_column name, status_column name, unnumbered_states text[], number_column name, display_column name, series_id_column name, period_column name, numbered_at_column name, notify_channel text, after_numbered regprocedure, default_series jsonb) TO cimiento_owner;

--
-- Name: FUNCTION enable_owner_scope(tbl regclass, owner_column text, permission text, own_permission text, commands text[]); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.enable_owner_scope(tbl regclass, owner_column text, permission text, own_permission text, commands text[]) TO cimiento_owner;

--
-- Name: FUNCTION enable_workflow(tbl regclass, state_column name, transitions jsonb, entity text, initial_states text[], id_column name); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.enable_workflow(tbl regclass, state_column name, transitions jsonb, entity text, initial_states text[], id_column name) TO cimiento_owner;

--
-- Name: FUNCTION health(); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.health() TO cimiento_owner;
GRANT ALL ON FUNCTION cimiento.health() TO cimiento_api;

--
-- Name: FUNCTION login_scope(); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.login_scope() TO app_user;
GRANT ALL ON FUNCTION cimiento.login_scope() TO analyst;
GRANT ALL ON FUNCTION cimiento.login_scope() TO cimiento_api;
GRANT ALL ON FUNCTION cimiento.login_scope() TO cimiento_owner;
GRANT ALL ON FUNCTION cimiento.login_scope() TO audit_owner;
GRANT ALL ON FUNCTION cimiento.login_scope() TO cimiento_numbering;

--
-- Name: FUNCTION number_at_commit(); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.number_at_commit() TO cimiento_owner;

--
-- Name: FUNCTION protect_trigger(tbl regclass, trigger text); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.protect_trigger(tbl regclass, trigger text) TO cimiento_owner;

--
-- Name: FUNCTION register_audit_store(log regclass, seals regclass, chain_base regclass, sealer_state regclass, sealed_txids regclass); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.register_audit_store(log regclass, seals regclass, chain_base regclass, sealer_state regclass, sealed_txids regclass) TO cimiento_owner;

--
-- Name: FUNCTION register_identity(login_scope regprocedure, role_permissions regprocedure, tenants regclass); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.register_identity(login_scope regprocedure, role_permissions regprocedure, tenants regclass) TO cimiento_owner;

--
-- Name: FUNCTION run_job(job text, via text); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.run_job(job text, via text) TO cimiento_owner;

--
-- Name: FUNCTION schedule(name text, schedule text, function regprocedure, permissions text[]); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.schedule(name text, schedule text, function regprocedure, permissions text[]) TO cimiento_owner;

--
-- Name: FUNCTION seal_audit(); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.seal_audit() TO audit_owner;

--
-- Name: FUNCTION unschedule(name text); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.unschedule(name text) TO cimiento_owner;

--
-- Name: FUNCTION verify_audit(tenant uuid, checkpoint jsonb); Type: ACL; Schema: cimiento; Owner: postgres
--

GRANT ALL ON FUNCTION cimiento.verify_audit(tenant uuid, checkpoint jsonb) TO cimiento_owner;
GRANT ALL ON FUNCTION cimiento.verify_audit(tenant uuid, checkpoint jsonb) TO audit_owner;

--
-- Name: FUNCTION categories_no_cycle(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.categories_no_cycle() FROM PUBLIC;

--
-- Name: FUNCTION check_product_lines(p_lines jsonb, p_name text, p_numbers text[]); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.check_product_lines(p_lines jsonb, p_name text, p_numbers text[]) TO app_user;

--
-- Name: FUNCTION inventory_movements_apply(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.inventory_movements_apply() FROM PUBLIC;

--
-- Name: FUNCTION local_day(p_tenant uuid, p_at timestamp with time zone); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.local_day(p_tenant uuid, p_at timestamp with time zone) TO app_user;
GRANT ALL ON FUNCTION commerce.local_day(p_tenant uuid, p_at timestamp with time zone) TO analyst;

--
-- Name: FUNCTION local_today(p_tenant uuid); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.local_today(p_tenant uuid) TO app_user;
GRANT ALL ON FUNCTION commerce.local_today(p_tenant uuid) TO analyst;

--
-- Name: FUNCTION location_by_code(p_code text); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.location_by_code(p_code text) TO app_user;

--
-- Name: FUNCTION products_open_costs(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.products_open_costs() FROM PUBLIC;

--
-- Name: TABLE locations; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.locations TO app_user;
GRANT SELECT ON TABLE commerce.locations TO analyst;

--
-- Name: COLUMN locations.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.locations TO app_user;

--
-- Name: COLUMN locations.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.locations TO app_user;

--
-- Name: COLUMN locations.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.locations TO app_user;

--
-- Name: COLUMN locations.code; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(code) ON TABLE commerce.locations TO app_user;

--
-- Name: COLUMN locations.name; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE commerce.locations TO app_user;

--
-- Name: COLUMN locations.active; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE commerce.locations TO app_user;

--
-- Name: COLUMN locations.is_default; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(is_default),UPDATE(is_default) ON TABLE commerce.locations TO app_user;

--
-- Name: FUNCTION require_location(p_location uuid, p_permission text); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.require_location(p_location uuid, p_permission text) TO app_user;

--
-- Name: FUNCTION return_lines_within_sold(); Type: ACL; Schema: commerce; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION commerce.return_lines_within_sold() FROM PUBLIC;

--
-- Name: FUNCTION sale_document_json(p_tenant uuid, p_invoice uuid); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.sale_document_json(p_tenant uuid, p_invoice uuid) TO app_user;

--
-- Name: FUNCTION sale_is_of_today(p_row jsonb); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.sale_is_of_today(p_row jsonb) TO app_user;

--
-- Name: FUNCTION sale_json(p_tenant uuid, p_sale uuid); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.sale_json(p_tenant uuid, p_sale uuid) TO app_user;

--
-- Name: FUNCTION sale_lines_cost(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.sale_lines_cost() FROM PUBLIC;

--
-- Name: FUNCTION sale_series(p_branch uuid, p_simplified boolean); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION commerce.sale_series(p_branch uuid, p_simplified boolean) TO app_user;

--
-- Name: FUNCTION sales_customer_stats(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.sales_customer_stats() FROM PUBLIC;

--
-- Name: FUNCTION sales_guard(); Type: ACL; Schema: commerce; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION commerce.sales_guard() FROM PUBLIC;

--
-- Name: FUNCTION sales_on_void(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.sales_on_void() FROM PUBLIC;

--
-- Name: FUNCTION tax_id_checked(); Type: ACL; Schema: commerce; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION commerce.tax_id_checked() FROM PUBLIC;

--
-- Name: FUNCTION auth_change_email(p_tenant uuid, p_user uuid, p_email text); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_change_email(p_tenant uuid, p_user uuid, p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_change_email(p_tenant uuid, p_user uuid, p_email text) TO cimiento_api;

--
-- Name: FUNCTION auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean) TO cimiento_api;

--
-- Name: FUNCTION auth_profile(p_tenant uuid, p_user uuid); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_profile(p_tenant uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_profile(p_tenant uuid, p_user uuid) TO cimiento_api;

--
-- Name: FUNCTION auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text) TO cimiento_api;

--
-- Name: FUNCTION auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text) TO cimiento_api;

--
-- Name: FUNCTION auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb, OUT grants jsonb) TO cimiento_api;

--
-- Name: FUNCTION auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval) TO cimiento_api;

--
-- Name: FUNCTION auth_session_active(p_tenant uuid, p_session uuid, p_user uuid); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) TO app_user;
GRANT ALL ON FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) TO cimiento_api;

--
-- Name: FUNCTION auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text, p_amr text[], p_refresh_hash bytea, p_lifetime interval) TO cimiento_api;

--
-- Name: FUNCTION auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean) TO cimiento_api;

--
-- Name: FUNCTION auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean) TO cimiento_api;

--
-- Name: FUNCTION auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text) TO cimiento_api;

--
-- Name: FUNCTION auth_user_for_login(p_tenant text, p_email text); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.auth_user_for_login(p_tenant text, p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.auth_user_for_login(p_tenant text, p_email text) TO cimiento_api;

--
-- Name: FUNCTION branch_by_code(p_code text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.branch_by_code(p_code text) TO app_user;
GRANT ALL ON FUNCTION core.branch_by_code(p_code text) TO analyst;

--
-- Name: FUNCTION caller_role_permissions(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.caller_role_permissions() FROM PUBLIC;
GRANT ALL ON FUNCTION core.caller_role_permissions() TO app_user;
GRANT ALL ON FUNCTION core.caller_role_permissions() TO analyst;
GRANT ALL ON FUNCTION core.caller_role_permissions() TO cimiento_api;
GRANT ALL ON FUNCTION core.caller_role_permissions() TO audit_owner;
GRANT ALL ON FUNCTION core.caller_role_permissions() TO cimiento_numbering;

--
-- Name: FUNCTION check_tax_id(p_country text, p_tax_id text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.check_tax_id(p_country text, p_tax_id text) TO app_user;

--
-- Name: FUNCTION ecuadorian_tax_id_kind(p_id text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.ecuadorian_tax_id_kind(p_id text) TO app_user;
GRANT ALL ON FUNCTION core.ecuadorian_tax_id_kind(p_id text) TO analyst;

--
-- Name: FUNCTION emit_event(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.emit_event() FROM PUBLIC;

--
-- Name: FUNCTION event_visible(p_entity text, p_tenant uuid, p_row uuid); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.event_visible(p_entity text, p_tenant uuid, p_row uuid) TO app_user;

--
-- Name: FUNCTION events_head(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.events_head() FROM PUBLIC;
GRANT ALL ON FUNCTION core.events_head() TO cimiento_api;

--
-- Name: FUNCTION local_day(p_tenant uuid, p_at timestamp with time zone); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) TO app_user;
GRANT ALL ON FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) TO analyst;
GRANT ALL ON FUNCTION core.local_day(p_tenant uuid, p_at timestamp with time zone) TO cimiento_jobs;

--
-- Name: FUNCTION local_today(p_tenant uuid); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.local_today(p_tenant uuid) TO app_user;
GRANT ALL ON FUNCTION core.local_today(p_tenant uuid) TO analyst;
GRANT ALL ON FUNCTION core.local_today(p_tenant uuid) TO cimiento_jobs;

--
-- Name: FUNCTION login_scope(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.login_scope() FROM PUBLIC;
GRANT ALL ON FUNCTION core.login_scope() TO app_user;
GRANT ALL ON FUNCTION core.login_scope() TO analyst;
GRANT ALL ON FUNCTION core.login_scope() TO cimiento_api;
GRANT ALL ON FUNCTION core.login_scope() TO audit_owner;
GRANT ALL ON FUNCTION core.login_scope() TO cimiento_numbering;

--
-- Name: FUNCTION mexican_tax_id_kind(p_id text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.mexican_tax_id_kind(p_id text) TO app_user;
GRANT ALL ON FUNCTION core.mexican_tax_id_kind(p_id text) TO analyst;

--
-- Name: FUNCTION network_allowed(p_tenant uuid, p_roles text[], p_ip inet); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) TO app_user;
GRANT ALL ON FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) TO cimiento_api;

--
-- Name: FUNCTION permissions_changed(); Type: ACL; Schema: core; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION core.permissions_changed() FROM PUBLIC;

--
-- Name: FUNCTION prune_events(p_keep interval); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.prune_events(p_keep interval) FROM PUBLIC;
GRANT ALL ON FUNCTION core.prune_events(p_keep interval) TO cimiento_api;

--
-- Name: FUNCTION refuse_change(); Type: ACL; Schema: core; Owner: cimiento_guard
--

REVOKE ALL ON FUNCTION core.refuse_change() FROM PUBLIC;

--
-- Name: FUNCTION request_client_ip(); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.request_client_ip() TO app_user;

--
-- Name: FUNCTION role_permissions_no_escalation(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.role_permissions_no_escalation() FROM PUBLIC;

--
-- Name: FUNCTION second_factor_missing(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.second_factor_missing() FROM PUBLIC;
GRANT ALL ON FUNCTION core.second_factor_missing() TO app_user;

--
-- Name: FUNCTION spanish_tax_id_kind(p_id text); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.spanish_tax_id_kind(p_id text) TO app_user;
GRANT ALL ON FUNCTION core.spanish_tax_id_kind(p_id text) TO analyst;

--
-- Name: FUNCTION tenant_setting(p_key text); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.tenant_setting(p_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.tenant_setting(p_key text) TO app_user;
GRANT ALL ON FUNCTION core.tenant_setting(p_key text) TO cimiento_jobs;

--
-- Name: FUNCTION tenants_seed_roles(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.tenants_seed_roles() FROM PUBLIC;

--
-- Name: FUNCTION token_lacks_second_factor(); Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION core.token_lacks_second_factor() TO app_user;

--
-- Name: FUNCTION user_roles_no_escalation(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.user_roles_no_escalation() FROM PUBLIC;

--
-- Name: FUNCTION users_own_email(); Type: ACL; Schema: core; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION core.users_own_email() FROM PUBLIC;

--
-- Name: FUNCTION pre_request(); Type: ACL; Schema: hooks; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION hooks.pre_request() TO anon;
GRANT ALL ON FUNCTION hooks.pre_request() TO app_user;

--
-- Name: TABLE targets; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE imports.targets TO app_user;
GRANT SELECT ON TABLE imports.targets TO analyst;

--
-- Name: FUNCTION explain(p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text, p_table text); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.explain(p_target imports.targets, p_mapping jsonb, p_raw jsonb, p_args jsonb, p_sqlstate text, p_column text, p_constraint text, p_table text) TO app_user;

--
-- Name: FUNCTION fail(p_batch uuid, p_error text); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.fail(p_batch uuid, p_error text) TO app_user;

--
-- Name: FUNCTION header_key(p_text text); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.header_key(p_text text) TO app_user;
GRANT ALL ON FUNCTION imports.header_key(p_text text) TO analyst;

--
-- Name: FUNCTION header_of(p_mapping jsonb, p_column text); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.header_of(p_mapping jsonb, p_column text) TO app_user;

--
-- Name: FUNCTION keep_identity(p_batch uuid); Type: ACL; Schema: imports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION imports.keep_identity(p_batch uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION imports.keep_identity(p_batch uuid) TO app_user;

--
-- Name: FUNCTION mapped_columns(p_target imports.targets, p_mapping jsonb); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.mapped_columns(p_target imports.targets, p_mapping jsonb) TO app_user;

--
-- Name: TABLE batches; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE imports.batches TO app_user;
GRANT SELECT ON TABLE imports.batches TO analyst;

--
-- Name: COLUMN batches.tenant_id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.target; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(target) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.mode; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(mode) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.file_name; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(file_name) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.format; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(format) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.encoding; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(encoding) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.delimiter; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(delimiter) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.sheet; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(sheet) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.headers; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(headers) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.mapping; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(mapping) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.status; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.rows_total; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(rows_total) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.rows_checked; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(rows_checked) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.checked_through; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(checked_through) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.rows_invalid; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(rows_invalid) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.promoted_through; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(promoted_through) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.rows_created; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(rows_created) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.rows_updated; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(rows_updated) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.rows_failed; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(rows_failed) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.error; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(error) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.phase_started_at; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(phase_started_at) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.validated_at; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(validated_at) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.finished_at; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(finished_at) ON TABLE imports.batches TO app_user;

--
-- Name: COLUMN batches.lease_until; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(lease_until) ON TABLE imports.batches TO app_user;

--
-- Name: FUNCTION mark_repeated_keys(p_batch imports.batches, p_target imports.targets); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.mark_repeated_keys(p_batch imports.batches, p_target imports.targets) TO app_user;

--
-- Name: FUNCTION message(p_target imports.targets, p_column text, p_sqlstate text, p_value text); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.message(p_target imports.targets, p_column text, p_sqlstate text, p_value text) TO app_user;

--
-- Name: FUNCTION next_work(p_lease interval); Type: ACL; Schema: imports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION imports.next_work(p_lease interval) FROM PUBLIC;
GRANT ALL ON FUNCTION imports.next_work(p_lease interval) TO cimiento_api;

--
-- Name: FUNCTION promote_chunk(p_batch uuid, p_rows integer); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.promote_chunk(p_batch uuid, p_rows integer) TO app_user;

--
-- Name: FUNCTION refresh_statistics(); Type: ACL; Schema: imports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION imports.refresh_statistics() FROM PUBLIC;
GRANT ALL ON FUNCTION imports.refresh_statistics() TO cimiento_api;

--
-- Name: FUNCTION register_target(p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb, p_insert_function regprocedure, p_insert_relation regclass, p_update_function regprocedure, p_messages jsonb); Type: ACL; Schema: imports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION imports.register_target(p_name text, p_description text, p_permission text, p_natural_key text[], p_columns jsonb, p_insert_function regprocedure, p_insert_relation regclass, p_update_function regprocedure, p_messages jsonb) FROM PUBLIC;

--
-- Name: FUNCTION require_batch(p_batch uuid); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.require_batch(p_batch uuid) TO app_user;

--
-- Name: FUNCTION row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.row_arguments(p_target imports.targets, p_columns jsonb, p_raw jsonb, p_cache jsonb) TO app_user;

--
-- Name: FUNCTION suggest_mapping(p_target text, p_headers text[]); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.suggest_mapping(p_target text, p_headers text[]) TO app_user;
GRANT ALL ON FUNCTION imports.suggest_mapping(p_target text, p_headers text[]) TO analyst;

--
-- Name: FUNCTION validate_chunk(p_batch uuid, p_rows integer); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.validate_chunk(p_batch uuid, p_rows integer) TO app_user;

--
-- Name: FUNCTION write_row(p_insert text, p_update text, p_args jsonb); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.write_row(p_insert text, p_update text, p_args jsonb) TO app_user;

--
-- Name: FUNCTION write_statement(p_target imports.targets, p_args text[], p_kind text); Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION imports.write_statement(p_target imports.targets, p_args text[], p_kind text) TO app_user;

--
-- Name: FUNCTION clients_rfc_checked(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.clients_rfc_checked() FROM PUBLIC;

--
-- Name: FUNCTION decide_proposal(p_id uuid, p_to text, p_reason text); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION insurance.decide_proposal(p_id uuid, p_to text, p_reason text) TO app_user;

--
-- Name: FUNCTION instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) TO app_user;
GRANT ALL ON FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) TO analyst;
GRANT ALL ON FUNCTION insurance.instalment_status(p_amount numeric, p_paid numeric, p_due_on date, p_today date) TO cimiento_jobs;

--
-- Name: FUNCTION nightly_status(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.nightly_status() FROM PUBLIC;
GRANT ALL ON FUNCTION insurance.nightly_status() TO cimiento_jobs;

--
-- Name: FUNCTION number_now(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION insurance.number_now() TO app_user;

--
-- Name: FUNCTION payments_apply(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.payments_apply() FROM PUBLIC;

--
-- Name: FUNCTION payments_check(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.payments_check() FROM PUBLIC;

--
-- Name: FUNCTION policies_defaults(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.policies_defaults() FROM PUBLIC;

--
-- Name: FUNCTION policies_write_instalments(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.policies_write_instalments() FROM PUBLIC;

--
-- Name: FUNCTION policy_json(p_policy uuid); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION insurance.policy_json(p_policy uuid) TO app_user;

--
-- Name: FUNCTION proposals_check(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.proposals_check() FROM PUBLIC;

--
-- Name: FUNCTION proposals_decided(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.proposals_decided() FROM PUBLIC;

--
-- Name: FUNCTION proposals_on_approval(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.proposals_on_approval() FROM PUBLIC;

--
-- Name: FUNCTION receipt_lots_open(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.receipt_lots_open() FROM PUBLIC;

--
-- Name: FUNCTION receipts_moved(); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.receipts_moved() FROM PUBLIC;

--
-- Name: FUNCTION refresh_policy_status(p_tenant uuid, p_policy uuid); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.refresh_policy_status(p_tenant uuid, p_policy uuid) FROM PUBLIC;

--
-- Name: FUNCTION search_key(p_text text); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION insurance.search_key(p_text text) TO app_user;
GRANT ALL ON FUNCTION insurance.search_key(p_text text) TO analyst;

--
-- Name: FUNCTION setup_agency(p_tenant uuid); Type: ACL; Schema: insurance; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION insurance.setup_agency(p_tenant uuid) FROM PUBLIC;

--
-- Name: FUNCTION aging_bucket(p_due_date date); Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION reports.aging_bucket(p_due_date date) TO app_user;
GRANT ALL ON FUNCTION reports.aging_bucket(p_due_date date) TO analyst;

--
-- Name: FUNCTION attendance_by_course_day_apply(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.attendance_by_course_day_apply() FROM PUBLIC;

--
-- Name: FUNCTION collected_by_month_apply(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.collected_by_month_apply() FROM PUBLIC;

--
-- Name: FUNCTION compact_attendance_by_course_day(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.compact_attendance_by_course_day() FROM PUBLIC;
GRANT ALL ON FUNCTION reports.compact_attendance_by_course_day() TO cimiento_jobs;

--
-- Name: FUNCTION compact_collected_by_month(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.compact_collected_by_month() FROM PUBLIC;
GRANT ALL ON FUNCTION reports.compact_collected_by_month() TO cimiento_jobs;

--
-- Name: FUNCTION compact_sold_by_day(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.compact_sold_by_day() FROM PUBLIC;
GRANT ALL ON FUNCTION reports.compact_sold_by_day() TO cimiento_jobs;

--
-- Name: FUNCTION compact_summaries(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.compact_summaries() FROM PUBLIC;
GRANT ALL ON FUNCTION reports.compact_summaries() TO cimiento_jobs;

--
-- Name: FUNCTION local_month(p_at timestamp with time zone, p_timezone text); Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION reports.local_month(p_at timestamp with time zone, p_timezone text) TO app_user;
GRANT ALL ON FUNCTION reports.local_month(p_at timestamp with time zone, p_timezone text) TO analyst;
GRANT ALL ON FUNCTION reports.local_month(p_at timestamp with time zone, p_timezone text) TO cimiento_jobs;

--
-- Name: FUNCTION product_ledger(p_product uuid, p_location uuid); Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION reports.product_ledger(p_product uuid, p_location uuid) TO analyst;
GRANT ALL ON FUNCTION reports.product_ledger(p_product uuid, p_location uuid) TO app_user;

--
-- Name: FUNCTION rebuild_sold_by_day(p_tenant uuid); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.rebuild_sold_by_day(p_tenant uuid) FROM PUBLIC;

--
-- Name: FUNCTION slow_movers(p_days integer); Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT ALL ON FUNCTION reports.slow_movers(p_days integer) TO analyst;
GRANT ALL ON FUNCTION reports.slow_movers(p_days integer) TO app_user;

--
-- Name: FUNCTION sold_by_day_lines(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.sold_by_day_lines() FROM PUBLIC;

--
-- Name: FUNCTION sold_by_day_returns(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.sold_by_day_returns() FROM PUBLIC;

--
-- Name: FUNCTION sold_by_day_status(); Type: ACL; Schema: reports; Owner: cimiento_owner
--

REVOKE ALL ON FUNCTION reports.sold_by_day_status() FROM PUBLIC;

--
-- Name: TABLE attendance; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.attendance TO app_user;
GRANT SELECT ON TABLE academy.attendance TO analyst;

--
-- Name: COLUMN attendance.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.course_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(course_id) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.student_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(student_id) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.date; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(date) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.status; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.note; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(note),UPDATE(note) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.recorded_by; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT UPDATE(recorded_by) ON TABLE academy.attendance TO app_user;

--
-- Name: COLUMN attendance.recorded_at; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT UPDATE(recorded_at) ON TABLE academy.attendance TO app_user;

--
-- Name: TABLE courses; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.courses TO app_user;
GRANT SELECT ON TABLE academy.courses TO analyst;

--
-- Name: COLUMN courses.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.code; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(code) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.name; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.description; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.fee; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(fee),UPDATE(fee) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.capacity; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(capacity),UPDATE(capacity) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.starts_on; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(starts_on),UPDATE(starts_on) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.ends_on; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(ends_on),UPDATE(ends_on) ON TABLE academy.courses TO app_user;

--
-- Name: COLUMN courses.status; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE academy.courses TO app_user;

--
-- Name: TABLE enrollment_invoices; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.enrollment_invoices TO app_user;
GRANT SELECT ON TABLE academy.enrollment_invoices TO analyst;

--
-- Name: COLUMN enrollment_invoices.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE academy.enrollment_invoices TO app_user;

--
-- Name: COLUMN enrollment_invoices.invoice_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(invoice_id) ON TABLE academy.enrollment_invoices TO app_user;

--
-- Name: COLUMN enrollment_invoices.enrollment_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(enrollment_id) ON TABLE academy.enrollment_invoices TO app_user;

--
-- Name: COLUMN enrollment_invoices.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE academy.enrollment_invoices TO app_user;

--
-- Name: TABLE enrollments; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.enrollments TO app_user;
GRANT SELECT ON TABLE academy.enrollments TO analyst;

--
-- Name: COLUMN enrollments.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.student_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(student_id) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.course_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(course_id) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.status; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.agreed_fee; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(agreed_fee) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.discount; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(discount) ON TABLE academy.enrollments TO app_user;

--
-- Name: COLUMN enrollments.withdrawn_at; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT UPDATE(withdrawn_at) ON TABLE academy.enrollments TO app_user;

--
-- Name: TABLE financial_status; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.financial_status TO app_user;
GRANT SELECT ON TABLE academy.financial_status TO analyst;

--
-- Name: COLUMN financial_status.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(tenant_id) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.enrollment_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(enrollment_id) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(branch_id) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.amount_due; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(amount_due) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.paid; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(paid) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.status; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(status),UPDATE(status) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.due_date; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT(due_date) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: COLUMN financial_status.updated_at; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT UPDATE(updated_at) ON TABLE academy.financial_status TO cimiento_jobs;

--
-- Name: TABLE payments; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.payments TO app_user;
GRANT SELECT ON TABLE academy.payments TO analyst;

--
-- Name: COLUMN payments.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.enrollment_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(enrollment_id) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.amount; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(amount) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.method; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(method) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.reference; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(reference) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.paid_at; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(paid_at) ON TABLE academy.payments TO app_user;

--
-- Name: COLUMN payments.notes; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(notes) ON TABLE academy.payments TO app_user;

--
-- Name: TABLE students; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT SELECT ON TABLE academy.students TO app_user;
GRANT SELECT ON TABLE academy.students TO analyst;

--
-- Name: COLUMN students.tenant_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.branch_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.document_id; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(document_id) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.first_name; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(first_name),UPDATE(first_name) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.last_name; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(last_name),UPDATE(last_name) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.email; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(email),UPDATE(email) ON TABLE academy.students TO app_user;

--
-- Name: COLUMN students.phone; Type: ACL; Schema: academy; Owner: cimiento_owner
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE academy.students TO app_user;

--
-- Name: TABLE attendance; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.attendance TO app_user;

--
-- Name: TABLE log; Type: ACL; Schema: audit; Owner: audit_owner
--

GRANT SELECT ON TABLE audit.log TO app_user;
GRANT SELECT ON TABLE audit.log TO cimiento_sealer;

--
-- Name: TABLE sealed_txids; Type: ACL; Schema: audit; Owner: audit_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE audit.sealed_txids TO cimiento_sealer;
GRANT SELECT ON TABLE audit.sealed_txids TO app_user;

--
-- Name: TABLE sealer_state; Type: ACL; Schema: audit; Owner: audit_owner
--

GRANT SELECT ON TABLE audit.sealer_state TO app_user;
GRANT SELECT,UPDATE ON TABLE audit.sealer_state TO cimiento_sealer;

--
-- Name: TABLE audit_log; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.audit_log TO app_user;

--
-- Name: TABLE branches; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE core.branches TO app_user;
GRANT SELECT ON TABLE core.branches TO analyst;

--
-- Name: COLUMN branches.tenant_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE core.branches TO app_user;

--
-- Name: COLUMN branches.id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE core.branches TO app_user;

--
-- Name: COLUMN branches.code; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(code),UPDATE(code) ON TABLE core.branches TO app_user;

--
-- Name: COLUMN branches.name; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE core.branches TO app_user;

--
-- Name: COLUMN branches.address; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(address),UPDATE(address) ON TABLE core.branches TO app_user;

--
-- Name: COLUMN branches.phone; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE core.branches TO app_user;

--
-- Name: COLUMN branches.active; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE core.branches TO app_user;

--
-- Name: TABLE branches; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE api.branches TO app_user;

--
-- Name: COLUMN branches.id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE api.branches TO app_user;

--
-- Name: COLUMN branches.code; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(code),UPDATE(code) ON TABLE api.branches TO app_user;

--
-- Name: COLUMN branches.name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE api.branches TO app_user;

--
-- Name: COLUMN branches.address; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(address),UPDATE(address) ON TABLE api.branches TO app_user;

--
-- Name: COLUMN branches.phone; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE api.branches TO app_user;

--
-- Name: COLUMN branches.active; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE api.branches TO app_user;

--
-- Name: TABLE categories; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE commerce.categories TO app_user;
GRANT SELECT ON TABLE commerce.categories TO analyst;

--
-- Name: COLUMN categories.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.categories TO app_user;

--
-- Name: COLUMN categories.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.categories TO app_user;

--
-- Name: COLUMN categories.parent_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(parent_id),UPDATE(parent_id) ON TABLE commerce.categories TO app_user;

--
-- Name: COLUMN categories.name; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE commerce.categories TO app_user;

--
-- Name: TABLE categories; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.categories TO app_user;

--
-- Name: TABLE clients; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE insurance.clients TO app_user;
GRANT SELECT ON TABLE insurance.clients TO analyst;

--
-- Name: COLUMN clients.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.name; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.rfc; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(rfc),UPDATE(rfc) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.phone; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.email; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(email),UPDATE(email) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.address; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(address),UPDATE(address) ON TABLE insurance.clients TO app_user;

--
-- Name: COLUMN clients.seller_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(seller_id),UPDATE(seller_id) ON TABLE insurance.clients TO app_user;

--
-- Name: TABLE clients; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.clients TO app_user;

--
-- Name: TABLE collection_proposals; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.collection_proposals TO app_user;
GRANT SELECT ON TABLE insurance.collection_proposals TO analyst;

--
-- Name: COLUMN collection_proposals.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.branch_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.collector_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(collector_id) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.policy_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(policy_id) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.instalment_no; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(instalment_no) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.amount; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(amount) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.method; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(method) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.receipt_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(receipt_id) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.latitude; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(latitude) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.longitude; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(longitude) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.photo_ref; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(photo_ref) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.collected_at; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(collected_at) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: COLUMN collection_proposals.status; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE insurance.collection_proposals TO app_user;

--
-- Name: TABLE receipts; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.receipts TO app_user;
GRANT SELECT ON TABLE insurance.receipts TO analyst;

--
-- Name: COLUMN receipts.collector_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(collector_id) ON TABLE insurance.receipts TO app_user;

--
-- Name: COLUMN receipts.status; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE insurance.receipts TO app_user;

--
-- Name: TABLE collection_proposals; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.collection_proposals TO app_user;

--
-- Name: TABLE collection_receipts; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.collection_receipts TO app_user;

--
-- Name: TABLE courses; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.courses TO app_user;

--
-- Name: TABLE coverage_prices; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE insurance.coverage_prices TO app_user;
GRANT SELECT ON TABLE insurance.coverage_prices TO analyst;

--
-- Name: COLUMN coverage_prices.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.coverage_prices TO app_user;

--
-- Name: COLUMN coverage_prices.coverage_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(coverage_id) ON TABLE insurance.coverage_prices TO app_user;

--
-- Name: COLUMN coverage_prices.payment_plan; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(payment_plan) ON TABLE insurance.coverage_prices TO app_user;

--
-- Name: COLUMN coverage_prices.price; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(price),UPDATE(price) ON TABLE insurance.coverage_prices TO app_user;

--
-- Name: COLUMN coverage_prices.updated_at; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(updated_at) ON TABLE insurance.coverage_prices TO app_user;

--
-- Name: TABLE coverage_prices; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.coverage_prices TO app_user;

--
-- Name: TABLE coverages; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.coverages TO app_user;
GRANT SELECT ON TABLE insurance.coverages TO analyst;

--
-- Name: COLUMN coverages.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.coverages TO app_user;

--
-- Name: COLUMN coverages.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.coverages TO app_user;

--
-- Name: COLUMN coverages.code; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(code) ON TABLE insurance.coverages TO app_user;

--
-- Name: COLUMN coverages.name; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE insurance.coverages TO app_user;

--
-- Name: COLUMN coverages.description; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE insurance.coverages TO app_user;

--
-- Name: COLUMN coverages.active; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE insurance.coverages TO app_user;

--
-- Name: TABLE coverages; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE api.coverages TO app_user;

--
-- Name: TABLE customer_stats; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.customer_stats TO app_user;
GRANT SELECT ON TABLE commerce.customer_stats TO analyst;

--
-- Name: TABLE customer_stats; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.customer_stats TO app_user;

--
-- Name: TABLE enrollment_invoices; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.enrollment_invoices TO app_user;

--
-- Name: TABLE enrollments; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.enrollments TO app_user;

--
-- Name: TABLE financial_status; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.financial_status TO app_user;

--
-- Name: TABLE lineage; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE imports.lineage TO app_user;
GRANT SELECT ON TABLE imports.lineage TO analyst;

--
-- Name: COLUMN lineage.tenant_id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE imports.lineage TO app_user;

--
-- Name: COLUMN lineage.batch_id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(batch_id) ON TABLE imports.lineage TO app_user;

--
-- Name: COLUMN lineage.row_no; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(row_no) ON TABLE imports.lineage TO app_user;

--
-- Name: COLUMN lineage.target_id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(target_id) ON TABLE imports.lineage TO app_user;

--
-- Name: COLUMN lineage.action; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(action) ON TABLE imports.lineage TO app_user;

--
-- Name: TABLE rows; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE imports.rows TO app_user;
GRANT SELECT ON TABLE imports.rows TO analyst;

--
-- Name: COLUMN rows.tenant_id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE imports.rows TO app_user;

--
-- Name: COLUMN rows.batch_id; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(batch_id) ON TABLE imports.rows TO app_user;

--
-- Name: COLUMN rows.row_no; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(row_no) ON TABLE imports.rows TO app_user;

--
-- Name: COLUMN rows.raw; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT INSERT(raw) ON TABLE imports.rows TO app_user;

--
-- Name: COLUMN rows.errors; Type: ACL; Schema: imports; Owner: cimiento_owner
--

GRANT UPDATE(errors) ON TABLE imports.rows TO app_user;

--
-- Name: TABLE import_rows; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.import_rows TO app_user;

--
-- Name: TABLE import_targets; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.import_targets TO app_user;

--
-- Name: TABLE imports; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.imports TO app_user;

--
-- Name: TABLE instalments; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.instalments TO app_user;
GRANT SELECT ON TABLE insurance.instalments TO analyst;
GRANT SELECT ON TABLE insurance.instalments TO cimiento_jobs;

--
-- Name: COLUMN instalments.status; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE insurance.instalments TO cimiento_jobs;

--
-- Name: COLUMN instalments.updated_at; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(updated_at) ON TABLE insurance.instalments TO cimiento_jobs;

--
-- Name: TABLE instalments; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.instalments TO app_user;

--
-- Name: TABLE inventory_movements; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.inventory_movements TO app_user;
GRANT SELECT ON TABLE commerce.inventory_movements TO analyst;

--
-- Name: COLUMN inventory_movements.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.location_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(location_id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.product_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(product_id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.kind; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(kind) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.quantity; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(quantity) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.unit_cost; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(unit_cost) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.source_type; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(source_type) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.source_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(source_id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.transfer_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(transfer_id) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: COLUMN inventory_movements.reason; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(reason) ON TABLE commerce.inventory_movements TO app_user;

--
-- Name: TABLE inventory_movements; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.inventory_movements TO app_user;

--
-- Name: TABLE invoice_items; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE billing.invoice_items TO app_user;
GRANT SELECT ON TABLE billing.invoice_items TO analyst;
GRANT SELECT ON TABLE billing.invoice_items TO cimiento_numbering;

--
-- Name: COLUMN invoice_items.tenant_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.invoice_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(invoice_id) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.line_no; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(line_no) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.branch_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.description; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.quantity; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(quantity),UPDATE(quantity) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.unit_price; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(unit_price),UPDATE(unit_price) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.tax_rate; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(tax_rate),UPDATE(tax_rate) ON TABLE billing.invoice_items TO app_user;

--
-- Name: COLUMN invoice_items.corrects_line_no; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(corrects_line_no) ON TABLE billing.invoice_items TO app_user;

--
-- Name: TABLE invoice_items; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.invoice_items TO app_user;

--
-- Name: TABLE invoice_series; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT SELECT ON TABLE billing.invoice_series TO app_user;
GRANT SELECT ON TABLE billing.invoice_series TO analyst;
GRANT SELECT,INSERT ON TABLE billing.invoice_series TO cimiento_numbering;

--
-- Name: COLUMN invoice_series.tenant_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.branch_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.code; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(code) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.kind; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(kind) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.fiscal_year; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(fiscal_year) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.next_number; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(next_number) ON TABLE billing.invoice_series TO cimiento_numbering;

--
-- Name: COLUMN invoice_series.format; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(format),UPDATE(format) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.active; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE billing.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.last_issue_date; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(last_issue_date) ON TABLE billing.invoice_series TO cimiento_numbering;

--
-- Name: COLUMN invoice_series.simplified; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(simplified) ON TABLE billing.invoice_series TO app_user;

--
-- Name: TABLE invoice_series; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.branch_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.code; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(code) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.kind; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(kind) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.fiscal_year; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(fiscal_year) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.format; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(format),UPDATE(format) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.active; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE api.invoice_series TO app_user;

--
-- Name: COLUMN invoice_series.simplified; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(simplified) ON TABLE api.invoice_series TO app_user;

--
-- Name: TABLE invoices; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE billing.invoices TO app_user;
GRANT SELECT ON TABLE billing.invoices TO analyst;
GRANT SELECT ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: COLUMN invoices.tenant_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.branch_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.kind; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(kind) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.status; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE billing.invoices TO app_user;
GRANT UPDATE(status) ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: COLUMN invoices.series_code; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(series_code),UPDATE(series_code) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.series_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(series_id) ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: COLUMN invoices.fiscal_year; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(fiscal_year) ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: COLUMN invoices.number; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(number) ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: COLUMN invoices.number_display; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(number_display) ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: COLUMN invoices.issue_date; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(issue_date),UPDATE(issue_date) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.currency; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_name; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(customer_name),UPDATE(customer_name) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_tax_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(customer_tax_id),UPDATE(customer_tax_id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_address; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(customer_address),UPDATE(customer_address) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_email; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(customer_email),UPDATE(customer_email) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.student_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(student_id),UPDATE(student_id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(customer_id),UPDATE(customer_id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.corrects_invoice_id; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(corrects_invoice_id) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.reason; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(reason),UPDATE(reason) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.notes; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(notes),UPDATE(notes) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.idempotency_key; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(idempotency_key) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.request_hash; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT INSERT(request_hash) ON TABLE billing.invoices TO app_user;

--
-- Name: COLUMN invoices.issued_at; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT UPDATE(issued_at) ON TABLE billing.invoices TO cimiento_numbering;

--
-- Name: TABLE invoice_taxes; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.invoice_taxes TO app_user;

--
-- Name: TABLE invoices; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE api.invoices TO app_user;

--
-- Name: COLUMN invoices.issue_date; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(issue_date) ON TABLE api.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(customer_name) ON TABLE api.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_tax_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(customer_tax_id) ON TABLE api.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_address; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(customer_address) ON TABLE api.invoices TO app_user;

--
-- Name: COLUMN invoices.customer_email; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(customer_email) ON TABLE api.invoices TO app_user;

--
-- Name: COLUMN invoices.notes; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(notes) ON TABLE api.invoices TO app_user;

--
-- Name: TABLE job_runs; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.job_runs TO app_user;

--
-- Name: TABLE locations; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE api.locations TO app_user;

--
-- Name: TABLE payment_plans; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.payment_plans TO app_user;
GRANT SELECT ON TABLE insurance.payment_plans TO analyst;
GRANT SELECT ON TABLE insurance.payment_plans TO cimiento_jobs;

--
-- Name: TABLE payment_plans; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.payment_plans TO app_user;

--
-- Name: TABLE payments; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.payments TO app_user;

--
-- Name: TABLE permissions; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT ON TABLE core.permissions TO app_user;
GRANT SELECT ON TABLE core.permissions TO analyst;

--
-- Name: TABLE permissions; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.permissions TO app_user;

--
-- Name: TABLE policies; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.policies TO app_user;
GRANT SELECT ON TABLE insurance.policies TO analyst;
GRANT SELECT ON TABLE insurance.policies TO cimiento_numbering;
GRANT SELECT ON TABLE insurance.policies TO cimiento_jobs;

--
-- Name: COLUMN policies.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.branch_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.series_code; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(series_code) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.series_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(series_id) ON TABLE insurance.policies TO cimiento_numbering;

--
-- Name: COLUMN policies.number; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(number) ON TABLE insurance.policies TO cimiento_numbering;

--
-- Name: COLUMN policies.number_display; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(number_display) ON TABLE insurance.policies TO cimiento_numbering;

--
-- Name: COLUMN policies.client_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(client_id) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.coverage_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(coverage_id) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.seller_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(seller_id) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.vehicle_make; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(vehicle_make) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.vehicle_model; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(vehicle_model) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.vehicle_year; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(vehicle_year) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.vin; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(vin) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.plates; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(plates) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.prima_total; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(prima_total) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.payment_plan; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(payment_plan) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.starts_on; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(starts_on) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.ends_on; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(ends_on) ON TABLE insurance.policies TO app_user;

--
-- Name: COLUMN policies.status; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE insurance.policies TO app_user;
GRANT UPDATE(status) ON TABLE insurance.policies TO cimiento_jobs;

--
-- Name: COLUMN policies.issued_at; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(issued_at) ON TABLE insurance.policies TO cimiento_numbering;

--
-- Name: COLUMN policies.renewed_from; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(renewed_from) ON TABLE insurance.policies TO app_user;

--
-- Name: TABLE policies; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.policies TO app_user;

--
-- Name: TABLE payments; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.payments TO app_user;
GRANT SELECT ON TABLE insurance.payments TO analyst;

--
-- Name: COLUMN payments.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.branch_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.policy_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(policy_id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.instalment_no; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(instalment_no) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.amount; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(amount) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.method; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(method) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.paid_on; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(paid_on) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.collector_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(collector_id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.receipt_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(receipt_id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.reverses_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(reverses_id) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.reason; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(reason) ON TABLE insurance.payments TO app_user;

--
-- Name: COLUMN payments.reference; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(reference) ON TABLE insurance.payments TO app_user;

--
-- Name: TABLE policy_payments; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.policy_payments TO app_user;

--
-- Name: TABLE product_costs; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.product_costs TO app_user;
GRANT SELECT ON TABLE commerce.product_costs TO analyst;

--
-- Name: TABLE product_costs; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.product_costs TO app_user;

--
-- Name: TABLE products; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.products TO app_user;
GRANT SELECT ON TABLE commerce.products TO analyst;

--
-- Name: COLUMN products.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.sku; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sku) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.barcode; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(barcode),UPDATE(barcode) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.name; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.category_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(category_id),UPDATE(category_id) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.unit; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(unit),UPDATE(unit) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.sale_price; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sale_price),UPDATE(sale_price) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.tax_rate; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tax_rate),UPDATE(tax_rate) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.cost; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(cost),UPDATE(cost) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.reorder_point; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(reorder_point),UPDATE(reorder_point) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.active; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE commerce.products TO app_user;

--
-- Name: COLUMN products.allow_backorder; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(allow_backorder),UPDATE(allow_backorder) ON TABLE commerce.products TO app_user;

--
-- Name: TABLE products; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE api.products TO app_user;

--
-- Name: TABLE receipt_lots; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.receipt_lots TO app_user;
GRANT SELECT ON TABLE insurance.receipt_lots TO analyst;

--
-- Name: COLUMN receipt_lots.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.receipt_lots TO app_user;

--
-- Name: COLUMN receipt_lots.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.receipt_lots TO app_user;

--
-- Name: COLUMN receipt_lots.branch_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE insurance.receipt_lots TO app_user;

--
-- Name: COLUMN receipt_lots.prefix; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(prefix) ON TABLE insurance.receipt_lots TO app_user;

--
-- Name: COLUMN receipt_lots.first_no; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(first_no) ON TABLE insurance.receipt_lots TO app_user;

--
-- Name: COLUMN receipt_lots.last_no; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(last_no) ON TABLE insurance.receipt_lots TO app_user;

--
-- Name: TABLE receipt_lots; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.receipt_lots TO app_user;

--
-- Name: TABLE receipts; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.receipts TO app_user;
GRANT SELECT ON TABLE commerce.receipts TO analyst;

--
-- Name: COLUMN receipts.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.receipts TO app_user;

--
-- Name: COLUMN receipts.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.receipts TO app_user;

--
-- Name: COLUMN receipts.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.receipts TO app_user;

--
-- Name: COLUMN receipts.location_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(location_id) ON TABLE commerce.receipts TO app_user;

--
-- Name: COLUMN receipts.supplier_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(supplier_id) ON TABLE commerce.receipts TO app_user;

--
-- Name: COLUMN receipts.reference; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(reference) ON TABLE commerce.receipts TO app_user;

--
-- Name: TABLE receipts; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.receipts TO app_user;

--
-- Name: TABLE aging_summary; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.aging_summary TO analyst;
GRANT SELECT ON TABLE reports.aging_summary TO app_user;

--
-- Name: TABLE report_aging_summary; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_aging_summary TO app_user;

--
-- Name: TABLE attendance_rate; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.attendance_rate TO analyst;
GRANT SELECT ON TABLE reports.attendance_rate TO app_user;

--
-- Name: TABLE report_attendance_rate; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_attendance_rate TO app_user;

--
-- Name: TABLE cash_to_hand_in; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.cash_to_hand_in TO app_user;
GRANT SELECT ON TABLE reports.cash_to_hand_in TO analyst;

--
-- Name: TABLE report_cash_to_hand_in; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_cash_to_hand_in TO app_user;

--
-- Name: TABLE users; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT DELETE ON TABLE core.users TO app_user;

--
-- Name: COLUMN users.tenant_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(tenant_id),INSERT(tenant_id) ON TABLE core.users TO app_user;
GRANT SELECT(tenant_id) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(id),INSERT(id) ON TABLE core.users TO app_user;
GRANT SELECT(id) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.email; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(email),INSERT(email),UPDATE(email) ON TABLE core.users TO app_user;
GRANT SELECT(email) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.email_key; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(email_key) ON TABLE core.users TO app_user;
GRANT SELECT(email_key) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.full_name; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(full_name),INSERT(full_name),UPDATE(full_name) ON TABLE core.users TO app_user;
GRANT SELECT(full_name) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.active; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(active),INSERT(active),UPDATE(active) ON TABLE core.users TO app_user;
GRANT SELECT(active) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.totp_enabled; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(totp_enabled) ON TABLE core.users TO app_user;
GRANT SELECT(totp_enabled) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.created_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(created_at) ON TABLE core.users TO app_user;
GRANT SELECT(created_at) ON TABLE core.users TO analyst;

--
-- Name: COLUMN users.last_login_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(last_login_at) ON TABLE core.users TO app_user;
GRANT SELECT(last_login_at) ON TABLE core.users TO analyst;

--
-- Name: TABLE collections_by_collector_day; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.collections_by_collector_day TO app_user;
GRANT SELECT ON TABLE reports.collections_by_collector_day TO analyst;

--
-- Name: TABLE report_collections_by_collector_day; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_collections_by_collector_day TO app_user;

--
-- Name: TABLE attendance_by_course_day; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.attendance_by_course_day TO app_user;
GRANT SELECT ON TABLE reports.attendance_by_course_day TO analyst;
GRANT SELECT,INSERT,DELETE ON TABLE reports.attendance_by_course_day TO cimiento_jobs;

--
-- Name: TABLE course_attendance; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.course_attendance TO analyst;
GRANT SELECT ON TABLE reports.course_attendance TO app_user;

--
-- Name: TABLE report_course_attendance; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_course_attendance TO app_user;

--
-- Name: TABLE enrollments_per_course; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.enrollments_per_course TO analyst;
GRANT SELECT ON TABLE reports.enrollments_per_course TO app_user;

--
-- Name: TABLE report_enrollments_per_course; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_enrollments_per_course TO app_user;

--
-- Name: TABLE stock_levels; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.stock_levels TO app_user;
GRANT SELECT ON TABLE commerce.stock_levels TO analyst;

--
-- Name: TABLE low_stock; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.low_stock TO analyst;
GRANT SELECT ON TABLE reports.low_stock TO app_user;

--
-- Name: TABLE report_low_stock; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_low_stock TO app_user;

--
-- Name: TABLE sold_by_day; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.sold_by_day TO app_user;
GRANT SELECT ON TABLE reports.sold_by_day TO analyst;
GRANT SELECT,INSERT,DELETE ON TABLE reports.sold_by_day TO cimiento_jobs;

--
-- Name: TABLE margin; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.margin TO analyst;
GRANT SELECT ON TABLE reports.margin TO app_user;

--
-- Name: TABLE report_margin; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_margin TO app_user;

--
-- Name: TABLE outstanding_balances; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.outstanding_balances TO analyst;
GRANT SELECT ON TABLE reports.outstanding_balances TO app_user;

--
-- Name: TABLE report_outstanding_balances; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_outstanding_balances TO app_user;

--
-- Name: TABLE overdue_portfolio; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.overdue_portfolio TO app_user;
GRANT SELECT ON TABLE reports.overdue_portfolio TO analyst;

--
-- Name: TABLE report_overdue_portfolio; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_overdue_portfolio TO app_user;

--
-- Name: TABLE renewals_due; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.renewals_due TO app_user;
GRANT SELECT ON TABLE reports.renewals_due TO analyst;

--
-- Name: TABLE report_renewals_due; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_renewals_due TO app_user;

--
-- Name: TABLE collected_by_month; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.collected_by_month TO app_user;
GRANT SELECT ON TABLE reports.collected_by_month TO analyst;
GRANT SELECT,INSERT,DELETE ON TABLE reports.collected_by_month TO cimiento_jobs;

--
-- Name: TABLE revenue_by_branch_month; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.revenue_by_branch_month TO analyst;
GRANT SELECT ON TABLE reports.revenue_by_branch_month TO app_user;

--
-- Name: TABLE report_revenue_by_branch_month; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_revenue_by_branch_month TO app_user;

--
-- Name: TABLE sales_by_branch; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.sales_by_branch TO analyst;
GRANT SELECT ON TABLE reports.sales_by_branch TO app_user;

--
-- Name: TABLE report_sales_by_branch; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_sales_by_branch TO app_user;

--
-- Name: TABLE sales_by_category; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.sales_by_category TO analyst;
GRANT SELECT ON TABLE reports.sales_by_category TO app_user;

--
-- Name: TABLE report_sales_by_category; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_sales_by_category TO app_user;

--
-- Name: TABLE sales_by_day; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.sales_by_day TO analyst;
GRANT SELECT ON TABLE reports.sales_by_day TO app_user;

--
-- Name: TABLE report_sales_by_day; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_sales_by_day TO app_user;

--
-- Name: TABLE sales_by_product; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.sales_by_product TO analyst;
GRANT SELECT ON TABLE reports.sales_by_product TO app_user;

--
-- Name: TABLE report_sales_by_product; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_sales_by_product TO app_user;

--
-- Name: TABLE stock_valuation; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.stock_valuation TO analyst;
GRANT SELECT ON TABLE reports.stock_valuation TO app_user;

--
-- Name: TABLE report_stock_valuation; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_stock_valuation TO app_user;

--
-- Name: TABLE top_customers; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.top_customers TO analyst;
GRANT SELECT ON TABLE reports.top_customers TO app_user;

--
-- Name: TABLE report_top_customers; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_top_customers TO app_user;

--
-- Name: TABLE top_products; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.top_products TO analyst;
GRANT SELECT ON TABLE reports.top_products TO app_user;

--
-- Name: TABLE report_top_products; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.report_top_products TO app_user;

--
-- Name: TABLE return_lines; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.return_lines TO app_user;
GRANT SELECT ON TABLE commerce.return_lines TO analyst;

--
-- Name: COLUMN return_lines.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.return_lines TO app_user;

--
-- Name: COLUMN return_lines.return_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(return_id) ON TABLE commerce.return_lines TO app_user;

--
-- Name: COLUMN return_lines.sale_line_no; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sale_line_no) ON TABLE commerce.return_lines TO app_user;

--
-- Name: COLUMN return_lines.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.return_lines TO app_user;

--
-- Name: COLUMN return_lines.sale_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sale_id) ON TABLE commerce.return_lines TO app_user;

--
-- Name: COLUMN return_lines.quantity; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(quantity) ON TABLE commerce.return_lines TO app_user;

--
-- Name: TABLE return_lines; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.return_lines TO app_user;

--
-- Name: TABLE returns; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.returns TO app_user;
GRANT SELECT ON TABLE commerce.returns TO analyst;

--
-- Name: COLUMN returns.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.returns TO app_user;

--
-- Name: COLUMN returns.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.returns TO app_user;

--
-- Name: COLUMN returns.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.returns TO app_user;

--
-- Name: COLUMN returns.sale_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sale_id) ON TABLE commerce.returns TO app_user;

--
-- Name: COLUMN returns.location_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(location_id) ON TABLE commerce.returns TO app_user;

--
-- Name: COLUMN returns.reason; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(reason) ON TABLE commerce.returns TO app_user;

--
-- Name: COLUMN returns.credit_note_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(credit_note_id) ON TABLE commerce.returns TO app_user;

--
-- Name: TABLE returns; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.returns TO app_user;

--
-- Name: TABLE role_permissions; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE core.role_permissions TO app_user;

--
-- Name: TABLE role_permissions; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE api.role_permissions TO app_user;

--
-- Name: COLUMN role_permissions.role_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(role_id) ON TABLE api.role_permissions TO app_user;

--
-- Name: COLUMN role_permissions.permission; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(permission) ON TABLE api.role_permissions TO app_user;

--
-- Name: TABLE roles; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE core.roles TO app_user;
GRANT SELECT ON TABLE core.roles TO analyst;

--
-- Name: COLUMN roles.tenant_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE core.roles TO app_user;

--
-- Name: COLUMN roles.id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE core.roles TO app_user;

--
-- Name: COLUMN roles.name; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE core.roles TO app_user;

--
-- Name: COLUMN roles.description; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE core.roles TO app_user;

--
-- Name: TABLE roles; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE api.roles TO app_user;

--
-- Name: COLUMN roles.id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE api.roles TO app_user;

--
-- Name: COLUMN roles.name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE api.roles TO app_user;

--
-- Name: COLUMN roles.description; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE api.roles TO app_user;

--
-- Name: TABLE sale_lines; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.sale_lines TO app_user;
GRANT SELECT ON TABLE commerce.sale_lines TO analyst;

--
-- Name: COLUMN sale_lines.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.sale_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sale_id) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.line_no; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(line_no) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.product_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(product_id) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.quantity; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(quantity) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.unit_price; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(unit_price) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: COLUMN sale_lines.tax_rate; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tax_rate) ON TABLE commerce.sale_lines TO app_user;

--
-- Name: TABLE sale_lines; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.sale_lines TO app_user;

--
-- Name: TABLE sale_payments; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.sale_payments TO app_user;
GRANT SELECT ON TABLE commerce.sale_payments TO analyst;

--
-- Name: COLUMN sale_payments.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: COLUMN sale_payments.sale_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(sale_id) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: COLUMN sale_payments.line_no; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(line_no) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: COLUMN sale_payments.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: COLUMN sale_payments.method; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(method) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: COLUMN sale_payments.amount; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(amount) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: COLUMN sale_payments.reference; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(reference) ON TABLE commerce.sale_payments TO app_user;

--
-- Name: TABLE sale_payments; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.sale_payments TO app_user;

--
-- Name: TABLE sales; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.sales TO app_user;
GRANT SELECT ON TABLE commerce.sales TO analyst;

--
-- Name: COLUMN sales.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.branch_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.location_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(location_id) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.customer_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(customer_id) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.status; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT UPDATE(status) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.invoice_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT UPDATE(invoice_id) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.idempotency_key; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(idempotency_key) ON TABLE commerce.sales TO app_user;

--
-- Name: COLUMN sales.request_hash; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(request_hash) ON TABLE commerce.sales TO app_user;

--
-- Name: TABLE sales; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.sales TO app_user;

--
-- Name: TABLE stock_levels; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.stock_levels TO app_user;

--
-- Name: TABLE students; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.students TO app_user;

--
-- Name: COLUMN students.branch_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(branch_id) ON TABLE api.students TO app_user;

--
-- Name: COLUMN students.document_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(document_id) ON TABLE api.students TO app_user;

--
-- Name: COLUMN students.first_name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(first_name) ON TABLE api.students TO app_user;

--
-- Name: COLUMN students.last_name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(last_name) ON TABLE api.students TO app_user;

--
-- Name: COLUMN students.email; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(email) ON TABLE api.students TO app_user;

--
-- Name: COLUMN students.phone; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(phone) ON TABLE api.students TO app_user;

--
-- Name: TABLE suppliers; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT SELECT ON TABLE commerce.suppliers TO app_user;
GRANT SELECT ON TABLE commerce.suppliers TO analyst;

--
-- Name: COLUMN suppliers.tenant_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE commerce.suppliers TO app_user;

--
-- Name: COLUMN suppliers.id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE commerce.suppliers TO app_user;

--
-- Name: COLUMN suppliers.name; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE commerce.suppliers TO app_user;

--
-- Name: COLUMN suppliers.tax_id_country; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tax_id_country),UPDATE(tax_id_country) ON TABLE commerce.suppliers TO app_user;

--
-- Name: COLUMN suppliers.tax_id; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(tax_id),UPDATE(tax_id) ON TABLE commerce.suppliers TO app_user;

--
-- Name: COLUMN suppliers.email; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(email),UPDATE(email) ON TABLE commerce.suppliers TO app_user;

--
-- Name: COLUMN suppliers.phone; Type: ACL; Schema: commerce; Owner: cimiento_owner
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE commerce.suppliers TO app_user;

--
-- Name: TABLE suppliers; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE api.suppliers TO app_user;

--
-- Name: COLUMN tenants.id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(id) ON TABLE core.tenants TO app_user;
GRANT SELECT(id) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.slug; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(slug) ON TABLE core.tenants TO app_user;
GRANT SELECT(slug) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.name; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(name),UPDATE(name) ON TABLE core.tenants TO app_user;
GRANT SELECT(name) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.legal_name; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(legal_name),UPDATE(legal_name) ON TABLE core.tenants TO app_user;
GRANT SELECT(legal_name) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.tax_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(tax_id),UPDATE(tax_id) ON TABLE core.tenants TO app_user;
GRANT SELECT(tax_id) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.address; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(address),UPDATE(address) ON TABLE core.tenants TO app_user;
GRANT SELECT(address) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.locale; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(locale),UPDATE(locale) ON TABLE core.tenants TO app_user;
GRANT SELECT(locale) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.currency; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(currency),UPDATE(currency) ON TABLE core.tenants TO app_user;
GRANT SELECT(currency) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.timezone; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(timezone),UPDATE(timezone) ON TABLE core.tenants TO app_user;
GRANT SELECT(timezone) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.active; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(active) ON TABLE core.tenants TO app_user;
GRANT SELECT(active) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.settings; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(settings),UPDATE(settings) ON TABLE core.tenants TO app_user;
GRANT SELECT(settings) ON TABLE core.tenants TO analyst;

--
-- Name: COLUMN tenants.created_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(created_at) ON TABLE core.tenants TO app_user;
GRANT SELECT(created_at) ON TABLE core.tenants TO analyst;

--
-- Name: TABLE tenant; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(name) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.legal_name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(legal_name) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.tax_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(tax_id) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.address; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(address) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.locale; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(locale) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.currency; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(currency) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.timezone; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(timezone) ON TABLE api.tenant TO app_user;

--
-- Name: COLUMN tenant.settings; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT UPDATE(settings) ON TABLE api.tenant TO app_user;

--
-- Name: TABLE user_roles; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE core.user_roles TO app_user;

--
-- Name: COLUMN user_roles.tenant_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE core.user_roles TO app_user;

--
-- Name: COLUMN user_roles.id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE core.user_roles TO app_user;

--
-- Name: COLUMN user_roles.user_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(user_id) ON TABLE core.user_roles TO app_user;

--
-- Name: COLUMN user_roles.role_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(role_id) ON TABLE core.user_roles TO app_user;

--
-- Name: COLUMN user_roles.branch_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT INSERT(branch_id),UPDATE(branch_id) ON TABLE core.user_roles TO app_user;

--
-- Name: TABLE user_roles; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE api.user_roles TO app_user;

--
-- Name: COLUMN user_roles.id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE api.user_roles TO app_user;

--
-- Name: COLUMN user_roles.user_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(user_id) ON TABLE api.user_roles TO app_user;

--
-- Name: COLUMN user_roles.role_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(role_id) ON TABLE api.user_roles TO app_user;

--
-- Name: COLUMN user_roles.branch_id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(branch_id),UPDATE(branch_id) ON TABLE api.user_roles TO app_user;

--
-- Name: TABLE users; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT,DELETE ON TABLE api.users TO app_user;

--
-- Name: COLUMN users.id; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE api.users TO app_user;

--
-- Name: COLUMN users.email; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(email),UPDATE(email) ON TABLE api.users TO app_user;

--
-- Name: COLUMN users.full_name; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(full_name),UPDATE(full_name) ON TABLE api.users TO app_user;

--
-- Name: COLUMN users.active; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT INSERT(active),UPDATE(active) ON TABLE api.users TO app_user;

--
-- Name: TABLE workflow_history; Type: ACL; Schema: api; Owner: cimiento_owner
--

GRANT SELECT ON TABLE api.workflow_history TO app_user;

--
-- Name: TABLE chain_base; Type: ACL; Schema: audit; Owner: audit_owner
--

GRANT SELECT ON TABLE audit.chain_base TO app_user;
GRANT SELECT ON TABLE audit.chain_base TO cimiento_sealer;

--
-- Name: TABLE seals; Type: ACL; Schema: audit; Owner: audit_owner
--

GRANT SELECT ON TABLE audit.seals TO app_user;
GRANT SELECT,INSERT ON TABLE audit.seals TO cimiento_sealer;

--
-- Name: TABLE document_render_failures; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT SELECT ON TABLE billing.document_render_failures TO app_user;

--
-- Name: TABLE invoice_documents; Type: ACL; Schema: billing; Owner: cimiento_owner
--

GRANT SELECT ON TABLE billing.invoice_documents TO app_user;

--
-- Name: TABLE builtin_role_permissions; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT ON TABLE core.builtin_role_permissions TO app_user;
GRANT SELECT ON TABLE core.builtin_role_permissions TO analyst;

--
-- Name: TABLE builtin_roles; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT ON TABLE core.builtin_roles TO app_user;
GRANT SELECT ON TABLE core.builtin_roles TO analyst;

--
-- Name: TABLE events; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT ON TABLE core.events TO app_user;

--
-- Name: COLUMN sessions.tenant_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(tenant_id) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(id) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.user_id; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(user_id) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.device_name; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(device_name) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.ip; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(ip) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.user_agent; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(user_agent) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.amr; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(amr) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.created_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(created_at) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.last_seen_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(last_seen_at) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.expires_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(expires_at) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.revoked_at; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(revoked_at) ON TABLE core.sessions TO app_user;

--
-- Name: COLUMN sessions.revoked_reason; Type: ACL; Schema: core; Owner: cimiento_owner
--

GRANT SELECT(revoked_reason) ON TABLE core.sessions TO app_user;

--
-- Name: TABLE agency_roles; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.agency_roles TO app_user;

--
-- Name: TABLE policy_series; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT SELECT ON TABLE insurance.policy_series TO app_user;
GRANT SELECT ON TABLE insurance.policy_series TO analyst;
GRANT SELECT,INSERT ON TABLE insurance.policy_series TO cimiento_numbering;

--
-- Name: COLUMN policy_series.tenant_id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(tenant_id) ON TABLE insurance.policy_series TO app_user;

--
-- Name: COLUMN policy_series.id; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(id) ON TABLE insurance.policy_series TO app_user;

--
-- Name: COLUMN policy_series.code; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(code) ON TABLE insurance.policy_series TO app_user;

--
-- Name: COLUMN policy_series.format; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT INSERT(format) ON TABLE insurance.policy_series TO app_user;

--
-- Name: COLUMN policy_series.next_number; Type: ACL; Schema: insurance; Owner: cimiento_owner
--

GRANT UPDATE(next_number) ON TABLE insurance.policy_series TO cimiento_numbering;

--
-- Name: TABLE sale_lines_net; Type: ACL; Schema: reports; Owner: cimiento_owner
--

GRANT SELECT ON TABLE reports.sale_lines_net TO analyst;
GRANT SELECT ON TABLE reports.sale_lines_net TO app_user;

--
-- PostgreSQL database dump complete
--

