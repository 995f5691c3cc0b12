//! `cimiento.distribution_report()`: what would block distributing each table with Citus
//! today (the distribution column is `tenant_id`; tables without it become reference
//! tables). A catalog query; it lives in `distribution.sql`, and `docs/scale-out.md` says
//! what to do about each blocker.
use pgrx::prelude::*;

extension_sql_file!("distribution.sql", name = "distribution", requires = ["cimiento_schema"]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn reports_what_blocks_distribution() {
        Spi::run(
            "CREATE SCHEMA shop;
             CREATE TABLE shop.countries (code text PRIMARY KEY);
             CREATE TABLE shop.orders (tenant_id uuid, id bigint, country text REFERENCES shop.countries,
                                       PRIMARY KEY (tenant_id, id));
             CREATE TABLE shop.lines (tenant_id uuid, id bigint PRIMARY KEY, order_id bigint,
                                      FOREIGN KEY (tenant_id, order_id) REFERENCES shop.orders);
             ALTER TABLE shop.lines ENABLE ROW LEVEL SECURITY;
             CREATE POLICY by_tenant ON shop.lines USING (tenant_id = (SELECT cimiento.current_tenant()));",
        )
        .unwrap();
        let report = |t: &str| {
            Spi::get_one::<String>(&format!(
                "SELECT proposed || ': ' || array_to_string(blockers, '; ') FROM cimiento.distribution_report() WHERE table_name = '{t}'::regclass"
            ))
            .unwrap()
            .unwrap()
        };
        assert_eq!(report("shop.countries"), "reference: ");
        assert_eq!(report("shop.orders"), "distributed by tenant_id: ");
        assert_eq!(
            report("shop.lines"),
            "distributed by tenant_id: policy by_tenant uses a subquery; primary key lines_pkey does not include tenant_id"
        );
    }
}
