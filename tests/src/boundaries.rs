//! Static checks of the engine's boundaries, run with the unit tier (no stack needed).
//!
//! The extension reaches application tables only through what a migration registered
//! (`cimiento.register_identity`, `register_audit_store`, `enable_numbering`, …): no code
//! under `extension/src`, outside its test modules and comments, names an object of a
//! schema the migrations create.
use std::fs;
use std::path::Path;

/// The schemas the migrations and the bootstrap create.
pub fn application_schemas(root: &Path) -> Vec<String> {
    let mut schemas = Vec::new();
    let mut files: Vec<_> = fs::read_dir(root.join("sql/migrations"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.push(root.join("sql/bootstrap.sql"));
    for f in files {
        let text = fs::read_to_string(&f).unwrap_or_default();
        for line in text.lines() {
            let upper = line.trim_start().to_ascii_uppercase();
            let Some(rest) = upper.strip_prefix("CREATE SCHEMA ") else { continue };
            let rest = rest.strip_prefix("IF NOT EXISTS ").unwrap_or(rest);
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let name = name.to_ascii_lowercase();
            if !name.is_empty() && name != "cimiento" && !schemas.contains(&name) {
                schemas.push(name);
            }
        }
    }
    schemas.sort();
    schemas
}

/// The code of a source file: test modules (from a `#[cfg(test)]`-style attribute to the
/// closing brace at column 0) and whole-line comments removed, with 1-based line numbers.
pub fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_test = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") || t.starts_with("#[cfg(any(test") {
            in_test = true;
            continue;
        }
        if in_test {
            if line == "}" {
                in_test = false;
            }
            continue;
        }
        if t.starts_with("//") || t.starts_with("--") {
            continue;
        }
        out.push((i + 1, line.to_string()));
    }
    out
}

/// Every `schema.name` in `line` whose schema is one of `schemas`.
pub fn qualified_names(line: &str, schemas: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for schema in schemas {
        let pattern = format!("{schema}.");
        let mut from = 0;
        while let Some(pos) = line[from..].find(&pattern) {
            let at = from + pos;
            let end = at + pattern.len();
            let starts_word = at == 0 || !(ident(bytes[at - 1]) || bytes[at - 1] == b'.');
            let names_object = end < bytes.len() && (bytes[end].is_ascii_lowercase() || bytes[end] == b'_' || bytes[end] == b'"');
            if starts_word && names_object {
                let name: String = line[end..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                found.push(format!("{schema}.{name}"));
            }
            from = end;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo_root;

    #[test]
    fn finds_qualified_names_only_at_word_starts() {
        let schemas = vec!["audit".to_string(), "core".to_string()];
        assert_eq!(qualified_names("INSERT INTO audit.log (x)", &schemas), vec!["audit.log"]);
        assert_eq!(qualified_names("FROM core.tenants t, cimiento.audit_store", &schemas), vec!["core.tenants"]);
        assert!(qualified_names("cimiento.core_x, myaudit.log, s.core.x", &schemas).is_empty());
        assert!(qualified_names("the audit. Then", &schemas).is_empty());
    }

    #[test]
    fn skips_test_modules_and_comments() {
        let src = "fn a() {}\n// core.users in a comment\n#[cfg(test)]\nmod tests {\n    core.users\n}\nfn b() { \"core.roles\" }\n";
        let lines: Vec<String> = code_lines(src).into_iter().map(|(_, l)| l).collect();
        assert_eq!(lines, vec!["fn a() {}", "fn b() { \"core.roles\" }"]);
    }

    #[test]
    fn the_extension_names_no_table_of_another_schema() {
        let root = repo_root();
        let schemas = application_schemas(&root);
        for expected in ["core", "billing", "academy", "audit"] {
            assert!(schemas.iter().any(|s| s == expected), "the migrations create schema {expected}: {schemas:?}");
        }
        let mut offenders = Vec::new();
        let dir = root.join("extension/src");
        let mut files: Vec<_> = fs::read_dir(&dir).expect("extension/src").filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|f| matches!(f.extension().and_then(|e| e.to_str()), Some("rs" | "sql"))) {
            let text = fs::read_to_string(f).expect("readable source");
            for (n, line) in code_lines(&text) {
                for name in qualified_names(&line, &schemas) {
                    offenders.push(format!("{}:{n}: {name}", f.file_name().and_then(|s| s.to_str()).unwrap_or("?")));
                }
            }
        }
        assert!(offenders.is_empty(), "the extension names application objects instead of reading a registration:\n{}", offenders.join("\n"));
    }
}
