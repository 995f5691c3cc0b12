//! Reading a spreadsheet as it arrives from Excel: CSV in UTF-8 or Windows-1252 (detected),
//! any of the usual delimiters (sniffed), or XLSX (the first sheet or a named one), one row
//! at a time so that a 200 MB file never sits in memory.
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{DataRef, Reader as _, Xlsx};

/// What the file turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub headers: Vec<String>,
    /// `csv` or `xlsx`.
    pub format: &'static str,
    /// `utf-8` or `windows-1252` (CSV only; ISO-8859-1 is read as its superset Windows-1252).
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
}

/// One data row: its number in the spreadsheet (the header is row 1) and its values.
pub type Row = (i32, Vec<String>);

/// Why a file cannot be read (shown to the caller as 400).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty or has no header row")]
    NoHeader,
    #[error("the workbook has no sheet named {0:?}")]
    NoSheet(String),
    #[error("the file is not a readable CSV: {0}")]
    Csv(String),
    #[error("the file is not a readable XLSX workbook: {0}")]
    Xlsx(String),
    #[error("row {0} has more values than there are headers")]
    TooManyValues(i32),
    /// (Not `#[from]`: that would make the error its source too, and `{:#}` would print it
    /// twice.)
    #[error("reading the file: {0}")]
    Io(std::io::Error),
    /// The consumer stopped (the upload was abandoned).
    #[error("stopped")]
    Stopped,
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads `path`, calling `layout` once with the headers and `row` for every non-empty data
/// row; either returning `false` stops the reading.
pub fn read(
    path: &Path,
    file_name: &str,
    sheet: Option<&str>,
    layout: impl FnOnce(&Layout) -> bool,
    row: impl FnMut(Row) -> bool,
) -> Result<Layout, ReadError> {
    if is_xlsx(path, file_name)? {
        read_xlsx(path, sheet, layout, row)
    } else {
        read_csv(path, layout, row)
    }
}

fn is_xlsx(path: &Path, file_name: &str) -> Result<bool, ReadError> {
    let mut magic = [0u8; 4];
    let n = File::open(path)?.read(&mut magic)?;
    Ok(file_name.to_lowercase().ends_with(".xlsx") || (n == 4 && magic == *b"PK\x03\x04"))
}

/// Excel writes empty columns after the last used one ("a;b;;"): they are not headers.
fn trim_trailing_empty(headers: &mut Vec<String>) {
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// Whether the whole file is valid UTF-8 (one streaming pass, a sequence split across reads
/// carried over): otherwise it is what Excel writes in Spain and Latin America, Windows-1252.
fn is_utf8(file: &mut File) -> Result<bool, ReadError> {
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize;
    loop {
        let n = file.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let filled = carry + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Turns Windows-1252 bytes into UTF-8 as they are read.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: String,
    pos: usize,
    eof: bool,
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.output.len() && !self.eof {
            self.output.clear();
            self.pos = 0;
            let n = self.inner.read(&mut self.input)?;
            self.eof = n == 0;
            self.output.reserve(self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3));
            let _ = self.decoder.decode_to_string(&self.input[..n], &mut self.output, self.eof);
        }
        let available = &self.output.as_bytes()[self.pos..];
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// The delimiter of the header line: the most frequent of `;` `,` tab `|` outside quotes.
fn sniff_delimiter(first_line: &str) -> char {
    let mut counts = [(';', 0usize), (',', 0), ('\t', 0), ('|', 0)];
    let mut quoted = false;
    for c in first_line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(slot) = counts.iter_mut().find(|(d, _)| *d == c) {
                slot.1 += 1;
            }
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map(|(d, _)| *d).unwrap_or(',')
}

fn read_csv(path: &Path, layout: impl FnOnce(&Layout) -> bool, mut row: impl FnMut(Row) -> bool) -> Result<Layout, ReadError> {
    let mut file = File::open(path)?;
    let utf8 = is_utf8(&mut file)?;
    file.seek(SeekFrom::Start(0))?;
    let mut text: Box<dyn Read> = if utf8 {
        Box::new(BufReader::new(file))
    } else {
        Box::new(Decoding {
            inner: file,
            decoder: encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            input: vec![0u8; 1 << 16],
            output: String::new(),
            pos: 0,
            eof: false,
        })
    };
    // The first line decides the delimiter; it is read again by the CSV reader.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while head.len() < 1 << 16 && text.read(&mut byte)? == 1 {
        head.push(byte[0]);
        if byte[0] == b'\n' {
            break;
        }
    }
    let first_line = String::from_utf8_lossy(&head).trim_start_matches('\u{feff}').to_string();
    let delimiter = sniff_delimiter(&first_line);
    let source = std::io::Cursor::new(head).chain(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .flexible(true)
        .has_headers(false)
        .from_reader(source);
    let mut records = reader.records();
    let mut headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect(),
        Some(Err(e)) => return Err(ReadError::Csv(e.to_string())),
        None => return Err(ReadError::NoHeader),
    };
    trim_trailing_empty(&mut headers);
    if headers.is_empty() {
        return Err(ReadError::NoHeader);
    }
    let found = Layout {
        headers,
        format: "csv",
        encoding: Some(if utf8 { "utf-8" } else { "windows-1252" }),
        delimiter: Some(delimiter),
        sheet: None,
    };
    if !layout(&found) {
        return Err(ReadError::Stopped);
    }
    let mut number = 1i32;
    for record in records {
        number += 1;
        let record = record.map_err(|e| ReadError::Csv(e.to_string()))?;
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() > found.headers.len() && record.iter().skip(found.headers.len()).any(|v| !v.trim().is_empty()) {
            return Err(ReadError::TooManyValues(number));
        }
        let values = (0..found.headers.len()).map(|i| record.get(i).unwrap_or("").to_string()).collect();
        if !row((number, values)) {
            return Err(ReadError::Stopped);
        }
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------

/// A cell as the clerk sees it: integers without ".0", dates as ISO dates.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => excel_date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// An Excel serial date (days since 1899-12-30) as ISO 8601.
fn excel_date(serial: f64) -> String {
    let Some(epoch) = chrono::NaiveDate::from_ymd_opt(1899, 12, 30) else { return serial.to_string() };
    let days = serial.trunc() as i64;
    let seconds = ((serial - serial.trunc()) * 86_400.0).round() as i64;
    let Some(date) = epoch.checked_add_signed(chrono::Duration::days(days)) else { return serial.to_string() };
    if seconds == 0 {
        date.format("%Y-%m-%d").to_string()
    } else {
        (date.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::seconds(seconds)).format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

fn read_xlsx(
    path: &Path,
    sheet: Option<&str>,
    layout: impl FnOnce(&Layout) -> bool,
    mut row: impl FnMut(Row) -> bool,
) -> Result<Layout, ReadError> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(|e: calamine::XlsxError| ReadError::Xlsx(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| ReadError::NoSheet(s.to_string()))?,
        None => names.first().cloned().ok_or(ReadError::NoHeader)?,
    };
    let mut cells = book.worksheet_cells_reader(&name).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let mut layout = Some(layout);
    let mut found: Option<Layout> = None;
    // One spreadsheet row (its cells in column order): the first non-empty one is the header.
    let mut take = |found: &mut Option<Layout>, r: u32, cols: Vec<(u32, String)>| -> Result<bool, ReadError> {
        if cols.iter().all(|(_, v)| v.trim().is_empty()) {
            return Ok(true);
        }
        let Some(l) = found else {
            let width = cols.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
            let mut headers = vec![String::new(); width];
            for (c, v) in cols {
                headers[c as usize] = v.trim().to_string();
            }
            trim_trailing_empty(&mut headers);
            let l = Layout { headers, format: "xlsx", encoding: None, delimiter: None, sheet: Some(name.clone()) };
            let go = layout.take().map(|f| f(&l)).unwrap_or(true);
            *found = Some(l);
            return Ok(go);
        };
        let mut values = vec![String::new(); l.headers.len()];
        for (c, v) in cols {
            match values.get_mut(c as usize) {
                Some(slot) => *slot = v,
                None if v.trim().is_empty() => {}
                None => return Err(ReadError::TooManyValues(r as i32 + 1)),
            }
        }
        Ok(row((r as i32 + 1, values)))
    };
    let mut current: Option<(u32, Vec<(u32, String)>)> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| ReadError::Xlsx(e.to_string()))? {
        let (r, c) = cell.get_position();
        let text = cell_text(cell.get_value());
        match &mut current {
            Some((cr, cols)) if *cr == r => cols.push((c, text)),
            _ => {
                if let Some((cr, cols)) = current.replace((r, vec![(c, text)])) {
                    if !take(&mut found, cr, cols)? {
                        return Err(ReadError::Stopped);
                    }
                }
            }
        }
    }
    if let Some((cr, cols)) = current.take() {
        if !take(&mut found, cr, cols)? {
            return Err(ReadError::Stopped);
        }
    }
    found.ok_or(ReadError::NoHeader)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn an_io_error_is_said_once() {
        let e = anyhow::Error::new(ReadError::from(std::io::Error::new(std::io::ErrorKind::NotFound, "gone")));
        assert_eq!(format!("{e:#}"), "reading the file: gone");
    }

    fn rows_of(bytes: &[u8], name: &str) -> (Layout, Vec<Row>) {
        let mut f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        f.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
        let mut rows = Vec::new();
        let l = read(f.path(), name, None, |_| true, |r| {
            rows.push(r);
            true
        })
        .unwrap_or_else(|e| panic!("{e}"));
        (l, rows)
    }

    #[test]
    fn windows_1252_with_semicolons_is_detected_and_decoded() {
        // "Núñez" in Windows-1252: ú = 0xFA, ñ = 0xF1.
        let (l, rows) = rows_of(b"Sede;DNI;Apellidos\r\nNORTE;1;N\xfa\xf1ez\r\n;;\r\nCENTRO;2;\"A;B\"\r\n", "a.csv");
        assert_eq!(l.encoding, Some("windows-1252"));
        assert_eq!(l.delimiter, Some(';'));
        assert_eq!(l.headers, vec!["Sede", "DNI", "Apellidos"]);
        assert_eq!(rows, vec![(2, vec!["NORTE".into(), "1".into(), "Núñez".into()]), (4, vec!["CENTRO".into(), "2".into(), "A;B".into()])]);
    }

    #[test]
    fn utf8_with_bom_and_commas() {
        let (l, rows) = rows_of("\u{feff}Nombre,Correo\nJosé,j@x.es\n".as_bytes(), "a.csv");
        assert_eq!(l.encoding, Some("utf-8"));
        assert_eq!(l.delimiter, Some(','));
        assert_eq!(l.headers, vec!["Nombre", "Correo"]);
        assert_eq!(rows, vec![(2, vec!["José".into(), "j@x.es".into()])]);
    }

    #[test]
    fn a_utf8_sequence_split_across_reads_is_still_utf8() {
        let mut text = "a\n".to_string();
        text.push_str(&"x".repeat((1 << 16) - 3));
        text.push_str("ñ\n");
        let (l, rows) = rows_of(text.as_bytes(), "a.csv");
        assert_eq!(l.encoding, Some("utf-8"));
        assert!(rows[0].1[0].ends_with('ñ'));
    }

    #[test]
    fn excel_dates_are_iso() {
        assert_eq!(excel_date(45_658.0), "2025-01-01");
        assert_eq!(excel_date(45_658.5), "2025-01-01T12:00:00");
    }
}
