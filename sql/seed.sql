-- Demo data, loaded once on a fresh database by `make run` / `make up` (never by a
-- migration): an academy with two branches, courses, students, enrollments, payments,
-- attendance and issued invoices, so a newcomer sees a living system. Passwords are
-- generated at setup and arrive hashed (argon2id) as the psql variable
-- admin_password_hash; `make run` prints them. Nothing secret is committed.

\set tenant '''00000000-0000-4000-8000-000000000001'''
\set centro '''00000000-0000-4000-8000-0000000000b1'''
\set norte '''00000000-0000-4000-8000-0000000000b2'''

INSERT INTO core.tenants (id, slug, name, legal_name, tax_id, address, locale, currency)
VALUES (:tenant, 'demo', 'Academia Demo', 'Academia Demo S.L.', 'B12345674', 'Calle Mayor 1, 28013 Madrid', 'es-ES', 'EUR');

INSERT INTO core.branches (tenant_id, id, code, name, address, phone) VALUES
  (:tenant, :centro, 'CENTRO', 'Sede Centro', 'Calle Mayor 1, Madrid', '+34 910 000 001'),
  (:tenant, :norte, 'NORTE', 'Sede Norte', 'Av. de la Ilustración 20, Madrid', '+34 910 000 002');

-- Its fiscal profile: a Spanish issuer (VERI*FACTU, AEAT test service), so every invoice and
-- credit note below carries its chained registro and its PDF the QR.
INSERT INTO fiscal.profiles (tenant_id, country, tax_id, legal_name, address, environment)
VALUES (:tenant, 'ES', 'B12345674', 'Academia Demo S.L.', 'Calle Mayor 1, 28013 Madrid', 'test');

-- The admin (every branch) and a registrar limited to Sede Norte, same generated password.
INSERT INTO core.users (tenant_id, id, email, full_name, password_hash) VALUES
  (:tenant, '00000000-0000-4000-8000-0000000000a1', 'admin@demo.cimiento.dev', 'Administración Demo', :'admin_password_hash'),
  (:tenant, '00000000-0000-4000-8000-0000000000a2', 'secretaria.norte@demo.cimiento.dev', 'Secretaría Norte', :'admin_password_hash');
INSERT INTO core.user_roles (tenant_id, user_id, role_id, branch_id)
SELECT r.tenant_id, u.user_id, r.id, u.branch_id
  FROM (VALUES ('00000000-0000-4000-8000-0000000000a1'::uuid, 'admin', NULL::uuid),
               ('00000000-0000-4000-8000-0000000000a2'::uuid, 'registrar', :norte::uuid)) AS u(user_id, role, branch_id)
  JOIN core.roles r ON r.tenant_id = :tenant AND r.name = u.role;

-- Invoice and credit-note series of this fiscal year, per branch.
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year) VALUES
  (:tenant, :centro, 'F001', 'invoice', extract(year FROM current_date)),
  (:tenant, :norte, 'F002', 'invoice', extract(year FROM current_date)),
  (:tenant, :centro, 'R001', 'credit_note', extract(year FROM current_date)),
  (:tenant, :norte, 'R002', 'credit_note', extract(year FROM current_date));

-- Courses: three per branch, running around today.
INSERT INTO academy.courses (tenant_id, branch_id, code, name, description, fee, capacity, starts_on, ends_on)
SELECT :tenant, c.branch_id, c.code, c.name, c.description, c.fee, c.capacity,
       current_date - c.started_days_ago, current_date - c.started_days_ago + 150
  FROM (VALUES
    (:centro::uuid, 'ING-B1', 'Inglés B1', 'Preparación del nivel B1', 450.00, 12, 95),
    (:centro::uuid, 'MAT-BACH', 'Matemáticas Bachillerato', 'Refuerzo de matemáticas', 380.00, 10, 40),
    (:centro::uuid, 'PROG-PY', 'Programación en Python', 'Iniciación a la programación', 520.00, 15, 10),
    (:norte::uuid, 'ING-A2', 'Inglés A2', 'Inglés para principiantes', 400.00, 12, 70),
    (:norte::uuid, 'FRA-A1', 'Francés A1', 'Francés desde cero', 360.00, 8, 35),
    (:norte::uuid, 'DIB-ART', 'Dibujo Artístico', 'Técnicas de dibujo', 300.00, 10, -20)
  ) AS c(branch_id, code, name, description, fee, capacity, started_days_ago);

-- Students: eight per branch.
INSERT INTO academy.students (tenant_id, branch_id, document_id, first_name, last_name, email, phone)
SELECT :tenant, CASE WHEN g <= 8 THEN :centro::uuid ELSE :norte::uuid END,
       lpad((40000000 + g * 7919)::text, 8, '0') || substr('TRWAGMYFPDXBNJZSQVHLCKE', (40000000 + g * 7919) % 23 + 1, 1),
       (ARRAY['Lucía', 'Mateo', 'Sofía', 'Hugo', 'Martina', 'Leo', 'Valeria', 'Daniel', 'Paula', 'Pablo', 'Julia', 'Álvaro',
              'Carmen', 'Diego', 'Elena', 'Adrián'])[g],
       (ARRAY['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
              'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz'])[g],
       'alumno' || g || '@demo.cimiento.dev', '+34 600 000 ' || lpad(g::text, 3, '0')
  FROM generate_series(1, 16) AS g;

-- Enrollments: each student in one or two courses of its branch (financial status by trigger).
INSERT INTO academy.enrollments (tenant_id, branch_id, student_id, course_id, agreed_fee, discount)
SELECT s.tenant_id, s.branch_id, s.id, c.id, c.fee, CASE WHEN s.rn % 4 = 0 THEN 50 ELSE 0 END
  FROM (SELECT st.*, row_number() OVER (PARTITION BY st.branch_id ORDER BY st.document_id) AS rn FROM academy.students st) s
  JOIN (SELECT co.*, row_number() OVER (PARTITION BY co.branch_id ORDER BY co.code) AS cn FROM academy.courses co) c
    ON c.branch_id = s.branch_id AND (c.cn = s.rn % 3 + 1 OR (s.rn % 3 = 0 AND c.cn = 1 AND s.rn > 4))
 WHERE s.tenant_id = :tenant;

-- Payments: some paid in full, some partly, some nothing yet.
INSERT INTO academy.payments (tenant_id, branch_id, enrollment_id, amount, method, reference, paid_at)
SELECT e.tenant_id, e.branch_id, e.id, round((e.agreed_fee - e.discount) * p.share, 2), p.method, p.ref,
       now() - (p.days_ago || ' days')::interval
  FROM (SELECT en.*, row_number() OVER (ORDER BY en.enrolled_at, en.id) AS n FROM academy.enrollments en WHERE en.tenant_id = :tenant) e
  CROSS JOIN LATERAL (VALUES
    (CASE e.n % 3 WHEN 0 THEN 1.0 WHEN 1 THEN 0.5 ELSE 0 END, 'card', 'TPV-' || e.n, 60),
    (CASE e.n % 3 WHEN 1 THEN 0.25 ELSE 0 END, 'transfer', 'TRF-' || e.n, 20)) AS p(share, method, ref, days_ago)
 WHERE p.share > 0;

-- Attendance: the last three class days of every running course.
INSERT INTO academy.attendance (tenant_id, course_id, student_id, date, branch_id, status)
SELECT e.tenant_id, e.course_id, e.student_id, d.day, e.branch_id,
       (ARRAY['present', 'present', 'present', 'late', 'absent', 'excused'])[1 + abs(hashtext(e.id::text || d.day)) % 6]
  FROM academy.enrollments e
  JOIN academy.courses c ON c.tenant_id = e.tenant_id AND c.id = e.course_id AND c.starts_on < current_date
  CROSS JOIN (SELECT current_date - g AS day FROM generate_series(1, 3) g) d
 WHERE e.tenant_id = :tenant;

-- Invoices for the fully paid enrollments, numbered gaplessly in each branch's series.
WITH paid AS (
  SELECT e.*, s.first_name || ' ' || s.last_name AS student_name, s.document_id, s.email, c.name AS course_name, c.code AS course_code,
         gen_random_uuid() AS invoice_id
    FROM academy.enrollments e
    JOIN academy.financial_status f ON f.tenant_id = e.tenant_id AND f.enrollment_id = e.id AND f.status = 'paid'
    JOIN academy.students s ON s.tenant_id = e.tenant_id AND s.id = e.student_id
    JOIN academy.courses c ON c.tenant_id = e.tenant_id AND c.id = e.course_id
   WHERE e.tenant_id = :tenant),
inv AS (
  INSERT INTO billing.invoices (tenant_id, id, branch_id, series_code, currency, customer_name, customer_tax_id, customer_email, student_id)
  SELECT tenant_id, invoice_id, branch_id, CASE WHEN branch_id = :centro THEN 'F001' ELSE 'F002' END, 'EUR',
         student_name, document_id, email, student_id FROM paid RETURNING id),
items AS (
  INSERT INTO billing.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
  SELECT tenant_id, invoice_id, 1, branch_id, 'Matrícula: ' || course_name || ' (' || course_code || ')', 1, agreed_fee - discount, 0
    FROM paid)
INSERT INTO academy.enrollment_invoices (tenant_id, invoice_id, enrollment_id, branch_id)
SELECT tenant_id, invoice_id, id, branch_id FROM paid;
UPDATE billing.invoices SET status = 'issued' WHERE tenant_id = :tenant AND status = 'draft';

-- ---------------------------------------------------------------------------------------
-- A shop: tenant 'tienda' with two branches, 200 products in categories, customers and a
-- supplier, stock received four months ago and restocked, and three months of sales
-- (tickets, and invoices for customers with a tax id), a few returned. Same password.
-- ---------------------------------------------------------------------------------------
\set shop '''00000000-0000-4000-8000-000000000002'''
\set s_centro '''00000000-0000-4000-8000-0000000000c1'''
\set s_norte '''00000000-0000-4000-8000-0000000000c2'''

INSERT INTO core.tenants (id, slug, name, legal_name, tax_id, address, locale, currency)
VALUES (:shop, 'tienda', 'Tienda Demo', 'Comercial Demo S.L.', 'B87654321', 'Calle de Alcalá 100, 28009 Madrid', 'es-ES', 'EUR');
INSERT INTO core.branches (tenant_id, id, code, name, address, phone) VALUES
  (:shop, :s_centro, 'CENTRO', 'Tienda Centro', 'Calle de Alcalá 100, Madrid', '+34 910 000 101'),
  (:shop, :s_norte, 'NORTE', 'Tienda Norte', 'Calle de Bravo Murillo 200, Madrid', '+34 910 000 102');
INSERT INTO core.users (tenant_id, id, email, full_name, password_hash) VALUES
  (:shop, '00000000-0000-4000-8000-0000000000d1', 'admin@tienda.cimiento.dev', 'Administración Tienda', :'admin_password_hash'),
  (:shop, '00000000-0000-4000-8000-0000000000d2', 'cajero.norte@tienda.cimiento.dev', 'Caja Norte', :'admin_password_hash');
INSERT INTO core.user_roles (tenant_id, user_id, role_id, branch_id)
SELECT r.tenant_id, u.user_id, r.id, u.branch_id
  FROM (VALUES ('00000000-0000-4000-8000-0000000000d1'::uuid, 'admin', NULL::uuid),
               ('00000000-0000-4000-8000-0000000000d2'::uuid, 'cashier', :s_norte::uuid)) AS u(user_id, role, branch_id)
  JOIN core.roles r ON r.tenant_id = :shop AND r.name = u.role;

INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year, simplified) VALUES
  (:shop, :s_centro, 'T001', 'invoice', extract(year FROM current_date), true),
  (:shop, :s_norte, 'T002', 'invoice', extract(year FROM current_date), true),
  (:shop, :s_centro, 'F101', 'invoice', extract(year FROM current_date), false),
  (:shop, :s_norte, 'F102', 'invoice', extract(year FROM current_date), false),
  (:shop, :s_centro, 'R101', 'credit_note', extract(year FROM current_date), false),
  (:shop, :s_norte, 'R102', 'credit_note', extract(year FROM current_date), false);

INSERT INTO commerce.locations (tenant_id, branch_id, code, name, is_default) VALUES
  (:shop, :s_centro, 'CEN-TIENDA', 'Centro: tienda', true),
  (:shop, :s_centro, 'CEN-ALMACEN', 'Centro: almacén', false),
  (:shop, :s_norte, 'NOR-TIENDA', 'Norte: tienda', true);

INSERT INTO commerce.categories (tenant_id, name)
SELECT :shop, c FROM unnest(ARRAY['Alimentación', 'Bebidas', 'Droguería', 'Papelería', 'Hogar']) c;
INSERT INTO commerce.categories (tenant_id, parent_id, name)
SELECT :shop, p.id, s.name
  FROM (VALUES ('Alimentación', 'Conservas'), ('Alimentación', 'Desayuno'), ('Bebidas', 'Refrescos'), ('Bebidas', 'Vinos'),
               ('Droguería', 'Limpieza'), ('Papelería', 'Escritura'), ('Hogar', 'Menaje')) AS s(parent, name)
  JOIN commerce.categories p ON p.tenant_id = :shop AND p.name = s.parent AND p.parent_id IS NULL;

-- 200 products: SKU P0001…, an EAN-13-like barcode, a price and its cost, VAT 21/10/4 %.
INSERT INTO commerce.products (tenant_id, sku, barcode, name, category_id, unit, sale_price, tax_rate, cost, reorder_point)
SELECT :shop, 'P' || lpad(g::text, 4, '0'), '84' || lpad((1000000000 + g * 7)::text, 11, '0'),
       (ARRAY['Atún en aceite', 'Galletas', 'Refresco de cola', 'Vino tinto', 'Detergente', 'Bolígrafo', 'Sartén', 'Café molido',
              'Zumo de naranja', 'Lejía', 'Cuaderno', 'Vaso de cristal'])[1 + g % 12] || ' ' || g,
       (SELECT c.id FROM commerce.categories c WHERE c.tenant_id = :shop AND c.parent_id IS NOT NULL ORDER BY c.name OFFSET g % 7 LIMIT 1),
       'unit', round((1 + (g * 37 % 200) / 10.0)::numeric, 2), (ARRAY[21, 10, 4])[1 + g % 3],
       round((1 + (g * 37 % 200) / 10.0)::numeric * 0.6, 4), 10
  FROM generate_series(1, 200) g;

INSERT INTO commerce.customers (tenant_id, name, tax_id_country, tax_id, email)
SELECT :shop, (ARRAY['Lucía', 'Mateo', 'Sofía', 'Hugo', 'Martina', 'Leo', 'Valeria', 'Daniel', 'Paula', 'Pablo'])[1 + g % 10] || ' '
              || (ARRAY['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez'])[1 + g % 6] || ' ' || g,
       CASE WHEN g % 2 = 0 THEN 'ES' END,
       CASE WHEN g % 2 = 0 THEN lpad((50000000 + g * 104729)::text, 8, '0') || substr('TRWAGMYFPDXBNJZSQVHLCKE', (50000000 + g * 104729) % 23 + 1, 1) END,
       'cliente' || g || '@tienda.cimiento.dev'
  FROM generate_series(1, 20) g;
INSERT INTO commerce.suppliers (tenant_id, name, tax_id_country, tax_id) VALUES
  (:shop, 'Distribuciones Norte S.A.', 'ES', 'A58818501'), (:shop, 'Mayorista Centro S.L.', 'ES', 'B12345674');

-- Stock: received 120 days ago into each shop floor, restocked 45 days ago.
DO $$
DECLARE
  shop constant uuid := '00000000-0000-4000-8000-000000000002';
  loc record;
  rcp uuid;
  ago int;
BEGIN
  FOREACH ago IN ARRAY ARRAY[120, 45] LOOP
    FOR loc IN SELECT * FROM commerce.locations WHERE tenant_id = shop AND code LIKE '%TIENDA' ORDER BY code LOOP
      INSERT INTO commerce.receipts (tenant_id, branch_id, location_id, supplier_id, reference, received_at)
      VALUES (shop, loc.branch_id, loc.id, (SELECT id FROM commerce.suppliers WHERE tenant_id = shop ORDER BY name LIMIT 1),
              'ALB-' || ago || '-' || loc.code, now() - make_interval(days => ago))
      RETURNING id INTO rcp;
      INSERT INTO commerce.inventory_movements (tenant_id, branch_id, location_id, product_id, kind, quantity, unit_cost,
                                                source_type, source_id, moved_at)
      SELECT shop, loc.branch_id, loc.id, p.id, 'receipt', CASE WHEN ago = 120 THEN 60 ELSE 30 END,
             round(p.cost * CASE WHEN ago = 120 THEN 1 ELSE 1.05 END, 4), 'receipt', rcp, now() - make_interval(days => ago)
        FROM commerce.products p WHERE p.tenant_id = shop ORDER BY p.id;
    END LOOP;
  END LOOP;
END
$$;

-- Three months of sales: each day, six sales per shop of one to four products; every fifth
-- to a customer (an invoice when it has a tax id, else a ticket); cash, card or transfer.
DO $$
DECLARE
  shop constant uuid := '00000000-0000-4000-8000-000000000002';
  loc record;
  d int;
  k int;
  n int := 0;
  v_sale uuid;
  v_doc uuid;
  v_cust commerce.customers;
  v_at timestamptz;
  v_total numeric;
BEGIN
  FOR d IN REVERSE 90..1 LOOP
    FOR loc IN SELECT * FROM commerce.locations WHERE tenant_id = shop AND code LIKE '%TIENDA' ORDER BY code LOOP
      FOR k IN 1..6 LOOP
        n := n + 1;
        v_at := date_trunc('day', now() - make_interval(days => d)) + make_interval(hours => 9 + k, mins => n % 60);
        v_cust := NULL;
        IF n % 5 = 0 THEN
          SELECT * INTO v_cust FROM commerce.customers WHERE tenant_id = shop ORDER BY name OFFSET n % 20 LIMIT 1;
        END IF;
        INSERT INTO commerce.sales (tenant_id, branch_id, location_id, customer_id, sold_at)
        VALUES (shop, loc.branch_id, loc.id, v_cust.id, v_at) RETURNING id INTO v_sale;
        INSERT INTO commerce.sale_lines (tenant_id, sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate)
        SELECT shop, v_sale, row_number() OVER (ORDER BY p.id), loc.branch_id, p.id, 1 + (n + i) % 3, p.sale_price, p.tax_rate
          FROM generate_series(1, 1 + n % 4) i
          JOIN commerce.products p ON p.tenant_id = shop AND p.sku = 'P' || lpad((1 + (n * 31 + i * 17) % 200)::text, 4, '0');
        INSERT INTO commerce.inventory_movements (tenant_id, branch_id, location_id, product_id, kind, quantity, unit_cost,
                                                  source_type, source_id, moved_at)
        SELECT shop, loc.branch_id, loc.id, l.product_id, 'sale', -l.quantity, l.unit_cost, 'sale', v_sale, v_at
          FROM commerce.sale_lines l WHERE l.tenant_id = shop AND l.sale_id = v_sale ORDER BY l.product_id;
        v_doc := gen_random_uuid();
        INSERT INTO billing.invoices (tenant_id, id, branch_id, series_code, issue_date, currency, customer_name, customer_tax_id,
                                      customer_email, customer_id)
        VALUES (shop, v_doc, loc.branch_id,
                CASE WHEN v_cust.tax_id IS NOT NULL THEN (CASE WHEN loc.code LIKE 'CEN%' THEN 'F101' ELSE 'F102' END)
                     ELSE (CASE WHEN loc.code LIKE 'CEN%' THEN 'T001' ELSE 'T002' END) END,
                (v_at AT TIME ZONE 'Europe/Madrid')::date, 'EUR', coalesce(v_cust.name, 'Cliente final'), v_cust.tax_id,
                v_cust.email, v_cust.id);
        INSERT INTO billing.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
        SELECT shop, v_doc, l.line_no, l.branch_id, p.name, l.quantity, l.unit_price, l.tax_rate
          FROM commerce.sale_lines l JOIN commerce.products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
         WHERE l.tenant_id = shop AND l.sale_id = v_sale;
        UPDATE billing.invoices SET status = 'issued' WHERE tenant_id = shop AND id = v_doc RETURNING total INTO v_total;
        INSERT INTO commerce.sale_payments (tenant_id, sale_id, line_no, branch_id, method, amount)
        VALUES (shop, v_sale, 1, loc.branch_id, (ARRAY['cash', 'card', 'transfer'])[1 + n % 3],
                CASE WHEN n % 3 = 0 THEN ceil(v_total / 5) * 5 ELSE v_total END);
        UPDATE commerce.sales SET invoice_id = v_doc WHERE tenant_id = shop AND id = v_sale;
      END LOOP;
    END LOOP;
  END LOOP;
END
$$;
