//! The WeasyPrint binding: a pool of warm Python workers (no interpreter start per
//! document), bounded concurrency, a deadline per render after which the worker is killed
//! and replaced, typed errors, and a temporary folder per worker that goes with it.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{mpsc, Mutex};

const WORKER: &str = include_str!("worker.py");

/// Why a document was not rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the renderer did not finish within {0:?}; its worker was replaced")]
    Timeout(Duration),
    #[error("the renderer worker stopped: {0}")]
    WorkerDied(String),
    #[error("WeasyPrint could not render the document: {0}")]
    Document(String),
    #[error("could not start a renderer worker: {0}")]
    Spawn(String),
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// The worker's TMPDIR. WeasyPrint makes a folder there for every document's font
    /// configuration and removes it only when Python collects that object, which never
    /// happens to the last ones of a worker that is killed (a deadline overrun, the api
    /// stopping). Removed when the worker is dropped, after `kill_on_drop` (fields drop in
    /// order), so nothing is left behind.
    _scratch: tempfile::TempDir,
}

impl Worker {
    async fn spawn(python: &str, scratch_in: &Path) -> Result<(Worker, String), RenderError> {
        // Private to the api's user, as WeasyPrint's own folders are.
        let scratch = tempfile::Builder::new()
            .prefix("cimiento-pdf-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .tempdir_in(scratch_in)
            .map_err(|e| RenderError::Spawn(format!("a temporary folder in {}: {e}", scratch_in.display())))?;
        let mut child = Command::new(python)
            .arg("-c")
            .arg(WORKER)
            .env("TMPDIR", scratch.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| RenderError::Spawn(format!("{python}: {e}")))?;
        let stdin = child.stdin.take().ok_or_else(|| RenderError::Spawn("no stdin".into()))?;
        let stdout = BufReader::new(child.stdout.take().ok_or_else(|| RenderError::Spawn("no stdout".into()))?);
        let mut w = Worker { child, stdin, stdout, _scratch: scratch };
        let ready = tokio::time::timeout(Duration::from_secs(30), w.read_frame())
            .await
            .map_err(|_| RenderError::Spawn("WeasyPrint did not start within 30 s".into()))?
            .map_err(|e| RenderError::Spawn(format!("WeasyPrint did not start: {e}")))?;
        match ready {
            (b'R', version) => Ok((w, String::from_utf8_lossy(&version).into_owned())),
            (tag, _) => Err(RenderError::Spawn(format!("unexpected greeting {tag}"))),
        }
    }

    async fn read_frame(&mut self) -> std::io::Result<(u8, Vec<u8>)> {
        let tag = self.stdout.read_u8().await?;
        let len = self.stdout.read_u32().await? as usize;
        if len > 256 * 1024 * 1024 {
            return Err(std::io::Error::other("frame too large"));
        }
        let mut buf = vec![0u8; len];
        self.stdout.read_exact(&mut buf).await?;
        Ok((tag, buf))
    }

    async fn render(&mut self, html: &str) -> Result<Result<Vec<u8>, String>, std::io::Error> {
        self.stdin.write_u32(html.len() as u32).await?;
        self.stdin.write_all(html.as_bytes()).await?;
        self.stdin.flush().await?;
        match self.read_frame().await? {
            (0, pdf) => Ok(Ok(pdf)),
            (_, msg) => Ok(Err(String::from_utf8_lossy(&msg).into_owned())),
        }
    }

    /// One render within the deadline, with its outcome typed.
    async fn render_within(&mut self, html: &str, deadline: Duration) -> Result<Vec<u8>, RenderError> {
        match tokio::time::timeout(deadline, self.render(html)).await {
            Ok(Ok(Ok(pdf))) => Ok(pdf),
            Ok(Ok(Err(msg))) => Err(RenderError::Document(msg)),
            Ok(Err(io)) => Err(RenderError::WorkerDied(io.to_string())),
            Err(_) => Err(RenderError::Timeout(deadline)),
        }
    }

    fn pid(&self) -> Option<u32> {
        self.child.id()
    }
}

/// A pool of warm WeasyPrint workers.
pub struct Renderer {
    python: String,
    /// Where each worker gets its temporary folder.
    scratch: PathBuf,
    timeout: Duration,
    idle_tx: mpsc::Sender<Worker>,
    idle_rx: Mutex<mpsc::Receiver<Worker>>,
    version: std::sync::OnceLock<String>,
    size: usize,
    started: tokio::sync::OnceCell<()>,
}

impl Renderer {
    pub fn new(python: String, workers: usize, timeout: Duration) -> Arc<Self> {
        Self::with_scratch(python, workers, timeout, std::env::temp_dir())
    }

    /// A pool whose workers keep their temporary folders in `scratch` (the system's temporary
    /// folder with [`Renderer::new`]).
    pub fn with_scratch(python: String, workers: usize, timeout: Duration, scratch: PathBuf) -> Arc<Self> {
        let size = workers.max(1);
        let (idle_tx, idle_rx) = mpsc::channel(size);
        Arc::new(Self {
            python,
            scratch,
            timeout,
            idle_tx,
            idle_rx: Mutex::new(idle_rx),
            version: std::sync::OnceLock::new(),
            size,
            started: tokio::sync::OnceCell::new(),
        })
    }

    /// Starts the workers (once); call early so the first document does not pay for it.
    pub async fn warm_up(&self) -> Result<(), RenderError> {
        self.started
            .get_or_try_init(|| async {
                for _ in 0..self.size {
                    let (w, version) = Worker::spawn(&self.python, &self.scratch).await?;
                    let _ = self.version.set(format!("weasyprint {version}"));
                    self.idle_tx.send(w).await.map_err(|_| RenderError::Spawn("pool closed".into()))?;
                }
                tracing::info!(workers = self.size, version = self.version(), "PDF renderer warm");
                Ok::<(), RenderError>(())
            })
            .await
            .map(|_| ())
    }

    /// `weasyprint <version>`, stored with every document.
    pub fn version(&self) -> &str {
        self.version.get().map(String::as_str).unwrap_or("weasyprint")
    }

    /// Process ids of the idle workers (for operators and tests).
    pub async fn worker_pids(&self) -> Vec<u32> {
        let mut rx = self.idle_rx.lock().await;
        let mut workers = Vec::new();
        while let Ok(w) = rx.try_recv() {
            workers.push(w);
        }
        drop(rx);
        let pids = workers.iter().filter_map(Worker::pid).collect();
        for w in workers {
            let _ = self.idle_tx.send(w).await;
        }
        pids
    }

    /// Renders HTML to PDF bytes. A worker that dies mid-render is replaced and the render
    /// is retried once on a freshly started worker, so `WorkerDied` from here means the
    /// document killed a fresh worker too; one that overruns the deadline is killed.
    pub async fn render(&self, html: &str) -> Result<Vec<u8>, RenderError> {
        self.warm_up().await?;
        match self.render_once(html).await {
            Err(RenderError::WorkerDied(why)) => {
                tracing::warn!(why, "renderer worker died mid-render; retrying on a fresh one");
                let (mut fresh, _) = Worker::spawn(&self.python, &self.scratch).await?;
                let outcome = fresh.render_within(html, self.timeout).await;
                let _ = fresh.child.start_kill();
                outcome
            }
            other => other,
        }
    }

    async fn render_once(&self, html: &str) -> Result<Vec<u8>, RenderError> {
        let mut worker = {
            let mut rx = self.idle_rx.lock().await;
            rx.recv().await.ok_or_else(|| RenderError::Spawn("pool closed".into()))?
        };
        let result = worker.render_within(html, self.timeout).await;
        let healthy = !matches!(result, Err(RenderError::WorkerDied(_) | RenderError::Timeout(_)));
        if healthy {
            let _ = self.idle_tx.send(worker).await;
        } else {
            let _ = worker.child.start_kill();
            drop(worker);
            // Replace it; if even that fails, keep the pool's size by retrying in the background.
            match Worker::spawn(&self.python, &self.scratch).await {
                Ok((w, _)) => {
                    let _ = self.idle_tx.send(w).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "could not replace a renderer worker; retrying in the background");
                    let (python, scratch, tx) = (self.python.clone(), self.scratch.clone(), self.idle_tx.clone());
                    tokio::spawn(async move {
                        loop {
                            tokio::time::sleep(Duration::from_secs(2)).await;
                            if let Ok((w, _)) = Worker::spawn(&python, &scratch).await {
                                let _ = tx.send(w).await;
                                break;
                            }
                        }
                    });
                }
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python() -> String {
        std::env::var("CIMIENTO_PDF_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into())
    }

    /// The entries of a folder.
    fn entries(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect()
    }

    #[tokio::test]
    async fn renders_pdf_and_survives_a_timeout() {
        let scratch = tempfile::tempdir().unwrap();
        let r = Renderer::with_scratch(python(), 1, Duration::from_secs(30), scratch.path().to_path_buf());
        let pdf = r.render("<h1>Factura</h1><p>Hola</p>").await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        assert!(r.version().starts_with("weasyprint "));
        let before = r.worker_pids().await;
        // WeasyPrint works in the worker's own folder (its TMPDIR).
        let folders = entries(scratch.path());
        assert_eq!(folders.len(), 1, "one folder per worker: {folders:?}");
        let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&folders[0]).unwrap().permissions());
        assert_eq!(mode & 0o777, 0o700, "the worker's folder is private");
        assert!(!entries(&folders[0]).is_empty(), "WeasyPrint's temporary files are in the worker's folder");

        // A huge document with a tiny deadline: the worker is killed and replaced, and the
        // killed worker's folder goes with it.
        let slow_scratch = tempfile::tempdir().unwrap();
        let slow = Renderer::with_scratch(python(), 1, Duration::from_millis(50), slow_scratch.path().to_path_buf());
        slow.warm_up().await.unwrap();
        let killed = entries(slow_scratch.path());
        let big = format!("<table>{}</table>", "<tr><td>línea</td><td>1,00 €</td></tr>".repeat(20_000));
        assert!(matches!(slow.render(&big).await, Err(RenderError::Timeout(_))));
        assert_eq!(slow.worker_pids().await.len(), 1, "the worker was replaced");
        let now = entries(slow_scratch.path());
        assert_eq!(now.len(), 1, "only the new worker's folder is left: {now:?}");
        assert_ne!(now, killed, "the killed worker's folder was removed");

        // The first renderer is unaffected and keeps its warm worker.
        assert!(r.render("<p>otra</p>").await.unwrap().starts_with(b"%PDF-"));
        assert_eq!(r.worker_pids().await, before, "the same warm worker served both documents");

        // A pool that goes (the api stopping) leaves no folder behind.
        drop((r, slow));
        assert!(entries(scratch.path()).is_empty() && entries(slow_scratch.path()).is_empty(), "nothing left in the temporary folders");
    }
}
