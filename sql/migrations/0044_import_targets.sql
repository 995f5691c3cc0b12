-- 0044: the businesses register their import targets (imports.register_target), each the
-- path its frontends already use to create one row:
--  - students (academy): api.register_student; upsert through api.update_student;
--  - products (commerce): api.import_product — a product as POST /products creates it, plus
--    its opening stock received into a location (api.receive_stock) in the same transaction;
--  - clients (insurance): an INSERT into the api view api.clients, as POST /clients does.
-- Codes people write in spreadsheets (a branch, a location) are looked up as the caller.
-- The academy's refusals now name the argument they are about (RAISE … COLUMN), so an
-- import reports each error against the right column; PostgREST's answers do not change.

-- ---------------------------------------------------------------------------------------
-- Lookups: a code as written → its id, as the caller (NULL: no such code they can see)
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.branch_by_code(p_code text) RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT b.id FROM core.branches b
   WHERE b.tenant_id = cimiento.current_tenant() AND upper(b.code) = upper(btrim(p_code)) AND b.active
$$;
COMMENT ON FUNCTION core.branch_by_code(text) IS 'The id of the caller''s tenant''s active branch with this code (case and surrounding spaces ignored), NULL if none: the lookup imports use for a branch column. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.branch_by_code(text) TO app_user, analyst;

CREATE FUNCTION commerce.location_by_code(p_code text) RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT l.id FROM commerce.locations l WHERE upper(l.code) = upper(btrim(p_code)) LIMIT 1
$$;
COMMENT ON FUNCTION commerce.location_by_code(text) IS 'The id of the stock location with this code the caller can see (case and surrounding spaces ignored), NULL if none: the lookup imports use for a location column. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION commerce.location_by_code(text) TO app_user;

-- ---------------------------------------------------------------------------------------
-- Academy: refusals name their argument
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION academy.require_branch(p_kind text, p_id uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION academy.require_branch(text, uuid) IS 'The branch of a row the caller may act on: 404 (PT404) if it does not exist in the tenant, 403 (42501) if it is in a branch the caller cannot act in. Errors name the argument (<kind>_id).';

CREATE OR REPLACE FUNCTION academy.require_branch(p_kind text, p_id uuid, p_permission text) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION academy.require_branch(text, uuid, text) IS 'The branch of a row the caller may act on with a permission: 404 (PT404) if it does not exist in the tenant, 403 (42501) unless a grant of the caller gives the permission in that branch. Errors name the argument (<kind>_id).';

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
$$;
COMMENT ON FUNCTION api.register_student(uuid, text, text, text, text, text) IS
  'Registers a student in a branch (students.create); document_id is normalised to upper case. 400 bad input, 403, 404 unknown branch, 409 document already registered. Errors name the argument they are about.';

CREATE FUNCTION api.update_student(
  document_id text, first_name text DEFAULT NULL, last_name text DEFAULT NULL, email text DEFAULT NULL, phone text DEFAULT NULL,
  branch_id uuid DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.update_student(text, text, text, text, text, uuid) IS
  'Updates the student with this document (students.update in their branch): names, email and phone; the values not given are kept. Returns the student, or null when no student has the document (an import then registers one). 400 bad values or another branch, 403.';
GRANT EXECUTE ON FUNCTION api.update_student(text, text, text, text, text, uuid) TO app_user;

-- Frontends (and PostgREST's bulk insert, the baseline of the imports benchmark) may insert
-- students through the view too: the table's constraints, RLS (students.create in the row's
-- branch) and the audit apply; document_id must already be upper case (the RPC normalises it).
GRANT INSERT (branch_id, document_id, first_name, last_name, email, phone) ON api.students TO app_user;
COMMENT ON VIEW api.students IS 'Students of the caller''s branches. Register one with /rpc/register_student (normalises the document), or many at once with POST /students and a JSON array (students.create in each row''s branch; document_id upper case), or from a spreadsheet with POST /imports.';

-- ---------------------------------------------------------------------------------------
-- Commerce: a product with its opening stock
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION api.import_product(
  sku text, name text, sale_price numeric, tax_rate numeric DEFAULT NULL, unit text DEFAULT NULL, barcode text DEFAULT NULL,
  cost numeric DEFAULT NULL, reorder_point numeric DEFAULT NULL, location_id uuid DEFAULT NULL, opening_stock numeric DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
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
COMMENT ON FUNCTION api.import_product(text, text, numeric, numeric, text, text, numeric, numeric, uuid, numeric) IS
$$Creates a product as POST /products does (products.manage) and, when opening_stock > 0, receives it into location_id at its cost (api.receive_stock: inventory.manage in the location's branch) in the same transaction — the import target for catalogs with opening stock. Returns the product. Errors name their argument: 400, 403, 404 unknown location, 409 SKU or barcode taken.$$;
GRANT EXECUTE ON FUNCTION api.import_product(text, text, numeric, numeric, text, text, numeric, numeric, uuid, numeric) TO app_user;

-- ---------------------------------------------------------------------------------------
-- The targets
-- ---------------------------------------------------------------------------------------
SELECT imports.register_target('students', 'Alumnos: se registran con api.register_student; con el modo upsert se actualizan por documento.',
  'students.create', '{document_id}', $$[
    {"name": "branch_id", "label": "Sede", "aliases": ["sucursal", "branch", "centro", "sede codigo", "codigo sede"], "required": true,
     "lookup": "core.branch_by_code"},
    {"name": "document_id", "label": "Documento", "aliases": ["dni", "nie", "nif", "cedula", "curp", "document", "n documento", "numero documento", "documento identidad"], "required": true},
    {"name": "first_name", "label": "Nombre", "aliases": ["nombres", "first name", "name"], "required": true},
    {"name": "last_name", "label": "Apellidos", "aliases": ["apellido", "last name", "surname"], "required": true},
    {"name": "email", "label": "Correo", "aliases": ["email", "e-mail", "correo electronico", "mail"]},
    {"name": "phone", "label": "Teléfono", "aliases": ["telefono", "movil", "celular", "phone", "tel"]}
  ]$$::jsonb,
  p_insert_function => 'api.register_student(uuid, text, text, text, text, text)',
  p_update_function => 'api.update_student(text, text, text, text, text, uuid)',
  p_messages => $${
    "document_id:23505": "ya hay un alumno registrado con este documento",
    "document_id:22023": "no es un documento válido (de 3 a 32 letras, cifras o guiones)",
    "branch_id:IM404": "no existe esa sede",
    "branch_id:42501": "no puede registrar alumnos en esta sede",
    "email:23514": "no es un correo válido",
    "phone:23514": "no es un teléfono válido"
  }$$::jsonb);

SELECT imports.register_target('products', 'Productos con sus existencias iniciales (api.import_product).',
  'products.manage', '{sku}', $$[
    {"name": "sku", "label": "Código", "aliases": ["sku", "referencia", "ref", "codigo producto", "articulo"], "required": true},
    {"name": "name", "label": "Nombre", "aliases": ["descripcion", "producto", "name", "nombre producto"], "required": true},
    {"name": "sale_price", "label": "Precio", "aliases": ["pvp", "precio venta", "sale price", "price"], "required": true},
    {"name": "tax_rate", "label": "IVA", "aliases": ["impuesto", "tax", "tipo iva", "iva %"]},
    {"name": "unit", "label": "Unidad", "aliases": ["unidad medida", "unit"]},
    {"name": "barcode", "label": "Código de barras", "aliases": ["ean", "upc", "barcode", "codigo barras"]},
    {"name": "cost", "label": "Coste", "aliases": ["costo", "precio coste", "precio costo", "cost"]},
    {"name": "reorder_point", "label": "Stock mínimo", "aliases": ["minimo", "punto pedido", "reorder point"]},
    {"name": "location_id", "label": "Almacén", "aliases": ["ubicacion", "almacen", "bodega", "location"], "lookup": "commerce.location_by_code"},
    {"name": "opening_stock", "label": "Existencias", "aliases": ["stock", "cantidad", "stock inicial", "existencias iniciales", "inventario"]}
  ]$$::jsonb,
  p_insert_function => 'api.import_product(text, text, numeric, numeric, text, text, numeric, numeric, uuid, numeric)',
  p_messages => $${
    "sku:23505": "ya existe un producto con este código",
    "barcode:23505": "ya existe un producto con este código de barras",
    "location_id:IM404": "no existe ese almacén",
    "location_id:42501": "no puede dar entrada de existencias en este almacén"
  }$$::jsonb);

SELECT imports.register_target('clients', 'Clientes de la agencia (como POST /clients).',
  'clients.create', '{rfc}', $$[
    {"name": "name", "label": "Nombre", "aliases": ["cliente", "razon social", "nombre completo", "name"], "required": true},
    {"name": "rfc", "label": "RFC", "aliases": ["rfc", "tax id"], "required": true},
    {"name": "phone", "label": "Teléfono", "aliases": ["telefono", "celular", "phone"]},
    {"name": "email", "label": "Correo", "aliases": ["email", "correo electronico", "mail"]},
    {"name": "address", "label": "Domicilio", "aliases": ["direccion", "address"]}
  ]$$::jsonb,
  p_insert_relation => 'api.clients',
  p_messages => $${"rfc:23505": "ya existe un cliente con este RFC"}$$::jsonb);
