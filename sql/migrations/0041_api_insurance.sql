-- 0041: the REST surface of insurance — views of clients, coverages, policies, instalments,
-- payments, receipts and collection proposals; the RPCs that search clients, quote and issue
-- policies, pay and reverse, register and assign receipts, file, approve and reject
-- proposals, renew; and the agency's reports. Each RPC runs as the caller (RLS, grants and
-- the workflow decide) and does all of its work in its one transaction.
-- Errors: 22023 → 400 bad input, 42501 → 403 permission or branch, PT404 → 404 unknown id,
-- PT409 → 409 conflict (state, balance, receipt, transition outside the workflow).

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.clients WITH (security_invoker = true) AS
  SELECT tenant_id, id, name, rfc, phone, email, address, seller_id, created_at FROM insurance.clients;
COMMENT ON VIEW api.clients IS 'Clients of the agency. rfc is checked (Mexican RFC with its check character; 400 otherwise) and stored normalized. Everyone reads; sellers and clerks create (clients.create); only admin and gerente change or delete (clients.manage). Search with /rpc/search_clients.';
GRANT SELECT, INSERT, UPDATE, DELETE ON api.clients TO app_user;

CREATE VIEW api.payment_plans WITH (security_invoker = true) AS
  SELECT code, instalments, months_between, description FROM insurance.payment_plans;
COMMENT ON VIEW api.payment_plans IS 'Payment plans (cash, cash_2_installments, monthly_7): instalments and months between them. Read-only.';
GRANT SELECT ON api.payment_plans TO app_user;

CREATE VIEW api.coverages WITH (security_invoker = true) AS
  SELECT tenant_id, id, code, name, description, active, created_at FROM insurance.coverages;
COMMENT ON VIEW api.coverages IS 'The coverage catalog; change it with coverages.manage. Prices per plan: /coverage_prices.';
GRANT SELECT, INSERT, UPDATE ON api.coverages TO app_user;

CREATE VIEW api.coverage_prices WITH (security_invoker = true) AS
  SELECT tenant_id, coverage_id, payment_plan, price, updated_at FROM insurance.coverage_prices;
COMMENT ON VIEW api.coverage_prices IS 'Yearly premium of each coverage under each payment plan (coverages.manage changes them; audited).';
GRANT SELECT, INSERT, UPDATE, DELETE ON api.coverage_prices TO app_user;

CREATE VIEW api.policies WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, series_code, number, number_display, client_id, coverage_id, seller_id, vehicle_make,
         vehicle_model, vehicle_year, vin, plates, prima_total, payment_plan, starts_on, ends_on, status, issued_at,
         renewed_from, created_at
    FROM insurance.policies;
COMMENT ON VIEW api.policies IS 'Policies of the caller''s branches (sellers: only their own). Quote and issue with /rpc/create_policy; move them with /rpc/transition (entity policies: cancel with a reason) or /rpc/renew_policy. Read-only here.';
GRANT SELECT ON api.policies TO app_user;

CREATE VIEW api.instalments WITH (security_invoker = true) AS
  SELECT tenant_id, policy_id, no, branch_id, due_on, amount, paid, amount - paid AS balance, status, updated_at
    FROM insurance.instalments;
COMMENT ON VIEW api.instalments IS 'Instalments of the policies the caller sees: due date, amount, paid, balance and status (pending, partial, paid, overdue). Kept by payments and the nightly job; read-only.';
GRANT SELECT ON api.instalments TO app_user;

CREATE VIEW api.policy_payments WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, policy_id, instalment_no, amount, method, paid_on, collector_id, receipt_id, proposal_id,
         reverses_id, reason, reference, created_at, created_by
    FROM insurance.payments;
COMMENT ON VIEW api.policy_payments IS 'Payments and reversals (negative, with reverses_id and reason) — payments.read sees the branch''s, collections.read_own one''s own collections. Record with /rpc/record_payment, reverse with /rpc/revert_payment; never changed or deleted.';
GRANT SELECT ON api.policy_payments TO app_user;

CREATE VIEW api.receipt_lots WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, prefix, first_no, last_no, created_at, created_by FROM insurance.receipt_lots;
COMMENT ON VIEW api.receipt_lots IS 'Lots of pre-printed receipts; register one with /rpc/register_receipt_lot.';
GRANT SELECT ON api.receipt_lots TO app_user;

CREATE VIEW api.collection_receipts WITH (security_invoker = true) AS
  SELECT tenant_id, id, branch_id, lot_id, number, collector_id, status, reason, assigned_at, used_at, verified_at
    FROM insurance.receipts;
COMMENT ON VIEW api.collection_receipts IS 'Pre-printed receipts (collectors: their own): available → assigned (/rpc/assign_receipts) → used (an approved collection) → verified, or lost / cancelled with a reason (/rpc/transition, entity receipts).';
GRANT SELECT ON api.collection_receipts TO app_user;

CREATE VIEW api.collection_proposals WITH (security_invoker = true) AS
  SELECT x.tenant_id, x.id, x.branch_id, x.collector_id, x.policy_id, x.instalment_no, x.amount, x.method, x.receipt_id,
         r.number AS receipt_number, x.latitude, x.longitude, x.photo_ref, x.collected_at, x.status, x.decided_by,
         x.decided_at, x.decision_reason, x.created_at
    FROM insurance.collection_proposals x
    LEFT JOIN insurance.receipts r ON r.tenant_id = x.tenant_id AND r.id = x.receipt_id;
COMMENT ON VIEW api.collection_proposals IS 'Collections filed from the field (collectors: their own). File with /rpc/file_proposal; approve or reject with /rpc/approve_proposal, /rpc/reject_proposal (or /rpc/transition, entity collection_proposals).';
GRANT SELECT ON api.collection_proposals TO app_user;

-- ---------------------------------------------------------------------------------------
-- Clients
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION api.search_clients(q text)
RETURNS TABLE (id uuid, name text, rfc text, phone text, seller_id uuid, score real)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.search_clients(text) IS 'The 20 clients best matching q by name, RFC or phone, ignoring accents and case and tolerating typos (pg_trgm word similarity over unaccented text, GIN index), best first with their score. 400 for fewer than 2 or more than 100 characters. STABLE.';
GRANT EXECUTE ON FUNCTION api.search_clients(text) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Policies
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION insurance.number_now() RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  SET CONSTRAINTS insurance.policies_number_at_commit IMMEDIATE;
EXCEPTION
  WHEN object_not_in_prerequisite_state THEN
    RAISE EXCEPTION '%', SQLERRM USING ERRCODE = 'PT409', HINT = 'the series is closed (active = false)';
END
$$;
COMMENT ON FUNCTION insurance.number_now() IS 'Numbers the policies issued in this transaction now instead of at commit (SET CONSTRAINTS … IMMEDIATE), so an RPC can return the number; a closed series → PT409. VOLATILE.';
GRANT EXECUTE ON FUNCTION insurance.number_now() TO app_user;

CREATE FUNCTION insurance.policy_json(p_policy uuid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT to_jsonb(p) || jsonb_build_object('instalments',
           coalesce((SELECT jsonb_agg(to_jsonb(i) - 'tenant_id' - 'policy_id' - 'branch_id' ORDER BY i.no)
                       FROM api.instalments i WHERE i.tenant_id = p.tenant_id AND i.policy_id = p.id), '[]'::jsonb))
    FROM api.policies p WHERE p.id = p_policy
$$;
COMMENT ON FUNCTION insurance.policy_json(uuid) IS 'A policy as the caller sees it (api.policies) with its instalments, as the RPCs return it. STABLE.';
GRANT EXECUTE ON FUNCTION insurance.policy_json(uuid) TO app_user;

CREATE FUNCTION api.create_policy(client_id uuid, coverage_id uuid, payment_plan text, vehicle_make text, vehicle_model text,
                                  vehicle_year integer, vin text, plates text DEFAULT NULL, starts_on date DEFAULT NULL,
                                  prima_total numeric DEFAULT NULL, branch_id uuid DEFAULT NULL, series_code text DEFAULT 'POL',
                                  issue boolean DEFAULT true)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.create_policy(uuid, uuid, text, text, text, integer, text, text, date, numeric, uuid, text, boolean) IS 'Quotes a policy for a client (vehicle, coverage, payment plan; prima_total from the coverage''s price for the plan unless given; starts today unless starts_on, ends a year later) in branch_id (may be left out by a caller who quotes in one branch) and, unless issue is false, issues it: numbered in its series (POL-000001…) and its instalments written, summing to prima_total. Returns the policy with its instalments. 403 without policies.create / policies.issue in the branch. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.create_policy(uuid, uuid, text, text, text, integer, text, text, date, numeric, uuid, text, boolean) TO app_user;

CREATE FUNCTION api.issue_policy(policy_id uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  PERFORM cimiento.transition('policies', policy_id::text, 'active');
  PERFORM insurance.number_now();
  RETURN insurance.policy_json(policy_id);
END
$$;
COMMENT ON FUNCTION api.issue_policy(uuid) IS 'Issues a quoted policy (workflow transition issue, policies.issue): numbers it and writes its instalments; returns it with them. 404 unknown, 409 not a quote. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.issue_policy(uuid) TO app_user;

CREATE FUNCTION api.renew_policy(policy_id uuid, starts_on date DEFAULT NULL, issue boolean DEFAULT true) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.renew_policy(uuid, date, boolean) IS 'Renews an expired policy (transition renew, policies.renew): the old one becomes renewed and a new one for the same client, vehicle, coverage, seller and plan starts where it ended (or on starts_on) at today''s catalog price, issued unless issue is false. Returns the new policy. 409 unless expired. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.renew_policy(uuid, date, boolean) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Payments
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION api.record_payment(policy_id uuid, instalment_no integer, amount numeric, method text,
                                   paid_on date DEFAULT NULL, reference text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.record_payment(uuid, integer, numeric, text, date, text) IS 'Records a payment (partial allowed) against an instalment of a policy in force: method cash, deposit, transfer, crucero, konfio or terminal_banorte; dated today unless paid_on (never in the future nor more than 8 months back: 400); never more than the instalment owes (409). The instalment and the policy''s state follow at once (an overdue policy paid up is active again). 403 without payments.create in the branch. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.record_payment(uuid, integer, numeric, text, date, text) TO app_user;

CREATE FUNCTION api.revert_payment(payment_id uuid, reason text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.revert_payment(uuid, text) IS 'Reverses a payment with a reversing entry (negative amount, today, the reason; payments.revert in its branch: 403 otherwise): never a delete. The instalment and the policy''s state are recomputed in the same transaction (a paid-up policy whose instalment is past due again becomes overdue). 400 without a reason, 409 already reversed or a reversal. Returns the reversal. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.revert_payment(uuid, text) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Receipts
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION api.register_receipt_lot(branch_id uuid, first_no integer, last_no integer, prefix text DEFAULT 'R')
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.register_receipt_lot(uuid, integer, integer, text) IS 'Registers a lot of pre-printed receipts of a branch (receipts.manage): numbers prefix + six digits from first_no to last_no, available to be assigned. 409 when a number exists already. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.register_receipt_lot(uuid, integer, integer, text) TO app_user;

CREATE FUNCTION api.assign_receipts(collector_id uuid, numbers text[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.assign_receipts(uuid, text[]) IS 'Assigns available receipts (by number) to a collector (receipts.manage in their branch), all or none: 409 when one is not available or the collector would hold more than receipts_per_collector. Returns how many. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.assign_receipts(uuid, text[]) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Collection proposals
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION api.file_proposal(policy_id uuid, instalment_no integer, amount numeric, method text, receipt_number text,
                                  latitude numeric DEFAULT NULL, longitude numeric DEFAULT NULL, photo_ref text DEFAULT NULL,
                                  collected_at timestamptz DEFAULT NULL, collector_id uuid DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.file_proposal(uuid, integer, numeric, text, text, numeric, numeric, text, timestamptz, uuid) IS 'A collector records a collection in the field as a pending proposal: policy, instalment, amount, method, the number of the receipt handed over (assigned to them), GPS point, photo reference, when; collector_id only when a manager (proposals.approve) enters it for a collector. 404 unknown policy or instalment, 409 receipt not theirs or used, amount above what is owed, policy not in force; 403 without proposals.create in the branch. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.file_proposal(uuid, integer, numeric, text, text, numeric, numeric, text, timestamptz, uuid) TO app_user;

CREATE FUNCTION insurance.decide_proposal(p_id uuid, p_to text, p_reason text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION insurance.decide_proposal(uuid, text, text) IS 'Approves or rejects a proposal as the caller: 403 without the permission (with a hint when a second factor is missing), 404 unknown or not theirs to decide, 409 already decided (after waiting for a concurrent decision), then the workflow transition. VOLATILE.';
GRANT EXECUTE ON FUNCTION insurance.decide_proposal(uuid, text, text) TO app_user;

CREATE FUNCTION api.approve_proposal(id uuid) RETURNS jsonb
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT insurance.decide_proposal(id, 'approved', NULL)
$$;
COMMENT ON FUNCTION api.approve_proposal(uuid) IS 'Approves a pending or under-review proposal (proposals.approve in its branch; 403 otherwise, also for a role that requires a second factor signed in without one): its payment is applied and its receipt used in this transaction. Approving it again → 409, so two managers at once make one payment. Returns the proposal. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.approve_proposal(uuid) TO app_user;

CREATE FUNCTION api.reject_proposal(id uuid, reason text) RETURNS jsonb
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT insurance.decide_proposal(id, 'rejected', reason)
$$;
COMMENT ON FUNCTION api.reject_proposal(uuid, text) IS 'Rejects a pending or under-review proposal with a reason (proposals.reject; 400 without reason, 409 already decided); its receipt stays with the collector for another collection. Returns the proposal. VOLATILE.';
GRANT EXECUTE ON FUNCTION api.reject_proposal(uuid, text) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Reports
-- ---------------------------------------------------------------------------------------
CREATE VIEW reports.collections_by_collector_day WITH (security_invoker = true) AS
  SELECT p.tenant_id, p.branch_id, p.collector_id, u.full_name AS collector_name, p.paid_on AS day,
         count(*) FILTER (WHERE p.amount > 0) AS payments, count(*) FILTER (WHERE p.amount < 0) AS reversals,
         sum(p.amount) AS total, coalesce(sum(p.amount) FILTER (WHERE p.method = 'cash'), 0) AS cash
    FROM insurance.payments p
    LEFT JOIN core.users u ON u.tenant_id = p.tenant_id AND u.id = p.collector_id
   GROUP BY p.tenant_id, p.branch_id, p.collector_id, u.full_name, p.paid_on;
COMMENT ON VIEW reports.collections_by_collector_day IS 'Per collector, branch and day: payments, reversals, total net of reversals and the cash part (payments.read: every collector; collections.read_own: one''s own).';

CREATE VIEW reports.overdue_portfolio WITH (security_invoker = true) AS
  SELECT i.tenant_id, i.branch_id, a.age, min(a.from_days) AS from_days,
         count(*) AS instalments, count(DISTINCT i.policy_id) AS policies, sum(i.amount - i.paid) AS balance
    FROM insurance.instalments i
    JOIN insurance.policies p ON p.tenant_id = i.tenant_id AND p.id = i.policy_id AND p.status IN ('active', 'overdue', 'suspended')
    CROSS JOIN LATERAL (SELECT core.local_today(i.tenant_id) - i.due_on AS days) d
    CROSS JOIN LATERAL (SELECT CASE WHEN d.days <= 30 THEN '1-30' WHEN d.days <= 60 THEN '31-60'
                                    WHEN d.days <= 90 THEN '61-90' ELSE '90+' END AS age,
                               CASE WHEN d.days <= 30 THEN 1 WHEN d.days <= 60 THEN 31 WHEN d.days <= 90 THEN 61 ELSE 91 END AS from_days) a
   WHERE i.paid < i.amount AND d.days > 0
   GROUP BY i.tenant_id, i.branch_id, a.age;
COMMENT ON VIEW reports.overdue_portfolio IS 'Overdue portfolio by age (days past due: 1-30, 31-60, 61-90, 90+) per branch, policies in force: unpaid instalments, policies and balance. Derived from due dates at read time (agrees with the nightly job once it has run).';

CREATE VIEW reports.renewals_due WITH (security_invoker = true) AS
  SELECT p.tenant_id, p.branch_id, p.id AS policy_id, p.number_display, p.client_id, c.name AS client_name, c.phone AS client_phone,
         p.seller_id, p.coverage_id, p.ends_on, p.ends_on - core.local_today(p.tenant_id) AS days_left, p.status
    FROM insurance.policies p
    JOIN insurance.clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
   WHERE p.status IN ('active', 'overdue') AND p.ends_on BETWEEN core.local_today(p.tenant_id) AND core.local_today(p.tenant_id) + 30;
COMMENT ON VIEW reports.renewals_due IS 'Policies in force ending in the next 30 days (sellers: their own): client and phone, seller, end date and days left.';

CREATE VIEW reports.cash_to_hand_in WITH (security_invoker = true) AS
  SELECT x.tenant_id, x.branch_id, x.collector_id,
         coalesce(sum(x.amount) FILTER (WHERE x.status IN ('pending', 'under_review')), 0) AS pending_cash,
         coalesce(sum(x.amount) FILTER (WHERE x.status = 'approved'), 0) AS approved_cash,
         sum(x.amount) AS total_cash, count(*) AS receipts
    FROM insurance.collection_proposals x
    JOIN insurance.receipts r ON r.tenant_id = x.tenant_id AND r.id = x.receipt_id
   WHERE x.method = 'cash' AND (x.status IN ('pending', 'under_review') OR (x.status = 'approved' AND r.status = 'used'))
   GROUP BY x.tenant_id, x.branch_id, x.collector_id;
COMMENT ON VIEW reports.cash_to_hand_in IS 'Cash each collector holds and must hand in: cash collections still pending or under review, and approved ones whose receipt is not yet verified (verifying a receipt = the cash was handed in).';
GRANT SELECT ON reports.collections_by_collector_day, reports.overdue_portfolio, reports.renewals_due, reports.cash_to_hand_in
  TO app_user, analyst;

CREATE VIEW api.report_collections_by_collector_day WITH (security_invoker = true) AS SELECT * FROM reports.collections_by_collector_day;
COMMENT ON VIEW api.report_collections_by_collector_day IS 'See reports.collections_by_collector_day.';
CREATE VIEW api.report_overdue_portfolio WITH (security_invoker = true) AS SELECT * FROM reports.overdue_portfolio;
COMMENT ON VIEW api.report_overdue_portfolio IS 'See reports.overdue_portfolio.';
CREATE VIEW api.report_renewals_due WITH (security_invoker = true) AS SELECT * FROM reports.renewals_due;
COMMENT ON VIEW api.report_renewals_due IS 'See reports.renewals_due.';
CREATE VIEW api.report_cash_to_hand_in WITH (security_invoker = true) AS SELECT * FROM reports.cash_to_hand_in;
COMMENT ON VIEW api.report_cash_to_hand_in IS 'See reports.cash_to_hand_in.';
GRANT SELECT ON api.report_collections_by_collector_day, api.report_overdue_portfolio, api.report_renewals_due,
                api.report_cash_to_hand_in
  TO app_user;
