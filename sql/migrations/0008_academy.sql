-- 0008: academy — courses, students, enrollments (with their financial status), payments
-- and attendance. Rules live here: capacity and duplicates on enrolment, payments that
-- never exceed the balance and keep the financial status in the same transaction,
-- attendance only for enrolled students. Every table is branch-scoped and audited.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE academy.courses (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id   uuid NOT NULL,
  code        text NOT NULL CONSTRAINT courses_code_format CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
  name        text NOT NULL CONSTRAINT courses_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  description text,
  fee         numeric(12,2) NOT NULL CONSTRAINT courses_fee_not_negative CHECK (fee >= 0),
  capacity    integer NOT NULL CONSTRAINT courses_capacity_positive CHECK (capacity BETWEEN 1 AND 100000),
  starts_on   date NOT NULL,
  ends_on     date NOT NULL,
  status      text NOT NULL DEFAULT 'open' CONSTRAINT courses_status CHECK (status IN ('draft', 'open', 'closed', 'cancelled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT courses_code_key UNIQUE (tenant_id, code),
  CONSTRAINT courses_branch_key UNIQUE (tenant_id, id, branch_id),
  CONSTRAINT courses_dates CHECK (ends_on >= starts_on),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE academy.courses IS 'Courses offered by a branch: code unique per tenant, fee, capacity, dates, status (draft | open | closed | cancelled).';

CREATE TABLE academy.students (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id   uuid NOT NULL,
  document_id text NOT NULL CONSTRAINT students_document_format CHECK (document_id ~ '^[A-Z0-9][A-Z0-9-]{2,31}$'),
  first_name  text NOT NULL CONSTRAINT students_first_name_length CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
  last_name   text NOT NULL CONSTRAINT students_last_name_length CHECK (length(btrim(last_name)) BETWEEN 1 AND 150),
  email       text CONSTRAINT students_email_format CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  phone       text CONSTRAINT students_phone_format CHECK (phone IS NULL OR phone ~ '^\+?[0-9 ().-]{6,20}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT students_document_key UNIQUE (tenant_id, document_id),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE academy.students IS 'Students of a branch; document_id (DNI/NIE/cédula/CURP, upper case) unique per tenant.';

CREATE TABLE academy.enrollments (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id    uuid NOT NULL,
  student_id   uuid NOT NULL,
  course_id    uuid NOT NULL,
  status       text NOT NULL DEFAULT 'active' CONSTRAINT enrollments_status CHECK (status IN ('active', 'withdrawn', 'completed')),
  agreed_fee   numeric(12,2) NOT NULL CONSTRAINT enrollments_fee_not_negative CHECK (agreed_fee >= 0),
  discount     numeric(12,2) NOT NULL DEFAULT 0,
  enrolled_at  timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT enrollments_student_course_key UNIQUE (tenant_id, student_id, course_id),
  CONSTRAINT enrollments_branch_key UNIQUE (tenant_id, id, branch_id),
  CONSTRAINT enrollments_discount_range CHECK (discount >= 0 AND discount <= agreed_fee),
  FOREIGN KEY (tenant_id, student_id) REFERENCES academy.students (tenant_id, id),
  FOREIGN KEY (tenant_id, course_id, branch_id) REFERENCES academy.courses (tenant_id, id, branch_id)
);
COMMENT ON TABLE academy.enrollments IS 'A student in a course (in the course''s branch): status active | withdrawn | completed, agreed fee and discount. One per student and course.';
CREATE INDEX enrollments_course_idx ON academy.enrollments (tenant_id, course_id) WHERE status = 'active';

CREATE TABLE academy.financial_status (
  tenant_id     uuid NOT NULL DEFAULT cimiento.current_tenant(),
  enrollment_id uuid NOT NULL,
  branch_id     uuid NOT NULL,
  amount_due    numeric(12,2) NOT NULL CONSTRAINT financial_status_due_not_negative CHECK (amount_due >= 0),
  paid          numeric(12,2) NOT NULL DEFAULT 0,
  balance       numeric(12,2) GENERATED ALWAYS AS (amount_due - paid) STORED,
  status        text NOT NULL DEFAULT 'pending' CONSTRAINT financial_status_status CHECK (status IN ('pending', 'partial', 'paid', 'overdue')),
  due_date      date NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, enrollment_id),
  CONSTRAINT financial_status_paid_range CHECK (paid >= 0 AND paid <= amount_due),
  FOREIGN KEY (tenant_id, enrollment_id, branch_id) REFERENCES academy.enrollments (tenant_id, id, branch_id) ON DELETE CASCADE
);
COMMENT ON TABLE academy.financial_status IS 'What an enrollment owes: one per enrollment, created with it; paid and status move with each payment in the same transaction. status is overdue when the due date passed with a balance (see api.financial_status).';
CREATE INDEX financial_status_open_idx ON academy.financial_status (tenant_id, branch_id, due_date) WHERE amount_due > paid;

CREATE TABLE academy.payments (
  tenant_id     uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id     uuid NOT NULL,
  enrollment_id uuid NOT NULL,
  amount        numeric(12,2) NOT NULL CONSTRAINT payments_amount_positive CHECK (amount > 0),
  method        text NOT NULL CONSTRAINT payments_method CHECK (method IN ('cash', 'card', 'transfer', 'deposit')),
  reference     text CONSTRAINT payments_reference_length CHECK (length(reference) <= 100),
  received_by   uuid DEFAULT cimiento.current_user_id(),
  paid_at       timestamptz NOT NULL DEFAULT now(),
  notes         text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, enrollment_id, branch_id) REFERENCES academy.enrollments (tenant_id, id, branch_id)
);
COMMENT ON TABLE academy.payments IS 'Money received for an enrollment: positive amount, method cash | card | transfer | deposit. Never more than the balance; never for a withdrawn enrollment. Immutable once recorded.';
CREATE INDEX payments_branch_month_idx ON academy.payments (tenant_id, branch_id, paid_at) INCLUDE (amount);
CREATE INDEX payments_enrollment_idx ON academy.payments (tenant_id, enrollment_id);

CREATE TABLE academy.attendance (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  course_id   uuid NOT NULL,
  student_id  uuid NOT NULL,
  date        date NOT NULL,
  branch_id   uuid NOT NULL,
  status      text NOT NULL CONSTRAINT attendance_status CHECK (status IN ('present', 'absent', 'late', 'excused')),
  note        text,
  recorded_by uuid DEFAULT cimiento.current_user_id(),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, course_id, student_id, date),
  FOREIGN KEY (tenant_id, course_id, branch_id) REFERENCES academy.courses (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, student_id) REFERENCES academy.students (tenant_id, id)
);
COMMENT ON TABLE academy.attendance IS 'One record per student, course and day: present | absent | late | excused; only for students enrolled in the course.';

CREATE TABLE academy.enrollment_invoices (
  tenant_id     uuid NOT NULL DEFAULT cimiento.current_tenant(),
  invoice_id    uuid NOT NULL,
  enrollment_id uuid NOT NULL,
  branch_id     uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, enrollment_id, branch_id) REFERENCES academy.enrollments (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, invoice_id, branch_id) REFERENCES billing.invoices (tenant_id, id, branch_id)
);
COMMENT ON TABLE academy.enrollment_invoices IS 'Which invoice bills which enrollment (api.issue_enrollment_invoice).';
CREATE INDEX enrollment_invoices_enrollment_idx ON academy.enrollment_invoices (tenant_id, enrollment_id);

ALTER TABLE billing.invoices
  ADD CONSTRAINT invoices_student_fkey FOREIGN KEY (tenant_id, student_id) REFERENCES academy.students (tenant_id, id);

-- ---------------------------------------------------------------------------------------
-- Row-level security (tenant and branch)
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('academy.courses', true);
SELECT cimiento.enable_tenant_isolation('academy.students', true);
SELECT cimiento.enable_tenant_isolation('academy.enrollments', true);
SELECT cimiento.enable_tenant_isolation('academy.financial_status', true);
SELECT cimiento.enable_tenant_isolation('academy.payments', true);
SELECT cimiento.enable_tenant_isolation('academy.attendance', true);
SELECT cimiento.enable_tenant_isolation('academy.enrollment_invoices', true);

-- ---------------------------------------------------------------------------------------
-- Policies: reading and writing need the matching permission (also for direct SQL logins)
-- ---------------------------------------------------------------------------------------
CREATE POLICY courses_read ON academy.courses AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('courses.read')));
CREATE POLICY courses_write_insert ON academy.courses AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT cimiento.has_permission('courses.create')));
CREATE POLICY courses_write_update ON academy.courses AS RESTRICTIVE FOR UPDATE USING ((SELECT cimiento.has_permission('courses.update')));
CREATE POLICY students_read ON academy.students AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('students.read')));
CREATE POLICY students_write_insert ON academy.students AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT cimiento.has_permission('students.create')));
CREATE POLICY students_write_update ON academy.students AS RESTRICTIVE FOR UPDATE USING ((SELECT cimiento.has_permission('students.update')));
CREATE POLICY enrollments_read ON academy.enrollments AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('enrollments.read')));
CREATE POLICY enrollments_write_insert ON academy.enrollments AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT cimiento.has_permission('enrollments.create')));
CREATE POLICY enrollments_write_update ON academy.enrollments AS RESTRICTIVE FOR UPDATE USING ((SELECT cimiento.has_permission('enrollments.update')));
CREATE POLICY financial_status_read ON academy.financial_status AS RESTRICTIVE FOR SELECT
  USING ((SELECT cimiento.has_permission('enrollments.read')) OR (SELECT cimiento.has_permission('payments.read')));
CREATE POLICY payments_read ON academy.payments AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('payments.read')));
CREATE POLICY payments_write_insert ON academy.payments AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT cimiento.has_permission('payments.create')));
CREATE POLICY attendance_read ON academy.attendance AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('attendance.read')));
CREATE POLICY attendance_write_insert ON academy.attendance AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT cimiento.has_permission('attendance.record')));
CREATE POLICY attendance_write_update ON academy.attendance AS RESTRICTIVE FOR UPDATE USING ((SELECT cimiento.has_permission('attendance.record')));
CREATE POLICY enrollment_invoices_read ON academy.enrollment_invoices AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('invoices.read')) OR (SELECT cimiento.has_permission('invoices.issue')));
CREATE POLICY enrollment_invoices_write_insert ON academy.enrollment_invoices AS RESTRICTIVE FOR INSERT WITH CHECK ((SELECT cimiento.has_permission('invoices.issue')));

-- ---------------------------------------------------------------------------------------
-- Grants (financial_status is written only by the payment and enrollment triggers)
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON academy.courses, academy.students, academy.enrollments, academy.financial_status, academy.payments,
                academy.attendance, academy.enrollment_invoices TO app_user, analyst;
GRANT INSERT (tenant_id, id, branch_id, code, name, description, fee, capacity, starts_on, ends_on, status),
      UPDATE (name, description, fee, capacity, starts_on, ends_on, status) ON academy.courses TO app_user;
GRANT INSERT (tenant_id, id, branch_id, document_id, first_name, last_name, email, phone),
      UPDATE (first_name, last_name, email, phone) ON academy.students TO app_user;
GRANT INSERT (tenant_id, id, branch_id, student_id, course_id, agreed_fee, discount),
      UPDATE (status, withdrawn_at) ON academy.enrollments TO app_user;
GRANT INSERT (tenant_id, id, branch_id, enrollment_id, amount, method, reference, paid_at, notes) ON academy.payments TO app_user;
GRANT INSERT (tenant_id, course_id, student_id, date, branch_id, status, note),
      UPDATE (status, note, recorded_by, recorded_at) ON academy.attendance TO app_user;
GRANT INSERT (tenant_id, invoice_id, enrollment_id, branch_id) ON academy.enrollment_invoices TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions (triggers)
-- ---------------------------------------------------------------------------------------

-- Every enrollment gets its financial status, in the same transaction.
CREATE FUNCTION academy.enrollments_open_account() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO academy.financial_status (tenant_id, enrollment_id, branch_id, amount_due, status, due_date)
  VALUES (NEW.tenant_id, NEW.id, NEW.branch_id, NEW.agreed_fee - NEW.discount,
          CASE WHEN NEW.agreed_fee - NEW.discount = 0 THEN 'paid' ELSE 'pending' END,
          coalesce(nullif(current_setting('cimiento.enrollment_due_date', true), '')::date,
                   (SELECT c.starts_on FROM academy.courses c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.course_id)));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION academy.enrollments_open_account() IS 'Trigger: creates the financial status of a new enrollment (amount due = agreed fee - discount, due on the course start unless the enrolling call says otherwise). SECURITY DEFINER: financial_status is not writable by API roles.';
REVOKE ALL ON FUNCTION academy.enrollments_open_account() FROM PUBLIC;
CREATE TRIGGER enrollments_open_account AFTER INSERT ON academy.enrollments
  FOR EACH ROW EXECUTE FUNCTION academy.enrollments_open_account();

-- A payment checks the enrollment and the balance and moves the financial status, under a
-- row lock so concurrent payments cannot overpay.
CREATE FUNCTION academy.payments_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION academy.payments_apply() IS 'Trigger: refuses a payment for a withdrawn enrollment or above the balance (409), and updates paid and status of the financial status in the same transaction, under a row lock. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION academy.payments_apply() FROM PUBLIC;
CREATE TRIGGER payments_apply BEFORE INSERT ON academy.payments FOR EACH ROW EXECUTE FUNCTION academy.payments_apply();

-- Rows that are never changed or deleted once written (except by the table owner); the
-- trigger's argument is the message. Used for payments and stored documents.
CREATE FUNCTION core.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RAISE EXCEPTION '%', coalesce(TG_ARGV[0], TG_TABLE_NAME || ' rows cannot be changed or deleted') USING ERRCODE = 'PT409',
      HINT = 'record a correcting operation (e.g. a credit note) instead';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION core.refuse_change() IS 'Trigger: refuses UPDATE and DELETE (409, message = trigger argument) except by the table owner. For immutable records.';
REVOKE ALL ON FUNCTION core.refuse_change() FROM PUBLIC;
CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON academy.payments
  FOR EACH ROW EXECUTE FUNCTION core.refuse_change('payments cannot be changed or deleted');

-- Attendance only for students actively enrolled in the course.
CREATE FUNCTION academy.attendance_check_enrolled() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION academy.attendance_check_enrolled() IS 'Trigger: attendance only for students with an active enrollment in the course (409 otherwise).';
REVOKE ALL ON FUNCTION academy.attendance_check_enrolled() FROM PUBLIC;
CREATE TRIGGER attendance_check_enrolled BEFORE INSERT OR UPDATE ON academy.attendance
  FOR EACH ROW EXECUTE FUNCTION academy.attendance_check_enrolled();

-- Every academy table is audited.
SELECT cimiento.enable_audit(t::regclass) FROM unnest(ARRAY['academy.courses', 'academy.students', 'academy.enrollments',
  'academy.financial_status', 'academy.payments', 'academy.attendance', 'academy.enrollment_invoices']) AS t;
