//! The invoice / credit-note template (askama, which escapes everything it prints) and the
//! locale rules for its labels, amounts and dates: Spanish by default, English for `en-*`.
use askama::Template;
use serde_json::Value;

use super::PdfError;

/// Labels of the document, per language.
pub struct Labels {
    pub lang: &'static str,
    pub invoice: &'static str,
    pub credit_note: &'static str,
    pub simplified: &'static str,
    pub series: &'static str,
    pub issue_date: &'static str,
    pub tax_id: &'static str,
    pub branch: &'static str,
    pub issuer: &'static str,
    pub customer: &'static str,
    pub corrects: &'static str,
    pub of_date: &'static str,
    pub reason: &'static str,
    pub description: &'static str,
    pub quantity: &'static str,
    pub unit_price: &'static str,
    pub tax: &'static str,
    pub amount: &'static str,
    pub base: &'static str,
    pub on: &'static str,
    pub total: &'static str,
    pub currency: &'static str,
    pub page: &'static str,
    pub sri_number: &'static str,
    pub sri_access_key: &'static str,
    pub sri_environment: &'static str,
}

const ES: Labels = Labels {
    lang: "es", invoice: "FACTURA", credit_note: "FACTURA RECTIFICATIVA", simplified: "FACTURA SIMPLIFICADA", series: "Serie", issue_date: "Fecha de emisión",
    tax_id: "NIF", branch: "Sede", issuer: "Emisor", customer: "Cliente", corrects: "Rectifica la factura", of_date: "de",
    reason: "Motivo", description: "Descripción", quantity: "Cantidad", unit_price: "Precio unitario", tax: "IVA",
    amount: "Importe", base: "Base imponible", on: "sobre", total: "Total", currency: "Moneda", page: "Página",
    sri_number: "No.", sri_access_key: "Número de autorización / clave de acceso", sri_environment: "Ambiente",
};

const EN: Labels = Labels {
    lang: "en", invoice: "INVOICE", credit_note: "CREDIT NOTE", simplified: "SIMPLIFIED INVOICE", series: "Series", issue_date: "Issue date",
    tax_id: "Tax ID", branch: "Branch", issuer: "From", customer: "Bill to", corrects: "Corrects invoice", of_date: "of",
    reason: "Reason", description: "Description", quantity: "Quantity", unit_price: "Unit price", tax: "VAT",
    amount: "Amount", base: "Subtotal", on: "on", total: "Total", currency: "Currency", page: "Page",
    sri_number: "No.", sri_access_key: "Authorization number / access key", sri_environment: "Environment",
};

/// How a locale writes numbers, money and dates.
#[derive(Clone, Copy, Debug)]
pub struct Locale {
    pub decimal: char,
    pub thousands: char,
    pub symbol_first: bool,
    pub day_first: bool,
    pub english: bool,
}

impl Locale {
    pub fn parse(tag: &str) -> Locale {
        let tag = tag.to_ascii_lowercase();
        let dot_decimal = tag.starts_with("en") || ["es-mx", "es-ec", "es-pe", "es-do", "es-gt", "es-hn", "es-ni", "es-pa", "es-sv", "es-pr", "es-us"]
            .iter()
            .any(|t| tag == *t);
        Locale {
            decimal: if dot_decimal { '.' } else { ',' },
            thousands: if dot_decimal { ',' } else { '.' },
            symbol_first: dot_decimal,
            day_first: tag != "en-us",
            english: tag.starts_with("en"),
        }
    }
}

/// A decimal written as text ("1234.5") formatted with the locale's separators and `min`
/// to `max` decimals.
pub fn format_decimal(text: &str, loc: Locale, min: usize, max: usize) -> String {
    let text = text.trim().trim_matches('"');
    let (neg, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut frac: String = frac.chars().take(max).collect();
    while frac.len() < min {
        frac.push('0');
    }
    while frac.len() > min && frac.ends_with('0') {
        frac.pop();
    }
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(loc.thousands);
        }
        grouped.push(*c);
    }
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(if grouped.is_empty() { "0" } else { &grouped });
    if !frac.is_empty() {
        out.push(loc.decimal);
        out.push_str(&frac);
    }
    out
}

fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "USD" | "MXN" | "ARS" | "CLP" | "COP" => "$",
        "PEN" => "S/",
        "GBP" => "£",
        other => other,
    }
}

/// Money with its symbol: "1.234,56 €" (es-ES), "$1,234.56" (es-MX, en).
pub fn format_money(text: &str, currency: &str, loc: Locale) -> String {
    let n = format_decimal(text, loc, 2, 2);
    if loc.symbol_first {
        format!("{}{n}", symbol(currency))
    } else {
        format!("{n} {}", symbol(currency))
    }
}

fn format_date(iso: &str, loc: Locale) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match (parts.as_slice(), loc.day_first, loc.english) {
        ([y, m, d], true, false) => format!("{d}/{m}/{y}"),
        ([y, m, d], false, _) => format!("{m}/{d}/{y}"),
        _ => iso.to_string(),
    }
}

pub struct Party {
    pub name: String,
    pub legal_name: String,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
}

pub struct Branch {
    pub name: String,
    pub address: Option<String>,
}

pub struct Line {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_rate: String,
    pub subtotal: String,
}

pub struct Tax {
    pub rate: String,
    pub base: String,
    pub amount: String,
}

pub struct Corrects {
    pub number: String,
    pub issue_date: String,
}

/// The fiscal marks of a document (`billing.render_data` → `fiscal`).
pub enum Fiscal {
    /// Spain, VERI*FACTU: the QR (an SVG of the AEAT cotejo URL) and its legend.
    Verifactu { qr_svg: String, url: String, legend: String },
    /// Ecuador, SRI: the clave de acceso, the number estab-ptoEmi-secuencial, the ambiente.
    Sri { access_key: String, number: String, environment: String },
}

/// The QR code as SVG, one subpath per horizontal run of dark modules in a row, with the
/// 4-module quiet zone: the `qrcode` crate's renderer draws one subpath per dark module, and
/// WeasyPrint parses and paints each of them (a VERI*FACTU URL's QR has ~950); runs make
/// them ~520. Its size on the page is the stylesheet's (30 mm: 40 × 40 mm is the
/// AEAT's upper bound, 30 mm reads well from paper and screens).
fn qr_svg(code: &qrcode::QrCode) -> String {
    use std::fmt::Write as _;
    const QUIET: usize = 4;
    let width = code.width();
    let size = width + 2 * QUIET;
    let dark: Vec<bool> = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    let mut d = String::new();
    for y in 0..width {
        let row = &dark[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            let _ = write!(d, "M{} {}h{}v1h-{}z", start + QUIET, y + QUIET, x - start, x - start);
        }
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{px}" height="{px}" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><path fill="#fff" d="M0 0h{size}v{size}H0z"/><path fill="#000" d="{d}"/></svg>"##,
        px = size * 4
    )
}

impl Fiscal {
    fn from_json(v: &Value) -> Result<Option<Fiscal>, PdfError> {
        match v["country"].as_str() {
            Some("ES") => {
                let url = v["qr_url"].as_str().unwrap_or_default().to_string();
                let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
                    .map_err(|e| PdfError::Template(format!("QR: {e}")))?;
                let qr_svg = qr_svg(&code);
                Ok(Some(Fiscal::Verifactu { qr_svg, url, legend: text(&v["legend"]) }))
            }
            Some("EC") => Ok(Some(Fiscal::Sri {
                access_key: text(&v["access_key"]),
                number: text(&v["number"]),
                environment: text(&v["environment"]),
            })),
            _ => Ok(None),
        }
    }
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentTemplate {
    pub t: &'static Labels,
    pub title: &'static str,
    pub number: String,
    pub series: String,
    pub issue_date: String,
    pub issuer: Party,
    pub branch: Branch,
    pub customer: Party,
    pub corrects: Option<Corrects>,
    pub reason: Option<String>,
    pub lines: Vec<Line>,
    pub taxes: Vec<Tax>,
    pub subtotal: String,
    pub total: String,
    pub currency: String,
    pub notes: Option<String>,
    pub fiscal: Option<Fiscal>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The HTML of a document from `billing.render_data` JSON.
pub fn render_html(data: &Value) -> Result<(String, String), PdfError> {
    let doc = &data["document"];
    let tenant = &data["tenant"];
    let loc = Locale::parse(tenant["locale"].as_str().unwrap_or("es-ES"));
    let labels = if loc.english { &EN } else { &ES };
    let currency = doc["currency"].as_str().unwrap_or("EUR").to_string();
    let money = |v: &Value| format_money(&text(v), &currency, loc);
    let number = doc["number_display"].as_str().ok_or(PdfError::NotIssued)?.to_string();
    let credit = doc["kind"] == "credit_note";
    let lines = doc["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| Line {
                    description: text(&l["description"]),
                    quantity: format_decimal(&text(&l["quantity"]), loc, 0, 3),
                    unit_price: money(&l["unit_price"]),
                    tax_rate: format_decimal(&text(&l["tax_rate"]), loc, 0, 2),
                    subtotal: money(&l["subtotal"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let taxes = doc["taxes"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| Tax { rate: format_decimal(&text(&t["tax_rate"]), loc, 0, 2), base: money(&t["base"]), amount: money(&t["tax"]) })
                .collect()
        })
        .unwrap_or_default();
    let corrects = data["corrects"].as_object().map(|c| Corrects {
        number: c.get("number_display").map(text).unwrap_or_default(),
        issue_date: format_date(&c.get("issue_date").map(text).unwrap_or_default(), loc),
    });
    let page = DocumentTemplate {
        t: labels,
        title: if credit {
            labels.credit_note
        } else if doc["simplified"] == true {
            labels.simplified
        } else {
            labels.invoice
        },
        number: number.clone(),
        series: text(&doc["series_code"]),
        issue_date: format_date(&text(&doc["issue_date"]), loc),
        issuer: Party {
            name: text(&tenant["name"]),
            legal_name: text(&tenant["legal_name"]),
            tax_id: opt(&tenant["tax_id"]),
            address: opt(&tenant["address"]),
            email: None,
        },
        branch: Branch { name: text(&data["branch"]["name"]), address: opt(&data["branch"]["address"]) },
        customer: Party {
            name: text(&doc["customer"]["name"]),
            legal_name: text(&doc["customer"]["name"]),
            tax_id: opt(&doc["customer"]["tax_id"]),
            address: opt(&doc["customer"]["address"]),
            email: opt(&doc["customer"]["email"]),
        },
        corrects,
        reason: opt(&doc["reason"]),
        lines,
        taxes,
        subtotal: money(&doc["subtotal"]),
        total: money(&doc["total"]),
        currency: currency.clone(),
        notes: opt(&doc["notes"]),
        fiscal: Fiscal::from_json(&data["fiscal"])?,
    };
    let html = page.render().map_err(|e| PdfError::Template(e.to_string()))?;
    Ok((number, html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_qr_paths_draw_exactly_the_dark_modules() {
        let code = qrcode::QrCode::with_error_correction_level(
            b"https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F-2026-000001&fecha=01-03-2026&importe=121.00",
            qrcode::EcLevel::M,
        )
        .unwrap();
        let svg = qr_svg(&code);
        let (width, quiet) = (code.width(), 4);
        let size = width + 2 * quiet;
        assert!(svg.contains(&format!(r#"viewBox="0 0 {size} {size}""#)), "{svg}");
        // Paint the runs back onto a grid: every dark module once, nothing else.
        let d = svg.rsplit("d=\"").next().unwrap().split('"').next().unwrap();
        let mut painted = vec![0u8; width * width];
        let mut runs = 0;
        for run in d.split('z').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = run
                .trim_start_matches('M')
                .split(|c| c == ' ' || c == 'h' || c == 'v')
                .filter(|n| !n.is_empty() && !n.starts_with('-'))
                .map(|n| n.parse().unwrap())
                .collect();
            let (x, y, len) = (nums[0] - quiet, nums[1] - quiet, nums[2]);
            for i in x..x + len {
                painted[y * width + i] += 1;
            }
            runs += 1;
        }
        let dark: Vec<u8> = code.to_colors().iter().map(|c| u8::from(*c == qrcode::Color::Dark)).collect();
        assert_eq!(painted, dark, "the runs cover the dark modules exactly once");
        let modules = dark.iter().filter(|&&m| m == 1).count();
        assert!(runs * 3 < modules * 2, "runs, not one subpath per module ({runs} runs for {modules} modules)");
    }

    #[test]
    fn amounts_follow_the_locale() {
        let es = Locale::parse("es-ES");
        let mx = Locale::parse("es-MX");
        assert_eq!(format_money("1234567.5", "EUR", es), "1.234.567,50 €");
        assert_eq!(format_money("1234567.5", "MXN", mx), "$1,234,567.50");
        assert_eq!(format_money("0.05", "EUR", es), "0,05 €");
        assert_eq!(format_money("-30.25", "EUR", es), "-30,25 €");
        assert_eq!(format_decimal("2.500", es, 0, 3), "2,5");
        assert_eq!(format_decimal("21.00", es, 0, 2), "21");
        assert_eq!(format_date("2026-03-01", es), "01/03/2026");
    }

    #[test]
    fn user_text_is_escaped() {
        let data = json!({
            "tenant": {"name": "A", "legal_name": "A S.L.", "tax_id": "B1", "address": null, "locale": "es-ES"},
            "branch": {"name": "Centro", "address": null},
            "document": {"kind": "invoice", "number_display": "F-2026-000001", "series_code": "F", "issue_date": "2026-03-01",
                          "currency": "EUR", "customer": {"name": "<script>alert(1)</script>"}, "subtotal": 1, "total": 1.21,
                          "lines": [{"description": "<b>x</b>", "quantity": 1, "unit_price": 1, "tax_rate": 21, "subtotal": 1}],
                          "taxes": [{"tax_rate": 21, "base": 1, "tax": 0.21}]},
            "corrects": null
        });
        let (_, html) = render_html(&data).unwrap();
        assert!(!html.contains("<script>"), "no live script");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(html.contains("1,21 €"));
        assert!(html.contains("FACTURA"));
    }

    #[test]
    fn the_title_says_what_the_document_is() {
        let doc = |kind: &str, simplified: bool, locale: &str| {
            json!({
                "tenant": {"name": "A", "legal_name": "A S.L.", "tax_id": "B1", "address": null, "locale": locale},
                "branch": {"name": "Centro", "address": null},
                "document": {"kind": kind, "simplified": simplified, "number_display": "T-2026-000001", "series_code": "T",
                              "issue_date": "2026-03-01", "currency": "EUR", "customer": {"name": "Cliente final"},
                              "subtotal": 1, "total": 1.21, "lines": [], "taxes": []},
                "corrects": null
            })
        };
        let title = |d: Value| render_html(&d).unwrap().1.split("<h1>").nth(1).unwrap().split("</h1>").next().unwrap().to_string();
        assert_eq!(title(doc("invoice", true, "es-ES")), "FACTURA SIMPLIFICADA");
        assert_eq!(title(doc("invoice", false, "es-ES")), "FACTURA");
        assert_eq!(title(doc("credit_note", false, "es-ES")), "FACTURA RECTIFICATIVA");
        assert_eq!(title(doc("invoice", true, "en-GB")), "SIMPLIFIED INVOICE");
    }

    /// An invoice with one line and the given fiscal block (VERI*FACTU, SRI or none).
    fn fiscal_doc(fiscal: Value) -> Value {
        json!({
            "tenant": {"name": "A", "legal_name": "A S.L.", "tax_id": "B12345674", "address": null, "locale": "es-ES"},
            "branch": {"name": "Centro", "address": null},
            "document": {"kind": "invoice", "simplified": false, "number_display": "F-2026-000001", "series_code": "F",
                          "issue_date": "2026-03-01", "currency": "EUR", "customer": {"name": "Cliente"},
                          "subtotal": 100, "total": 121,
                          "lines": [{"description": "Matrícula", "quantity": 1, "unit_price": 100, "tax_rate": 21, "subtotal": 100}],
                          "taxes": [{"tax_rate": 21, "base": 100, "tax": 21}]},
            "corrects": null,
            "fiscal": fiscal
        })
    }

    fn verifactu() -> Value {
        let url = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F-2026-000001&fecha=01-03-2026&importe=121.00";
        json!({"country": "ES", "qr_url": url, "legend": "Factura verificable en la sede electrónica de la AEAT"})
    }

    fn sri() -> Value {
        json!({"country": "EC", "access_key": "0103202401179001167400110010010000000011234567815", "number": "001-001-000000001",
               "environment": "PRUEBAS"})
    }

    #[test]
    fn fiscal_marks_are_printed() {
        let (_, html) = render_html(&fiscal_doc(verifactu())).unwrap();
        assert!(html.contains("<svg") && html.contains("VERI*FACTU") && html.contains("Factura verificable en la sede electrónica de la AEAT"));
        let (_, html) = render_html(&fiscal_doc(sri())).unwrap();
        assert!(html.contains("0103202401179001167400110010010000000011234567815") && html.contains("001-001-000000001") && !html.contains("<svg"));
        let (_, html) = render_html(&fiscal_doc(Value::Null)).unwrap();
        assert!(!html.contains("VERI*FACTU") && !html.contains("class=\"fiscal\""));
    }

    /// The real WeasyPrint (Debian's, as installed by scripts/install.sh) lays out every
    /// variant without ignoring a rule: a CSS property it does not know is dropped with only
    /// a warning on the worker's stderr (flex `gap` was, and the QR touched its legend).
    #[test]
    fn weasyprint_takes_every_rule_of_the_template() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        for fiscal in [verifactu(), sri(), Value::Null] {
            let (_, html) = render_html(&fiscal_doc(fiscal)).unwrap();
            let mut child = Command::new("weasyprint")
                .args(["-", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("weasyprint is installed (scripts/install.sh)");
            child.stdin.take().unwrap().write_all(html.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success() && out.stdout.starts_with(b"%PDF-"), "weasyprint failed: {stderr}");
            assert!(!stderr.contains("WARNING"), "weasyprint ignored part of the template: {stderr}");
        }
    }
}
