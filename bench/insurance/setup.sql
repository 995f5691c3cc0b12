-- The insurance benchmark's data, on top of the seed's agency (tenant agencia): 100 000
-- clients in all, search queries, and 30 000 pending collection proposals of 1.00 each on
-- the unpaid instalments of policies in force, each with its own receipt, in a queue the
-- managers take from. Loaded as the superuser; the proposals and their receipts go in with
-- triggers off (replica), written exactly as api.file_proposal would leave them.
\set agency '''00000000-0000-4000-8000-000000000003'''

INSERT INTO insurance.clients (tenant_id, name, phone, address, seller_id)
SELECT :agency, f.n || ' ' || l1.n || ' ' || l2.n,
       '+52 ' || (33 + g % 60) || ' ' || lpad((g * 7919 % 99999999)::text, 8, '0'),
       'Calle ' || l2.n || ' ' || g % 900,
       CASE WHEN g % 2 = 0 THEN '00000000-0000-4000-8000-0000000000f6'::uuid ELSE '00000000-0000-4000-8000-0000000000f7'::uuid END
  FROM generate_series(1, 98000) g
  CROSS JOIN LATERAL (SELECT (ARRAY['José', 'María', 'Juan', 'Guadalupe', 'Luis', 'Sofía', 'Jesús', 'Ximena', 'Ángel', 'Renata',
      'Ramón', 'Valentina', 'Raúl', 'Mónica', 'Martín', 'Inés', 'Óscar', 'Citlali', 'Efraín', 'Itzel', 'Fernando', 'Lucía',
      'Héctor', 'Dolores', 'Ignacio', 'Rocío', 'Andrés', 'Begoña', 'Joaquín', 'Natalia'])[1 + g % 30] AS n) f
  CROSS JOIN LATERAL (SELECT (ARRAY['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez',
      'Ramírez', 'Cruz', 'Gómez', 'Flores', 'Morales', 'Vázquez', 'Jiménez', 'Reyes', 'Díaz', 'Torres', 'Gutiérrez', 'Ruíz',
      'Núñez', 'Muñoz', 'Ortíz', 'Castañeda', 'Peña', 'Zúñiga', 'Montaño', 'Bermúdez', 'Villaseñor', 'Echeverría',
      'Carrasco', 'Salinas', 'Velázquez', 'Cárdenas', 'Sepúlveda'])[1 + (g / 30) % 35] AS n) l1
  CROSS JOIN LATERAL (SELECT (ARRAY['Álvarez', 'Mendoza', 'Aguilar', 'Castillo', 'Romero', 'Ibáñez', 'Chávez', 'Ríos', 'Rivera',
      'Juárez', 'Domínguez', 'Solís', 'Luna', 'Ochoa', 'Acosta', 'Beltrán', 'Quiñones', 'Arévalo', 'Galván', 'Treviño'])[1 + (g / 1050) % 20] AS n) l2;
ANALYZE insurance.clients;

CREATE SCHEMA bench_insurance;
GRANT USAGE ON SCHEMA bench_insurance TO app_user, authenticator;
CREATE TABLE bench_insurance.queries (k int PRIMARY KEY, q text NOT NULL);
INSERT INTO bench_insurance.queries
SELECT row_number() OVER (), q FROM unnest(ARRAY[
  'José Hernández', 'jose hernandes', 'Guadalupe Martínez', 'guadalupe martines', 'María López Álvarez', 'maria lopes',
  'Castañeda', 'castaneda', 'Zúñiga', 'zuniga ochoa', 'Echeverría', 'echeverria rios', 'Villaseñor', 'villasenor',
  'Itzel Peña', 'itzel pena luna', 'Raúl Núñez', 'raul nunes', 'Óscar Muñoz', 'oscar munos', 'Ignacio Bermúdez',
  'ignacio bermudes', 'Rocío Velázquez', 'rocio velasquez', 'Begoña Sepúlveda', 'begona sepulveda', 'Joaquín Cárdenas',
  'joaquin cardenas', 'Natalia Treviño', 'natalia trevino', 'Fernando Salinas', 'fernado salinas', 'Lucía Carrasco',
  'lucia carasco', 'Héctor Galván', 'hector galvan', 'Dolores Arévalo', 'dolores arevalo', 'Andrés Quiñones',
  'andres quinones', 'Citlali Beltrán', 'citlali beltran', 'Efraín Montaño', 'efrain montano', 'Sofía Gómez Rivera',
  'sofia gomes', 'Ximena Flores', 'ximena florez', 'Ángel Reyes Juárez', 'angel reyes', 'Renata Díaz', 'renata dias',
  'Martín Torres', 'martin torez', 'Inés Gutiérrez', 'ines gutierres', 'Valentina Ruíz', 'valentina ruis', '+52 55',
  'Calle Ochoa']) q;
GRANT SELECT ON bench_insurance.queries TO app_user;

-- 30 000 pending proposals of 1.00 on unpaid instalments of policies in force, spread over
-- them, each with its own receipt assigned to the branch's collector.
UPDATE core.tenants SET settings = settings || '{"receipts_per_collector": 1000000}' WHERE id = :agency;
SET session_replication_role = replica;
INSERT INTO insurance.receipt_lots (tenant_id, id, branch_id, prefix, first_no, last_no)
SELECT :agency, gen_random_uuid(), b.id, CASE b.code WHEN 'MATRIZ' THEN 'BM' ELSE 'BN' END, 1, 9999
  FROM core.branches b WHERE b.tenant_id = :agency;
CREATE TABLE bench_insurance.queue (n bigint PRIMARY KEY, id uuid NOT NULL);
WITH open AS (
  SELECT i.policy_id, i.no, i.branch_id, row_number() OVER (ORDER BY md5(i.policy_id::text || i.no)) AS k, count(*) OVER () AS total
    FROM insurance.instalments i JOIN insurance.policies p ON p.tenant_id = i.tenant_id AND p.id = i.policy_id
   WHERE i.tenant_id = :agency AND i.amount - i.paid >= 20 AND p.status IN ('active', 'overdue', 'suspended')),
slots AS (
  SELECT g AS n, o.policy_id, o.no, o.branch_id
    FROM generate_series(1, 30000) g JOIN open o ON o.k = 1 + (g - 1) % o.total),
receipts AS (
  INSERT INTO insurance.receipts (tenant_id, id, branch_id, lot_id, number, collector_id, status, assigned_at)
  SELECT :agency, gen_random_uuid(), s.branch_id, l.id, 'B' || lpad(s.n::text, 7, '0'), c.collector, 'assigned', now()
    FROM slots s
    JOIN insurance.receipt_lots l ON l.tenant_id = :agency AND l.branch_id = s.branch_id AND l.prefix LIKE 'B%'
    CROSS JOIN LATERAL (SELECT CASE WHEN s.branch_id = '00000000-0000-4000-8000-0000000000e1'
                                    THEN '00000000-0000-4000-8000-0000000000f4'::uuid
                                    ELSE '00000000-0000-4000-8000-0000000000f5'::uuid END AS collector) c
  RETURNING id, number, branch_id, collector_id),
proposals AS (
  INSERT INTO insurance.collection_proposals (tenant_id, id, branch_id, collector_id, policy_id, instalment_no, amount, method,
                                              receipt_id, collected_at, status)
  SELECT :agency, gen_random_uuid(), s.branch_id, r.collector_id, s.policy_id, s.no, 1.00, 'cash', r.id, now() - interval '1 hour', 'pending'
    FROM slots s JOIN receipts r ON r.number = 'B' || lpad(s.n::text, 7, '0')
  RETURNING id, receipt_id)
INSERT INTO bench_insurance.queue (n, id)
SELECT row_number() OVER (ORDER BY md5(p.id::text)), p.id FROM proposals p;
SET session_replication_role = origin;
CREATE SEQUENCE bench_insurance.next_proposal;
GRANT SELECT ON bench_insurance.queue TO app_user;
GRANT USAGE ON SEQUENCE bench_insurance.next_proposal TO app_user, authenticator;
ANALYZE;
