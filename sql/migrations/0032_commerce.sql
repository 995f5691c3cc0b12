-- 0032: commerce — catalog (categories, products), customers, suppliers, locations, the
-- stock ledger (inventory_movements, append-only) with stock_levels and moving-average
-- costs kept by the database, sales with lines and payments, returns and receipts.
--
-- Rules that live here, for every path (REST, RPC, psql):
--  - stock_levels = the sum of the ledger per product and location, written only by the
--    ledger's trigger in the same transaction, under the row lock of the level: never
--    negative unless the product allows backorder (409 naming what is available);
--  - a movement is never changed or deleted (corrections are new movements), each kind
--    needs its permission in its branch, an adjustment needs a reason, a transfer is two
--    movements sharing a transfer_id;
--  - the moving-average cost of a product changes with what comes in at a cost (receipts,
--    returns);
--  - a customer's tax id is valid for its country; its stats are kept by the sales;
--  - a sale is completed or voided (workflow: void needs sales.void, a reason, the same
--    day); voiding restocks what was not returned and credits what was not credited.
-- Prices are net of tax (the documents add it, with the billing rules). Quantities are
-- numeric(12,3), money numeric(14,2), costs numeric(14,4).

-- ---------------------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------------------
INSERT INTO core.permissions (code, description) VALUES
  ('inventory.read',   'See locations, stock levels and the stock ledger'),
  ('inventory.adjust', 'Adjust stock with a reason (counts, breakage, loss)'),
  ('sales.return',     'Take back sold goods (issues a credit note)'),
  ('sales.void',       'Void a sale of the same day (restocks, issues a credit note)');
INSERT INTO core.builtin_role_permissions (role_name, permission) VALUES
  ('cashier', 'inventory.read'), ('cashier', 'credit_notes.issue'),
  ('analyst', 'products.read'), ('analyst', 'customers.read'), ('analyst', 'sales.read'), ('analyst', 'inventory.read');
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, p.permission
  FROM core.roles r
  JOIN (VALUES ('cashier', 'inventory.read'), ('cashier', 'credit_notes.issue'), ('analyst', 'products.read'),
               ('analyst', 'customers.read'), ('analyst', 'sales.read'), ('analyst', 'inventory.read')) AS p(role_name, permission)
    ON p.role_name = r.name
 WHERE r.builtin
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE commerce.categories (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  parent_id  uuid,
  name       text NOT NULL CONSTRAINT categories_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT categories_name_key UNIQUE NULLS NOT DISTINCT (tenant_id, parent_id, name),
  CONSTRAINT categories_not_own_parent CHECK (parent_id <> id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES commerce.categories (tenant_id, id)
);
COMMENT ON TABLE commerce.categories IS 'Product categories, a tree per tenant (parent_id NULL = top level; no cycles; names unique among siblings).';

CREATE TABLE commerce.products (
  tenant_id       uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  sku             text NOT NULL CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  barcode         text CONSTRAINT products_barcode_format CHECK (barcode ~ '^[0-9]{8,14}$'),
  name            text NOT NULL CONSTRAINT products_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  category_id     uuid,
  unit            text NOT NULL DEFAULT 'unit' CONSTRAINT products_unit CHECK (unit IN ('unit', 'kg', 'g', 'l', 'ml', 'm', 'box', 'pack')),
  sale_price      numeric(14,2) NOT NULL CONSTRAINT products_sale_price_not_negative CHECK (sale_price >= 0),
  tax_rate        numeric(5,2) NOT NULL DEFAULT 21 CONSTRAINT products_tax_rate_range CHECK (tax_rate BETWEEN 0 AND 100),
  cost            numeric(14,4) NOT NULL DEFAULT 0 CONSTRAINT products_cost_not_negative CHECK (cost >= 0),
  reorder_point   numeric(12,3) NOT NULL DEFAULT 0 CONSTRAINT products_reorder_point_not_negative CHECK (reorder_point >= 0),
  active          boolean NOT NULL DEFAULT true,
  allow_backorder boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT products_sku_key UNIQUE (tenant_id, sku),
  CONSTRAINT products_barcode_key UNIQUE (tenant_id, barcode),
  FOREIGN KEY (tenant_id, category_id) REFERENCES commerce.categories (tenant_id, id)
);
COMMENT ON TABLE commerce.products IS 'The catalog: SKU (unique per tenant), optional barcode (EAN/UPC, unique per tenant), unit, sale price net of tax, tax rate (%), standard cost, reorder point, active, allow_backorder (stock may go below zero; default false). Price changes are in the audit trail.';
CREATE INDEX products_category_idx ON commerce.products (tenant_id, category_id);

CREATE TABLE commerce.product_costs (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant(),
  product_id   uuid NOT NULL,
  on_hand      numeric(14,3) NOT NULL DEFAULT 0,
  average_cost numeric(14,4) NOT NULL DEFAULT 0 CONSTRAINT product_costs_average_not_negative CHECK (average_cost >= 0),
  last_sold_at timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, product_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id)
);
COMMENT ON TABLE commerce.product_costs IS 'Per product, kept by the stock ledger: units on hand in every location, the moving-average cost (what came in at a cost, weighted by quantity) and when it last left in a sale. Nobody writes it directly.';

CREATE TABLE commerce.locations (
  tenant_id  uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id  uuid NOT NULL,
  code       text NOT NULL CONSTRAINT locations_code_format CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name       text NOT NULL CONSTRAINT locations_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  active     boolean NOT NULL DEFAULT true,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT locations_code_key UNIQUE (tenant_id, code),
  CONSTRAINT locations_branch_key UNIQUE (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, branch_id) REFERENCES core.branches (tenant_id, id)
);
COMMENT ON TABLE commerce.locations IS 'Where stock is kept: one or more per branch (shop floor, back room, warehouse). Code unique per tenant; is_default marks the one a sale takes stock from when it names none (at most one per branch; without one, the first active by code).';
CREATE UNIQUE INDEX locations_one_default_idx ON commerce.locations (tenant_id, branch_id) WHERE is_default;

CREATE TABLE commerce.stock_levels (
  tenant_id   uuid NOT NULL,
  product_id  uuid NOT NULL,
  location_id uuid NOT NULL,
  branch_id   uuid NOT NULL,
  quantity    numeric(14,3) NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, product_id, location_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations (tenant_id, id, branch_id)
);
COMMENT ON TABLE commerce.stock_levels IS 'Units of a product at a location: the sum of its ledger, kept by the database in the transaction of each movement (nobody writes it). Never negative unless the product allows backorder.';
CREATE INDEX stock_levels_location_idx ON commerce.stock_levels (tenant_id, location_id);

CREATE TABLE commerce.customers (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  name           text NOT NULL CONSTRAINT customers_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  tax_id_country text CONSTRAINT customers_tax_id_country CHECK (tax_id_country IN ('ES', 'EC')),
  tax_id         text,
  tax_id_kind    text GENERATED ALWAYS AS (core.tax_id_kind(tax_id_country, tax_id)) STORED,
  email          text CONSTRAINT customers_email_format CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' AND length(email) <= 254),
  phone          text CONSTRAINT customers_phone_format CHECK (phone ~ '^\+?[0-9 ().-]{6,20}$'),
  address        text CONSTRAINT customers_address_length CHECK (length(address) <= 500),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT customers_tax_id_key UNIQUE (tenant_id, tax_id),
  CONSTRAINT customers_tax_id_valid CHECK (tax_id IS NULL OR tax_id_kind IS NOT NULL),
  CONSTRAINT customers_tax_id_normalized CHECK (tax_id = core.normalize_tax_id(tax_id))
);
COMMENT ON TABLE commerce.customers IS 'Customers of the tenant (every branch). tax_id, when given, is valid for tax_id_country (ES: NIF/NIE/CIF; EC: cédula/RUC, check characters verified) and normalized; a customer with a tax id gets full invoices, one without gets tickets.';
CREATE INDEX customers_name_idx ON commerce.customers (tenant_id, lower(name) text_pattern_ops);

CREATE TABLE commerce.customer_stats (
  tenant_id        uuid NOT NULL,
  customer_id      uuid NOT NULL,
  sales_count      integer NOT NULL DEFAULT 0,
  sales_total      numeric(14,2) NOT NULL DEFAULT 0,
  last_purchase_at timestamptz,
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers (tenant_id, id)
);
COMMENT ON TABLE commerce.customer_stats IS 'Per customer, kept by its sales (nobody writes it): completed sales, their total with tax and the last purchase. A voided sale no longer counts.';

CREATE TABLE commerce.suppliers (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  name           text NOT NULL CONSTRAINT suppliers_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  tax_id_country text CONSTRAINT suppliers_tax_id_country CHECK (tax_id_country IN ('ES', 'EC')),
  tax_id         text,
  email          text CONSTRAINT suppliers_email_format CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' AND length(email) <= 254),
  phone          text CONSTRAINT suppliers_phone_format CHECK (phone ~ '^\+?[0-9 ().-]{6,20}$'),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT suppliers_tax_id_key UNIQUE (tenant_id, tax_id),
  CONSTRAINT suppliers_tax_id_valid CHECK (tax_id IS NULL OR core.tax_id_kind(tax_id_country, tax_id) IS NOT NULL),
  CONSTRAINT suppliers_tax_id_normalized CHECK (tax_id = core.normalize_tax_id(tax_id))
);
COMMENT ON TABLE commerce.suppliers IS 'Suppliers goods are received from; tax_id validated like customers''.';

CREATE TABLE commerce.receipts (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id   uuid NOT NULL,
  location_id uuid NOT NULL,
  supplier_id uuid,
  reference   text CONSTRAINT receipts_reference_length CHECK (length(reference) <= 100),
  received_at timestamptz NOT NULL DEFAULT now(),
  created_by  uuid DEFAULT cimiento.current_user_id(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES commerce.suppliers (tenant_id, id)
);
COMMENT ON TABLE commerce.receipts IS 'Goods received from a supplier into a location (the supplier''s delivery note as reference); its lines are the receipt movements of the ledger.';

CREATE TABLE commerce.sales (
  tenant_id       uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id       uuid NOT NULL,
  location_id     uuid NOT NULL,
  customer_id     uuid,
  status          text NOT NULL DEFAULT 'completed' CONSTRAINT sales_status CHECK (status IN ('completed', 'voided')),
  sold_at         timestamptz NOT NULL DEFAULT now(),
  sold_on         date NOT NULL,
  invoice_id      uuid,
  subtotal        numeric(14,2) NOT NULL DEFAULT 0,
  tax_total       numeric(14,2) NOT NULL DEFAULT 0,
  total           numeric(14,2) NOT NULL DEFAULT 0,
  paid            numeric(14,2) NOT NULL DEFAULT 0,
  change_given    numeric(14,2) NOT NULL DEFAULT 0 CONSTRAINT sales_change_not_negative CHECK (change_given >= 0),
  idempotency_key text CONSTRAINT sales_idempotency_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  request_hash    text,
  created_by      uuid DEFAULT cimiento.current_user_id(),
  voided_at       timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT sales_branch_key UNIQUE (tenant_id, id, branch_id),
  CONSTRAINT sales_idempotency_key UNIQUE (tenant_id, idempotency_key),
  CONSTRAINT sales_invoice_key UNIQUE (tenant_id, invoice_id),
  CONSTRAINT sales_totals CHECK (total = subtotal + tax_total),
  FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES commerce.customers (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id)
);
COMMENT ON TABLE commerce.sales IS 'A sale at a branch: status completed | voided (workflow), the document issued for it (a ticket, or a full invoice for a customer with a tax id), totals from the document, what was paid and the change given. sold_on is the tenant''s local date.';
CREATE INDEX sales_sold_on_idx ON commerce.sales (tenant_id, sold_on, branch_id);
CREATE INDEX sales_customer_idx ON commerce.sales (tenant_id, customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE commerce.sale_lines (
  tenant_id     uuid NOT NULL DEFAULT cimiento.current_tenant(),
  sale_id       uuid NOT NULL,
  line_no       integer NOT NULL CONSTRAINT sale_lines_line_no CHECK (line_no BETWEEN 1 AND 200),
  branch_id     uuid NOT NULL,
  product_id    uuid NOT NULL,
  quantity      numeric(12,3) NOT NULL CONSTRAINT sale_lines_quantity_positive CHECK (quantity > 0),
  unit_price    numeric(14,2) NOT NULL CONSTRAINT sale_lines_unit_price_not_negative CHECK (unit_price >= 0),
  tax_rate      numeric(5,2) NOT NULL,
  unit_cost     numeric(14,4) NOT NULL DEFAULT 0,
  line_subtotal numeric(14,2) GENERATED ALWAYS AS (round(quantity * unit_price, 2)) STORED,
  PRIMARY KEY (tenant_id, sale_id, line_no),
  FOREIGN KEY (tenant_id, sale_id, branch_id) REFERENCES commerce.sales (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id)
);
COMMENT ON TABLE commerce.sale_lines IS 'Lines of a sale: product, quantity, price and tax rate charged, and the moving-average unit cost at the time of sale (for margins). Line n is line n of the sale''s document.';
CREATE INDEX sale_lines_product_idx ON commerce.sale_lines (tenant_id, product_id);

CREATE TABLE commerce.sale_payments (
  tenant_id uuid NOT NULL DEFAULT cimiento.current_tenant(),
  sale_id   uuid NOT NULL,
  line_no   integer NOT NULL CONSTRAINT sale_payments_line_no CHECK (line_no BETWEEN 1 AND 20),
  branch_id uuid NOT NULL,
  method    text NOT NULL CONSTRAINT sale_payments_method CHECK (method IN ('cash', 'card', 'transfer')),
  amount    numeric(14,2) NOT NULL CONSTRAINT sale_payments_amount_positive CHECK (amount > 0),
  reference text CONSTRAINT sale_payments_reference_length CHECK (length(reference) <= 100),
  PRIMARY KEY (tenant_id, sale_id, line_no),
  FOREIGN KEY (tenant_id, sale_id, branch_id) REFERENCES commerce.sales (tenant_id, id, branch_id)
);
COMMENT ON TABLE commerce.sale_payments IS 'How a sale was paid: cash, card or transfer, the amount tendered (cash may exceed the total: the sale records the change) and a reference (card authorisation, transfer id).';

CREATE TABLE commerce.returns (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id      uuid NOT NULL,
  sale_id        uuid NOT NULL,
  location_id    uuid NOT NULL,
  reason         text NOT NULL CONSTRAINT returns_reason_length CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  credit_note_id uuid,
  returned_at    timestamptz NOT NULL DEFAULT now(),
  created_by     uuid DEFAULT cimiento.current_user_id(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT returns_branch_key UNIQUE (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, sale_id, branch_id) REFERENCES commerce.sales (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES commerce.locations (tenant_id, id),
  FOREIGN KEY (tenant_id, credit_note_id) REFERENCES billing.invoices (tenant_id, id)
);
COMMENT ON TABLE commerce.returns IS 'Goods taken back from a sale (in the sale''s branch, restocked into a location), with the reason and the credit note issued for them.';
CREATE INDEX returns_sale_idx ON commerce.returns (tenant_id, sale_id);

CREATE TABLE commerce.return_lines (
  tenant_id    uuid NOT NULL DEFAULT cimiento.current_tenant(),
  return_id    uuid NOT NULL,
  sale_line_no integer NOT NULL,
  branch_id    uuid NOT NULL,
  sale_id      uuid NOT NULL,
  quantity     numeric(12,3) NOT NULL CONSTRAINT return_lines_quantity_positive CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, return_id, sale_line_no),
  FOREIGN KEY (tenant_id, return_id, branch_id) REFERENCES commerce.returns (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, sale_id, sale_line_no) REFERENCES commerce.sale_lines (tenant_id, sale_id, line_no)
);
COMMENT ON TABLE commerce.return_lines IS 'What a return takes back of each sale line; the sum per sale line never exceeds what was sold.';
CREATE INDEX return_lines_sale_idx ON commerce.return_lines (tenant_id, sale_id, sale_line_no);

CREATE TABLE commerce.inventory_movements (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id   uuid NOT NULL,
  location_id uuid NOT NULL,
  product_id  uuid NOT NULL,
  kind        text NOT NULL CONSTRAINT inventory_movements_kind
                CHECK (kind IN ('receipt', 'sale', 'return', 'void', 'adjustment', 'transfer_out', 'transfer_in')),
  quantity    numeric(12,3) NOT NULL CONSTRAINT inventory_movements_quantity_not_zero CHECK (quantity <> 0),
  unit_cost   numeric(14,4) NOT NULL DEFAULT 0 CONSTRAINT inventory_movements_unit_cost_not_negative CHECK (unit_cost >= 0),
  source_type text CONSTRAINT inventory_movements_source_type CHECK (source_type IN ('receipt', 'sale', 'return', 'transfer', 'adjustment')),
  source_id   uuid,
  transfer_id uuid,
  reason      text CONSTRAINT inventory_movements_reason_length CHECK (length(reason) <= 500),
  moved_at    timestamptz NOT NULL DEFAULT now(),
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  created_by  uuid DEFAULT cimiento.current_user_id(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT inventory_movements_sign CHECK (CASE WHEN kind IN ('receipt', 'return', 'void', 'transfer_in') THEN quantity > 0
                                                  WHEN kind IN ('sale', 'transfer_out') THEN quantity < 0
                                                  ELSE true END),
  CONSTRAINT inventory_movements_adjustment_reason CHECK (kind <> 'adjustment' OR length(btrim(reason)) > 0),
  CONSTRAINT inventory_movements_transfer_linked CHECK ((kind IN ('transfer_out', 'transfer_in')) = (transfer_id IS NOT NULL)),
  CONSTRAINT inventory_movements_source CHECK (kind IN ('adjustment', 'transfer_out', 'transfer_in') OR source_id IS NOT NULL),
  FOREIGN KEY (tenant_id, location_id, branch_id) REFERENCES commerce.locations (tenant_id, id, branch_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES commerce.products (tenant_id, id)
);
COMMENT ON TABLE commerce.inventory_movements IS 'The stock ledger, append-only: every change of stock (receipt +, sale −, return +, void +, adjustment ± with a reason, transfer_out − / transfer_in + sharing a transfer_id) with its quantity, unit cost and source document; seq orders the ledger (movements of one transaction share moved_at). Never changed or deleted: a correction is a new movement.';
CREATE INDEX inventory_movements_product_idx ON commerce.inventory_movements (tenant_id, product_id, seq);
CREATE INDEX inventory_movements_source_idx ON commerce.inventory_movements (tenant_id, source_id) WHERE source_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('commerce.categories');
SELECT cimiento.enable_tenant_isolation('commerce.products');
SELECT cimiento.enable_tenant_isolation('commerce.product_costs');
SELECT cimiento.enable_tenant_isolation('commerce.locations', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.stock_levels', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.customers');
SELECT cimiento.enable_tenant_isolation('commerce.customer_stats');
SELECT cimiento.enable_tenant_isolation('commerce.suppliers');
SELECT cimiento.enable_tenant_isolation('commerce.receipts', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.sales', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.sale_lines', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.sale_payments', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.returns', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.return_lines', branch_scoped => true);
SELECT cimiento.enable_tenant_isolation('commerce.inventory_movements', branch_scoped => true);

-- ---------------------------------------------------------------------------------------
-- Policies: each permission in the row's branch (tenant-wide tables: in some branch)
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_permission_policy('commerce.categories', 'select', '{products.read,products.manage,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.categories', 'insert', '{products.manage}');
SELECT cimiento.enable_permission_policy('commerce.categories', 'update', '{products.manage}');
SELECT cimiento.enable_permission_policy('commerce.categories', 'delete', '{products.manage}');
SELECT cimiento.enable_permission_policy('commerce.products', 'select', '{products.read,products.manage,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.products', 'insert', '{products.manage}');
SELECT cimiento.enable_permission_policy('commerce.products', 'update', '{products.manage}');
SELECT cimiento.enable_permission_policy('commerce.products', 'delete', '{products.manage}');
SELECT cimiento.enable_permission_policy('commerce.product_costs', 'select', '{products.read,products.manage,inventory.read,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.locations', 'select', '{inventory.read,inventory.manage,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.locations', 'insert', '{inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.locations', 'update', '{inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.stock_levels', 'select', '{inventory.read,inventory.manage,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.customers', 'select', '{customers.read,customers.manage,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.customers', 'insert', '{customers.manage}');
SELECT cimiento.enable_permission_policy('commerce.customers', 'update', '{customers.manage}');
SELECT cimiento.enable_permission_policy('commerce.customers', 'delete', '{customers.manage}');
SELECT cimiento.enable_permission_policy('commerce.customer_stats', 'select', '{customers.read,customers.manage}');
SELECT cimiento.enable_permission_policy('commerce.suppliers', 'select', '{inventory.read,inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.suppliers', 'insert', '{inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.suppliers', 'update', '{inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.receipts', 'select', '{inventory.read,inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.receipts', 'insert', '{inventory.manage}');
SELECT cimiento.enable_permission_policy('commerce.sales', 'select', '{sales.read,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.sales', 'insert', '{sales.create}');
SELECT cimiento.enable_permission_policy('commerce.sales', 'update', '{sales.create,sales.void}');
SELECT cimiento.enable_permission_policy('commerce.sale_lines', 'select', '{sales.read,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.sale_lines', 'insert', '{sales.create}');
SELECT cimiento.enable_permission_policy('commerce.sale_payments', 'select', '{sales.read,sales.create}');
SELECT cimiento.enable_permission_policy('commerce.sale_payments', 'insert', '{sales.create}');
SELECT cimiento.enable_permission_policy('commerce.returns', 'select', '{sales.read,sales.return}');
SELECT cimiento.enable_permission_policy('commerce.returns', 'insert', '{sales.return}');
SELECT cimiento.enable_permission_policy('commerce.return_lines', 'select', '{sales.read,sales.return}');
SELECT cimiento.enable_permission_policy('commerce.return_lines', 'insert', '{sales.return}');
SELECT cimiento.enable_permission_policy('commerce.inventory_movements', 'select', '{inventory.read,inventory.manage}');
-- Each kind of movement needs its own permission in the movement's branch.
CREATE POLICY inventory_movements_kind_insert ON commerce.inventory_movements AS RESTRICTIVE FOR INSERT
  WITH CHECK (branch_id = ANY (coalesce((SELECT cimiento.permission_branches(
                CASE kind WHEN 'sale' THEN 'sales.create' WHEN 'return' THEN 'sales.return' WHEN 'void' THEN 'sales.void'
                          WHEN 'adjustment' THEN 'inventory.adjust' ELSE 'inventory.manage' END))::uuid[], ARRAY[branch_id])));
COMMENT ON POLICY inventory_movements_kind_insert ON commerce.inventory_movements IS 'A movement needs, in its branch: sale → sales.create, return → sales.return, void → sales.void, adjustment → inventory.adjust, receipt and transfers → inventory.manage.';

-- ---------------------------------------------------------------------------------------
-- Grants (derived columns, stock levels, costs and stats are never writable by API roles;
-- the ledger is insert-only)
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON commerce.categories, commerce.products, commerce.product_costs, commerce.locations, commerce.stock_levels,
                commerce.customers, commerce.customer_stats, commerce.suppliers, commerce.receipts, commerce.sales,
                commerce.sale_lines, commerce.sale_payments, commerce.returns, commerce.return_lines,
                commerce.inventory_movements
  TO app_user, analyst;
GRANT INSERT (tenant_id, id, parent_id, name), UPDATE (parent_id, name), DELETE ON commerce.categories TO app_user;
GRANT INSERT (tenant_id, id, sku, barcode, name, category_id, unit, sale_price, tax_rate, cost, reorder_point, active, allow_backorder),
      UPDATE (barcode, name, category_id, unit, sale_price, tax_rate, cost, reorder_point, active, allow_backorder)
  ON commerce.products TO app_user;
GRANT INSERT (tenant_id, id, branch_id, code, name, active, is_default), UPDATE (name, active, is_default) ON commerce.locations TO app_user;
GRANT INSERT (tenant_id, id, name, tax_id_country, tax_id, email, phone, address),
      UPDATE (name, tax_id_country, tax_id, email, phone, address), DELETE
  ON commerce.customers TO app_user;
GRANT INSERT (tenant_id, id, name, tax_id_country, tax_id, email, phone), UPDATE (name, tax_id_country, tax_id, email, phone)
  ON commerce.suppliers TO app_user;
GRANT INSERT (tenant_id, id, branch_id, location_id, supplier_id, reference) ON commerce.receipts TO app_user;
GRANT INSERT (tenant_id, id, branch_id, location_id, customer_id, idempotency_key, request_hash), UPDATE (status, invoice_id)
  ON commerce.sales TO app_user;
GRANT INSERT (tenant_id, sale_id, line_no, branch_id, product_id, quantity, unit_price, tax_rate) ON commerce.sale_lines TO app_user;
GRANT INSERT (tenant_id, sale_id, line_no, branch_id, method, amount, reference) ON commerce.sale_payments TO app_user;
GRANT INSERT (tenant_id, id, branch_id, sale_id, location_id, reason, credit_note_id) ON commerce.returns TO app_user;
GRANT INSERT (tenant_id, return_id, sale_line_no, branch_id, sale_id, quantity) ON commerce.return_lines TO app_user;
GRANT INSERT (tenant_id, id, branch_id, location_id, product_id, kind, quantity, unit_cost, source_type, source_id, transfer_id, reason)
  ON commerce.inventory_movements TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------

-- The tenant's local date of a moment (sales belong to the day of the shop, not of the server).
CREATE FUNCTION commerce.local_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT (p_at AT TIME ZONE coalesce((SELECT t.timezone FROM core.tenants t WHERE t.id = p_tenant), 'UTC'))::date
$$;
COMMENT ON FUNCTION commerce.local_day(uuid, timestamptz) IS 'The date of a moment in the tenant''s time zone (core.tenants.timezone). STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION commerce.local_day(uuid, timestamptz) TO app_user, analyst;

CREATE FUNCTION commerce.local_today(p_tenant uuid) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT commerce.local_day(p_tenant, now())
$$;
COMMENT ON FUNCTION commerce.local_today(uuid) IS 'Today in the tenant''s time zone (commerce.local_day of now()). STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION commerce.local_today(uuid) TO app_user, analyst;

-- Categories form a tree: no category may be its own ancestor.
CREATE FUNCTION commerce.categories_no_cycle() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION commerce.categories_no_cycle() IS 'Trigger: refuses (22023) a parent that is the category itself or one of its descendants.';
REVOKE ALL ON FUNCTION commerce.categories_no_cycle() FROM PUBLIC;
CREATE TRIGGER categories_no_cycle BEFORE INSERT OR UPDATE OF parent_id ON commerce.categories
  FOR EACH ROW EXECUTE FUNCTION commerce.categories_no_cycle();

-- Tax ids are stored normalized and checked with their check characters (a clear 400).
CREATE FUNCTION commerce.tax_id_checked() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.tax_id IS NOT NULL THEN
    NEW.tax_id := core.normalize_tax_id(NEW.tax_id);
    PERFORM core.check_tax_id(NEW.tax_id_country, NEW.tax_id);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION commerce.tax_id_checked() IS 'Trigger (customers, suppliers): normalizes tax_id (core.normalize_tax_id) and refuses one that is not valid for tax_id_country (22023 with a hint, via core.check_tax_id).';
REVOKE ALL ON FUNCTION commerce.tax_id_checked() FROM PUBLIC;
CREATE TRIGGER customers_tax_id_checked BEFORE INSERT OR UPDATE OF tax_id, tax_id_country ON commerce.customers
  FOR EACH ROW EXECUTE FUNCTION commerce.tax_id_checked();
CREATE TRIGGER suppliers_tax_id_checked BEFORE INSERT OR UPDATE OF tax_id, tax_id_country ON commerce.suppliers
  FOR EACH ROW EXECUTE FUNCTION commerce.tax_id_checked();

-- Every product has its cost row (on hand 0, average = standard cost until stock comes in).
CREATE FUNCTION commerce.products_open_costs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO commerce.product_costs (tenant_id, product_id, average_cost) VALUES (NEW.tenant_id, NEW.id, NEW.cost);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION commerce.products_open_costs() IS 'Trigger: a new product gets its product_costs row (nothing on hand, average = its standard cost). SECURITY DEFINER: product_costs is not writable by API roles.';
REVOKE ALL ON FUNCTION commerce.products_open_costs() FROM PUBLIC;
CREATE TRIGGER products_open_costs AFTER INSERT ON commerce.products
  FOR EACH ROW EXECUTE FUNCTION commerce.products_open_costs();

-- The ledger keeps the stock: each movement moves the level of its product and location
-- under that row's lock (concurrent movements of one product and location queue here),
-- refuses to go below zero unless the product allows backorder, and keeps units on hand and
-- the moving-average cost of the product.
CREATE FUNCTION commerce.inventory_movements_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION commerce.inventory_movements_apply() IS 'Trigger (AFTER INSERT on the ledger): moves stock_levels of the product and location under its row lock; refuses going below zero unless the product allows backorder (PT409 → 409, naming the SKU, location and available quantity; DETAIL is JSON); keeps on_hand, the moving-average cost (receipts, returns and voids come in at their unit cost) and the last sale in product_costs. SECURITY DEFINER: callers never write levels or costs.';
REVOKE ALL ON FUNCTION commerce.inventory_movements_apply() FROM PUBLIC;
CREATE TRIGGER inventory_movements_apply AFTER INSERT ON commerce.inventory_movements
  FOR EACH ROW EXECUTE FUNCTION commerce.inventory_movements_apply();

-- A customer's stats follow its sales: a completed sale counts, a voided one no longer does.
CREATE FUNCTION commerce.sales_customer_stats() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION commerce.sales_customer_stats() IS 'Trigger (AFTER UPDATE of sales): when a sale gets its document its customer''s stats count it (sales_count, sales_total, last_purchase_at); a void takes it out. SECURITY DEFINER: customer_stats is not writable by API roles.';
REVOKE ALL ON FUNCTION commerce.sales_customer_stats() FROM PUBLIC;
CREATE TRIGGER sales_customer_stats AFTER UPDATE OF status, invoice_id ON commerce.sales
  FOR EACH ROW EXECUTE FUNCTION commerce.sales_customer_stats();

-- Sales: the local day; which columns change; the totals come from the sale's document.
-- A sale is settled once, by setting its document (api.create_sale does, after the lines
-- and payments): the document must be an issued invoice of the sale's branch with exactly
-- the sale's lines; subtotal, tax and total are copied from it; the payments must cover the
-- total and only cash may exceed it (the excess is the change). Then nothing but the status
-- changes, through the workflow.
CREATE FUNCTION commerce.sales_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION commerce.sales_guard() IS 'Trigger: a new sale is completed, dated now (only the table owner, loading history, may date it) on its local day in the tenant''s time zone, without totals or document; its branch, location, customer and date never change. It is settled once by setting invoice_id: the document must be an issued invoice of its branch with exactly its lines (22023), totals are copied from it, payments must cover the total and only cash may exceed it (22023); change_given = paid − total. A settled sale''s document never changes (409).';
REVOKE ALL ON FUNCTION commerce.sales_guard() FROM PUBLIC;
CREATE TRIGGER sales_guard BEFORE INSERT OR UPDATE ON commerce.sales
  FOR EACH ROW EXECUTE FUNCTION commerce.sales_guard();

-- A sale line carries the moving-average cost of its product at the time of sale (margins).
CREATE FUNCTION commerce.sale_lines_cost() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  NEW.unit_cost := coalesce((SELECT c.average_cost FROM commerce.product_costs c
                              WHERE c.tenant_id = NEW.tenant_id AND c.product_id = NEW.product_id), 0);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION commerce.sale_lines_cost() IS 'Trigger (BEFORE INSERT of sale lines): unit_cost is the product''s moving-average cost now; callers cannot set it.';
REVOKE ALL ON FUNCTION commerce.sale_lines_cost() FROM PUBLIC;
CREATE TRIGGER sale_lines_cost BEFORE INSERT ON commerce.sale_lines
  FOR EACH ROW EXECUTE FUNCTION commerce.sale_lines_cost();

-- Returns never take back more than was sold minus what earlier returns took.
CREATE FUNCTION commerce.return_lines_within_sold() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION commerce.return_lines_within_sold() IS 'Trigger (AFTER INSERT of return lines, under the sale''s row lock): the returned quantity of a sale line never exceeds what was sold (PT409 → 409 with what can still be returned).';
REVOKE ALL ON FUNCTION commerce.return_lines_within_sold() FROM PUBLIC;
CREATE TRIGGER return_lines_within_sold AFTER INSERT ON commerce.return_lines
  FOR EACH ROW EXECUTE FUNCTION commerce.return_lines_within_sold();

CREATE TRIGGER sales_no_delete BEFORE DELETE ON commerce.sales
  FOR EACH ROW EXECUTE FUNCTION cimiento.refuse_change('sales are never deleted', 'void the sale (api.void_sale) or return goods (api.return_sale)');

-- ---------------------------------------------------------------------------------------
-- Workflow: a sale is voided the same day, with a reason; the void restocks and credits
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION commerce.sale_is_of_today(p_row jsonb) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT (p_row ->> 'sold_on')::date = commerce.local_today((p_row ->> 'tenant_id')::uuid)
$$;
COMMENT ON FUNCTION commerce.sale_is_of_today(jsonb) IS 'Workflow guard of sales.void: the sale is of today (tenant''s time zone); later corrections are returns. STABLE.';
GRANT EXECUTE ON FUNCTION commerce.sale_is_of_today(jsonb) TO app_user;

SELECT cimiento.enable_workflow('commerce.sales', 'status', $$[
  {"name": "void", "from": ["completed"], "to": "voided", "permission": "sales.void", "reason_required": true,
   "guard": "commerce.sale_is_of_today(jsonb)"}
]$$, entity => 'sales', initial_states => '{completed}');

-- What voiding does, on every path that voids (api.void_sale, api.transition, psql): what
-- was not returned goes back to the sale's location, what was not credited is credited.
CREATE FUNCTION commerce.sales_on_void() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION commerce.sales_on_void() IS 'Trigger (AFTER UPDATE of status to voided, as the caller): restocks what was not returned (void movements at the sale''s unit cost) and issues a credit note for what remains creditable on the sale''s document, with the transition''s reason.';
REVOKE ALL ON FUNCTION commerce.sales_on_void() FROM PUBLIC;
CREATE TRIGGER sales_on_void AFTER UPDATE OF status ON commerce.sales
  FOR EACH ROW WHEN (OLD.status = 'completed' AND NEW.status = 'voided')
  EXECUTE FUNCTION commerce.sales_on_void();

-- ---------------------------------------------------------------------------------------
-- Audit and protection
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_audit('commerce.categories');
SELECT cimiento.enable_audit('commerce.products');
SELECT cimiento.enable_audit('commerce.product_costs', ignore_columns => '{on_hand,average_cost,last_sold_at,updated_at}');
SELECT cimiento.enable_audit('commerce.locations');
SELECT cimiento.enable_audit('commerce.stock_levels', ignore_columns => '{quantity,updated_at}');
SELECT cimiento.enable_audit('commerce.customers');
SELECT cimiento.enable_audit('commerce.customer_stats', ignore_columns => '{sales_count,sales_total,last_purchase_at}');
SELECT cimiento.enable_audit('commerce.suppliers');
SELECT cimiento.enable_audit('commerce.receipts');
SELECT cimiento.enable_audit('commerce.sales');
SELECT cimiento.enable_audit('commerce.sale_lines');
SELECT cimiento.enable_audit('commerce.sale_payments');
SELECT cimiento.enable_audit('commerce.returns');
SELECT cimiento.enable_audit('commerce.return_lines');
SELECT cimiento.enable_audit('commerce.inventory_movements');

-- The ledger and the records of what happened are append-only (corrections are new rows).
SELECT cimiento.enable_append_only('commerce.inventory_movements', 'inventory movements are never changed or deleted',
                                   'record a correcting movement (api.adjust_stock)');
SELECT cimiento.enable_append_only('commerce.sale_lines', 'sale lines never change', 'return goods or void the sale');
SELECT cimiento.enable_append_only('commerce.sale_payments', 'sale payments never change', 'void the sale');
SELECT cimiento.enable_append_only('commerce.return_lines', 'return lines never change', 'record another return');
SELECT cimiento.enable_append_only('commerce.returns', 'returns never change', 'record another return');
-- (inventory_movements_apply is SECURITY DEFINER, so it stays the owner's: a protected
-- function belongs to cimiento_guard, which holds no privilege to act with.)
SELECT cimiento.protect_trigger('commerce.return_lines', 'return_lines_within_sold');
SELECT cimiento.protect_trigger('commerce.sales', 'sales_guard');
SELECT cimiento.protect_trigger('commerce.sales', 'sales_no_delete');
