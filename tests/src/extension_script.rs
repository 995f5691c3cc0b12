//! The fingerprint `scripts/stack.sh` keeps of the extension's SQL per version, so that a
//! database refuses a script of its version that changed: pgrx writes the same SQL's blocks
//! in an order that varies between builds, headed by the Rust line they came from and with
//! Rust types in comments; only the statements may count.

#[cfg(test)]
mod tests {
    use std::process::Command;

    use crate::repo_root;

    const BEGIN: &str = "/* <begin connected objects> */";

    fn fingerprint(sql: &str) -> String {
        let dir = tempfile::tempdir().expect("a temp folder");
        let file = dir.path().join("cimiento--9.9.9.sql");
        std::fs::write(&file, sql).expect("the script is written");
        let out = Command::new("bash")
            .arg(repo_root().join("scripts/stack.sh"))
            .arg("extension-fingerprint")
            .arg(&file)
            .output()
            .expect("scripts/stack.sh runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn script(blocks: &[&str]) -> String {
        blocks.iter().map(|b| format!("{BEGIN}\n{b}\n/* </end connected objects> */\n\n")).collect()
    }

    #[test]
    fn the_order_of_the_blocks_does_not_count_their_content_does() {
        let a = "CREATE FUNCTION cimiento.a() RETURNS int LANGUAGE sql AS 'SELECT 1';";
        let b = "COMMENT ON FUNCTION cimiento.a() IS 'one';";
        let c = "CREATE TABLE cimiento.t (id int);";
        let first = fingerprint(&script(&[a, b, c]));
        assert!(first.starts_with("blocks:") && first.len() == "blocks:".len() + 64, "{first}");
        assert_eq!(fingerprint(&script(&[c, a, b])), first, "the same blocks in another order");
        let moved = "-- extension/src/identity.rs:512\nCREATE  FUNCTION cimiento.a() /* i32 */ RETURNS int LANGUAGE sql AS 'SELECT 1';";
        assert_eq!(fingerprint(&script(&[moved, b, c])), first, "the same statements under other comments and spaces");
        assert_ne!(fingerprint(&script(&[a, "COMMENT ON FUNCTION cimiento.a() IS 'two';", c])), first, "a block changed");
        assert_ne!(fingerprint(&script(&[a, b])), first, "a block removed");
    }
}
