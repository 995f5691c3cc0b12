-- 0031: tax identifiers with their check characters, for every business that keeps
-- customers or clients: Spain (NIF of a person, NIE of a foreigner, CIF/NIF of a company)
-- and Ecuador (cédula of a person, RUC of a person, a company or a public body).
-- core.tax_id_kind answers which kind an identifier is (NULL when it is not valid);
-- core.normalize_tax_id is the one way an identifier is written (upper case, no spaces,
-- dots or dashes); core.check_tax_id raises the 400 a caller sees.

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.normalize_tax_id(p_tax_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT upper(regexp_replace(p_tax_id, '[[:space:].-]', '', 'g'))
$$;
COMMENT ON FUNCTION core.normalize_tax_id(text) IS 'A tax identifier as stored: upper case, without spaces, dots or dashes (e.g. '' 12.345.678-z '' → ''12345678Z''). IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.normalize_tax_id(text) TO app_user, analyst;

-- Spain: NIF (8 digits + letter), NIE (X/Y/Z + 7 digits + letter), CIF (entity letter + 7
-- digits + control digit or letter, as the entity type demands).
CREATE FUNCTION core.spanish_tax_id_kind(p_id text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
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
$$;
COMMENT ON FUNCTION core.spanish_tax_id_kind(text) IS 'NIF, NIE or CIF when a normalized Spanish identifier is well formed and its check character is right; NULL otherwise. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.spanish_tax_id_kind(text) TO app_user, analyst;

-- Ecuador: cédula (10 digits: province, third digit < 6, modulo-10 check digit); RUC (13
-- digits ending in an establishment number other than 000): a person's (cédula + 001…),
-- a public body's (third digit 6, modulo-11 check at the 9th digit) or a company's
-- (third digit 9, modulo-11 check at the 10th digit).
CREATE FUNCTION core.ecuadorian_tax_id_kind(p_id text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog, pg_temp AS $$
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
$$;
COMMENT ON FUNCTION core.ecuadorian_tax_id_kind(text) IS 'CEDULA or RUC when a normalized Ecuadorian identifier is well formed and its check digit is right; NULL otherwise. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.ecuadorian_tax_id_kind(text) TO app_user, analyst;

CREATE FUNCTION core.tax_id_kind(p_country text, p_tax_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE upper(p_country)
           WHEN 'ES' THEN core.spanish_tax_id_kind(core.normalize_tax_id(p_tax_id))
           WHEN 'EC' THEN core.ecuadorian_tax_id_kind(core.normalize_tax_id(p_tax_id))
         END
$$;
COMMENT ON FUNCTION core.tax_id_kind(text, text) IS 'The kind of a tax identifier of a country (ES: NIF, NIE, CIF; EC: CEDULA, RUC), NULL when it is not valid there or the country is not supported. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.tax_id_kind(text, text) TO app_user, analyst;

CREATE FUNCTION core.check_tax_id(p_country text, p_tax_id text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_kind text;
BEGIN
  IF p_country IS NULL OR upper(p_country) NOT IN ('ES', 'EC') THEN
    RAISE EXCEPTION 'tax_id_country must be ES or EC, not %', coalesce(p_country, 'NULL') USING ERRCODE = '22023';
  END IF;
  v_kind := core.tax_id_kind(p_country, p_tax_id);
  IF v_kind IS NULL THEN
    RAISE EXCEPTION 'tax_id is not a valid % identifier', CASE upper(p_country) WHEN 'ES' THEN 'Spanish' ELSE 'Ecuadorian' END
      USING ERRCODE = '22023',
            HINT = CASE upper(p_country) WHEN 'ES' THEN 'a NIF (12345678Z), NIE (X1234567L) or CIF (B12345674) with its check character'
                                         ELSE 'a cédula (10 digits) or RUC (13 digits) with its check digit' END;
  END IF;
  RETURN v_kind;
END
$$;
COMMENT ON FUNCTION core.check_tax_id(text, text) IS 'The kind of a valid tax identifier; 22023 (HTTP 400) with a hint when the country is not ES/EC or the identifier or its check character is wrong. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.check_tax_id(text, text) TO app_user;
