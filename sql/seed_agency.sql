-- Demo data of the insurance agency, loaded once on a fresh database after sql/seed.sql (by
-- `make run` / `make up`, never by a migration): tenant 'agencia' (Mexico, two branches),
-- its staff in every agency role, 2 000 clients with valid RFCs, three coverages, 3 000
-- policies issued over the last year with their instalments, a year of payments (a few
-- reversed), receipts assigned to the collectors and collection proposals — pending,
-- approved and rejected. Same generated password as the other demo users
-- (admin_password_hash); admin and gerente must enrol TOTP at their first sign-in.
--
-- Two transactions: the first creates the tenant and its people; the second acts as the
-- agency's admin (a db_logins row for this login, removed at the end), so every policy is
-- issued, paid and approved through the same rules and workflows as over REST.

\set agency '''00000000-0000-4000-8000-000000000003'''
\set matriz '''00000000-0000-4000-8000-0000000000e1'''
\set norte '''00000000-0000-4000-8000-0000000000e2'''

BEGIN;
INSERT INTO core.tenants (id, slug, name, legal_name, tax_id, address, locale, currency, timezone)
VALUES (:agency, 'agencia', 'Seguros del Valle', 'Seguros del Valle Agentes S.A. de C.V.', 'SVA150101AB3',
        'Av. Reforma 222, Ciudad de México', 'es-MX', 'MXN', 'America/Mexico_City');
INSERT INTO core.branches (tenant_id, id, code, name, address, phone) VALUES
  (:agency, :matriz, 'MATRIZ', 'Oficina Matriz', 'Av. Reforma 222, CDMX', '+52 55 5000 0001'),
  (:agency, :norte, 'NORTE', 'Oficina Norte', 'Av. Insurgentes Norte 1500, CDMX', '+52 55 5000 0002');
SELECT insurance.setup_agency(:agency);

INSERT INTO core.users (tenant_id, id, email, full_name, password_hash) VALUES
  (:agency, '00000000-0000-4000-8000-0000000000f1', 'admin@agencia.cimiento.dev', 'Administración Agencia', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f2', 'gerente@agencia.cimiento.dev', 'Gabriela Gerente', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f3', 'auxiliar@agencia.cimiento.dev', 'Araceli Auxiliar', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f4', 'cobrador1@agencia.cimiento.dev', 'Carlos Cobrador', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f5', 'cobrador2@agencia.cimiento.dev', 'Cecilia Cobradora', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f6', 'vendedor1@agencia.cimiento.dev', 'Víctor Vendedor', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f7', 'vendedor2@agencia.cimiento.dev', 'Verónica Vendedora', :'admin_password_hash'),
  (:agency, '00000000-0000-4000-8000-0000000000f8', 'ajustador@agencia.cimiento.dev', 'Andrés Ajustador', :'admin_password_hash');
-- Who works where: the collectors and sellers each in one branch; the seller Verónica also
-- collects (vendedor includes collecting); the manager and the clerk everywhere.
INSERT INTO core.user_roles (tenant_id, user_id, role_id, branch_id)
SELECT r.tenant_id, u.user_id, r.id, u.branch_id
  FROM (VALUES ('00000000-0000-4000-8000-0000000000f1'::uuid, 'admin', NULL::uuid),
               ('00000000-0000-4000-8000-0000000000f2'::uuid, 'gerente', NULL::uuid),
               ('00000000-0000-4000-8000-0000000000f3'::uuid, 'auxiliar', NULL::uuid),
               ('00000000-0000-4000-8000-0000000000f4'::uuid, 'cobrador', :matriz::uuid),
               ('00000000-0000-4000-8000-0000000000f5'::uuid, 'cobrador', :norte::uuid),
               ('00000000-0000-4000-8000-0000000000f6'::uuid, 'vendedor', :matriz::uuid),
               ('00000000-0000-4000-8000-0000000000f7'::uuid, 'vendedor', :norte::uuid),
               ('00000000-0000-4000-8000-0000000000f8'::uuid, 'ajustador', NULL::uuid)) AS u(user_id, role, branch_id)
  JOIN core.roles r ON r.tenant_id = :agency AND r.name = u.role;
-- For the second transaction only: this login acts as the agency's admin.
INSERT INTO core.db_logins (tenant_id, login_role, user_id, roles, branch_ids, note)
VALUES (:agency, session_user, '00000000-0000-4000-8000-0000000000f1', '{admin}', NULL, 'seed_agency.sql (removed at its end)');
COMMIT;

BEGIN;
INSERT INTO insurance.coverages (tenant_id, code, name, description) VALUES
  (:agency, 'AMPLIA', 'Cobertura amplia', 'Daños materiales, robo total, responsabilidad civil, gastos médicos, asistencia vial'),
  (:agency, 'LIMITADA', 'Cobertura limitada', 'Robo total, responsabilidad civil, gastos médicos'),
  (:agency, 'RC', 'Responsabilidad civil', 'Daños a terceros en sus bienes y personas');
INSERT INTO insurance.coverage_prices (tenant_id, coverage_id, payment_plan, price)
SELECT :agency, c.id, p.code, round(base.price * p.factor, 2)
  FROM insurance.coverages c
  JOIN (VALUES ('AMPLIA', 14500.00), ('LIMITADA', 8900.00), ('RC', 3900.00)) AS base(code, price) ON base.code = c.code
  CROSS JOIN (VALUES ('cash', 1.00), ('cash_2_installments', 1.04), ('monthly_7', 1.09)) AS p(code, factor)
 WHERE c.tenant_id = :agency;

-- 2 000 clients: names with accents, an RFC whose check character is computed by trying the
-- eleven possible ones against the validator, a phone; each assigned to a seller.
INSERT INTO insurance.clients (tenant_id, name, rfc, phone, email, address, seller_id)
SELECT :agency, c.first || ' ' || c.last1 || ' ' || c.last2,
       (SELECT c.base || ch FROM unnest(string_to_array('0123456789A', NULL)) ch
         WHERE core.mexican_tax_id_kind(c.base || ch) IS NOT NULL LIMIT 1),
       '+52 55 ' || lpad((10000000 + g * 7919 % 89999999)::text, 8, '0'),
       CASE WHEN g % 3 = 0 THEN 'cliente' || g || '@correo.mx' END,
       'Calle ' || c.last1 || ' ' || (g % 300 + 1) || ', CDMX',
       CASE WHEN g % 2 = 0 THEN '00000000-0000-4000-8000-0000000000f6'::uuid ELSE '00000000-0000-4000-8000-0000000000f7'::uuid END
  FROM generate_series(1, 2000) g
  CROSS JOIN LATERAL (
    SELECT (ARRAY['José', 'María', 'Juan', 'Guadalupe', 'Luis', 'Sofía', 'Jesús', 'Ximena', 'Ángel', 'Renata',
                  'Ramón', 'Valentina', 'Raúl', 'Mónica', 'Martín', 'Inés', 'Óscar', 'Citlali', 'Efraín', 'Itzel'])[1 + g % 20] AS first,
           (ARRAY['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz',
                  'Gómez', 'Flores', 'Morales', 'Vázquez', 'Jiménez', 'Reyes', 'Díaz', 'Torres', 'Gutiérrez', 'Ruíz',
                  'Núñez', 'Muñoz', 'Ortíz', 'Castañeda', 'Peña'])[1 + (g / 20) % 25] AS last1,
           (ARRAY['Álvarez', 'Mendoza', 'Aguilar', 'Castillo', 'Romero', 'Ibáñez', 'Chávez', 'Ríos', 'Rivera', 'Juárez',
                  'Domínguez', 'Solís', 'Luna', 'Ochoa', 'Acosta'])[1 + (g * 7) % 15] AS last2,
           -- Four letters, a birth date (YYMMDD), a two-character homoclave; the check follows.
           chr(65 + g % 26) || chr(65 + (g / 26) % 26) || chr(65 + (g * 3) % 26) || chr(65 + (g * 7) % 26)
             || to_char(date '1960-01-01' + (g * 37) % 15000, 'YYMMDD')
             || chr(65 + (g * 11) % 26) || ((g * 13) % 10)::text AS base) c;

-- 3 000 policies started over the last year, issued (numbered POL-000001…, instalments
-- written); a few are left as quotes and a few cancelled.
INSERT INTO insurance.policies (tenant_id, branch_id, client_id, coverage_id, seller_id, vehicle_make, vehicle_model,
                                vehicle_year, vin, plates, payment_plan, starts_on)
SELECT :agency, CASE WHEN c.seller_id = '00000000-0000-4000-8000-0000000000f6' THEN :matriz::uuid ELSE :norte::uuid END,
       c.id, cov.id, c.seller_id, v.make, v.model, 2008 + g % 17,
       -- 17 characters without I, O or Q.
       translate(upper(substr(md5('vin' || g), 1, 17)), 'IOQ', '123'),
       chr(65 + g % 26) || chr(65 + (g / 26) % 26) || chr(65 + (g * 7) % 26) || '-' || lpad((g % 1000)::text, 3, '0') || '-' || chr(65 + (g * 3) % 26),
       (ARRAY['cash', 'cash_2_installments', 'monthly_7', 'monthly_7'])[1 + g % 4],
       core.local_today(:agency) - (g * 7 % 360)
  FROM generate_series(1, 3000) g
  JOIN LATERAL (SELECT * FROM insurance.clients WHERE tenant_id = :agency ORDER BY rfc OFFSET (g * 13) % 2000 LIMIT 1) c ON true
  JOIN insurance.coverages cov ON cov.tenant_id = :agency AND cov.code = (ARRAY['AMPLIA', 'LIMITADA', 'RC'])[1 + g % 3]
  CROSS JOIN LATERAL (SELECT (ARRAY['Nissan', 'Volkswagen', 'Chevrolet', 'Toyota', 'Kia', 'Mazda'])[1 + g % 6] AS make,
                             (ARRAY['Versa', 'Jetta', 'Aveo', 'Corolla', 'Rio', 'Mazda 3'])[1 + g % 6] AS model) v;
UPDATE insurance.policies SET status = 'active'
 WHERE tenant_id = :agency AND id NOT IN (SELECT id FROM insurance.policies WHERE tenant_id = :agency ORDER BY vin LIMIT 40);
SET CONSTRAINTS insurance.policies_number_at_commit IMMEDIATE;
SELECT cimiento.transition('policies', id::text, 'cancelled', 'El cliente vendió el vehículo')
  FROM (SELECT id FROM insurance.policies WHERE tenant_id = :agency AND status = 'quote' ORDER BY vin LIMIT 10) q;

-- A year of payments: most instalments due by today paid in full within a week of falling
-- due, some in part, the rest not at all (they will be overdue).
INSERT INTO insurance.payments (tenant_id, branch_id, policy_id, instalment_no, amount, method, paid_on, collector_id, reference)
SELECT i.tenant_id, i.branch_id, i.policy_id, i.no,
       CASE WHEN h % 20 = 0 THEN round(i.amount / 2, 2) ELSE i.amount END,
       (ARRAY['cash', 'cash', 'deposit', 'transfer', 'crucero', 'konfio', 'terminal_banorte'])[1 + h % 7],
       least(i.due_on + h % 8, core.local_today(:agency)),
       CASE WHEN i.branch_id = :matriz THEN '00000000-0000-4000-8000-0000000000f4'::uuid ELSE '00000000-0000-4000-8000-0000000000f5'::uuid END,
       CASE WHEN h % 7 IN (2, 3) THEN 'REF-' || h END
  FROM insurance.instalments i
  CROSS JOIN LATERAL (SELECT abs(hashtext(i.policy_id::text || i.no)) AS h) x
 WHERE i.tenant_id = :agency AND i.due_on <= core.local_today(:agency) AND h % 10 <> 0
 ORDER BY i.due_on, i.policy_id, i.no;
-- A few payments were taken back (a bounced transfer, a wrong policy).
SELECT api.revert_payment(p.id, CASE WHEN p.method = 'transfer' THEN 'Transferencia devuelta' ELSE 'Aplicado a póliza equivocada' END)
  FROM (SELECT id, method FROM insurance.payments WHERE tenant_id = :agency AND amount > 0 ORDER BY id LIMIT 12) p;

-- Receipts: a lot per branch, 40 assigned to each collector and to the seller who collects.
SELECT api.register_receipt_lot(:matriz, 1, 500, 'M');
SELECT api.register_receipt_lot(:norte, 1, 500, 'N');
SELECT api.assign_receipts('00000000-0000-4000-8000-0000000000f4', ARRAY(SELECT 'M' || lpad(g::text, 6, '0') FROM generate_series(1, 40) g));
SELECT api.assign_receipts('00000000-0000-4000-8000-0000000000f6', ARRAY(SELECT 'M' || lpad(g::text, 6, '0') FROM generate_series(41, 80) g));
SELECT api.assign_receipts('00000000-0000-4000-8000-0000000000f5', ARRAY(SELECT 'N' || lpad(g::text, 6, '0') FROM generate_series(1, 40) g));
SELECT api.assign_receipts('00000000-0000-4000-8000-0000000000f7', ARRAY(SELECT 'N' || lpad(g::text, 6, '0') FROM generate_series(41, 80) g));

-- Collections from the field this week (filed for the collectors by the office): the first
-- few approved (paid, receipt used), one rejected, the rest waiting for the manager.
SELECT api.file_proposal(i.policy_id, i.no, i.amount - i.paid, CASE WHEN k % 3 = 0 THEN 'transfer' ELSE 'cash' END,
                         r.number, 19.4326 + k / 1000.0, -99.1332 - k / 1000.0, 'fotos/cobro-' || k || '.jpg',
                         now() - make_interval(hours => k::int * 5),
                         CASE WHEN i.branch_id = :matriz THEN '00000000-0000-4000-8000-0000000000f4'::uuid
                              ELSE '00000000-0000-4000-8000-0000000000f5'::uuid END)
  FROM (SELECT i.*, row_number() OVER (PARTITION BY i.branch_id ORDER BY i.due_on DESC, i.policy_id) AS k
          FROM insurance.instalments i JOIN insurance.policies p ON p.tenant_id = i.tenant_id AND p.id = i.policy_id
         WHERE i.tenant_id = :agency AND i.status = 'overdue' AND p.status IN ('active', 'overdue')) i
  JOIN LATERAL (SELECT r.number FROM insurance.receipts r
                 WHERE r.tenant_id = :agency AND r.status = 'assigned'
                   AND r.collector_id = CASE WHEN i.branch_id = :matriz THEN '00000000-0000-4000-8000-0000000000f4'::uuid
                                             ELSE '00000000-0000-4000-8000-0000000000f5'::uuid END
                 ORDER BY r.number OFFSET i.k - 1 LIMIT 1) r ON true
 WHERE i.k <= 8;
SELECT api.approve_proposal(x.id)
  FROM (SELECT id FROM insurance.collection_proposals WHERE tenant_id = :agency ORDER BY collected_at LIMIT 6) x;
SELECT api.reject_proposal(x.id, 'El recibo no coincide con el monto cobrado')
  FROM (SELECT id FROM insurance.collection_proposals WHERE tenant_id = :agency AND status = 'pending' ORDER BY collected_at LIMIT 1) x;

-- Tonight's job, run now: overdue instalments and policies, suspensions, expirations.
SELECT insurance.nightly_status();

-- What happened while seeding is history, not news for the event streams.
DELETE FROM core.events WHERE tenant_id = :agency;
DELETE FROM core.db_logins WHERE tenant_id = :agency AND login_role = session_user;
COMMIT;
