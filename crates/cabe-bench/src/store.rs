//! The bench history: a SQLite database (`history.sqlite` in the data dir).
//!
//! A bench run is written in **one transaction**: the run's row and each measurement as it
//! is made, committed only when the run ends well. A run that fails, is interrupted (Ctrl-C)
//! or killed leaves nothing behind — SQLite rolls the open transaction back (at once, or from
//! its journal the next time the database is opened).
//!
//! Each measurement keeps the prediction it was compared with (the uncorrected, calibrated
//! prediction, and the `basis` it was made on), so that later predictions for the same machine
//! and backend can be corrected by what was measured: the factor is the median, over the
//! most recent runs made on the same basis, of each run's median measured/predicted ratio.

use crate::calibrate::median;
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema version (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 1;

/// Runs considered for a correction (the most recent ones).
pub const CORRECTION_WINDOW: usize = 20;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    machine TEXT NOT NULL,
    backend TEXT NOT NULL,
    basis TEXT NOT NULL,
    server TEXT NOT NULL,
    url TEXT NOT NULL,
    server_version TEXT,
    model TEXT NOT NULL,
    model_source TEXT,
    quant TEXT,
    ctx INTEGER,
    gen_tokens INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS measurements (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    target_tokens INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    prompt_ms REAL NOT NULL,
    gen_tokens INTEGER NOT NULL,
    gen_ms REAL NOT NULL,
    prefill_tps REAL,
    decode_tps REAL,
    predicted_prefill_tps REAL,
    predicted_decode_tps REAL,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS runs_by_machine ON runs (machine, backend, basis);
";

/// A database error, with the file it is about.
#[derive(Debug, thiserror::Error)]
#[error("history database {path}: {source}")]
pub struct StoreError {
    pub path: PathBuf,
    #[source]
    pub source: rusqlite::Error,
}

/// What a run was.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunMeta {
    /// Unix seconds.
    pub started_at: i64,
    /// The machine key (a catalog id, or this machine's description).
    pub machine: String,
    /// cuda, metal, cpu, …
    pub backend: String,
    /// What the predictions were made from ("calibrated 2026-11-23T14:05:09Z", "catalog").
    pub basis: String,
    /// "ollama" or "llama-server".
    pub server: String,
    pub url: String,
    pub server_version: Option<String>,
    pub model: String,
    pub model_source: Option<String>,
    pub quant: Option<String>,
    pub ctx: Option<u64>,
    pub gen_tokens: u64,
}

/// One measurement of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The prompt size asked for.
    pub target_tokens: u64,
    /// The prompt size the server evaluated.
    pub prompt_tokens: u64,
    pub prompt_ms: f64,
    pub gen_tokens: u64,
    pub gen_ms: f64,
    pub prefill_tps: Option<f64>,
    pub decode_tps: Option<f64>,
    pub predicted_prefill_tps: Option<f64>,
    pub predicted_decode_tps: Option<f64>,
}

impl Row {
    pub fn prefill_ratio(&self) -> Option<f64> {
        ratio(self.prefill_tps, self.predicted_prefill_tps)
    }
    pub fn decode_ratio(&self) -> Option<f64> {
        ratio(self.decode_tps, self.predicted_decode_tps)
    }
}

fn ratio(measured: Option<f64>, predicted: Option<f64>) -> Option<f64> {
    match (measured, predicted) {
        (Some(m), Some(p)) if m > 0.0 && p > 0.0 && m.is_finite() && p.is_finite() => Some(m / p),
        _ => None,
    }
}

/// A stored run with its measurements.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredRun {
    pub id: i64,
    #[serde(flatten)]
    pub meta: RunMeta,
    pub finished_at: i64,
    pub rows: Vec<Row>,
    /// Median measured/predicted over the rows.
    pub prefill_ratio: Option<f64>,
    pub decode_ratio: Option<f64>,
}

/// The factors later predictions are multiplied by.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Correction {
    /// Runs the factors come from.
    pub runs: usize,
    pub decode: Option<f64>,
    pub prefill: Option<f64>,
    pub basis: String,
}

/// The open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// An open bench run: rows go into one transaction, committed by [`RunWriter::finish`];
/// dropped unfinished, nothing of the run stays.
pub struct RunWriter<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
    run_id: i64,
    seq: i64,
}

impl Store {
    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError {
            path: self.path.clone(),
            source,
        }
    }

    /// Opens (creating it and its directory if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mk = |source| StoreError {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| mk(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
            }
        }
        let conn = Connection::open(path).map_err(mk)?;
        let s = Store {
            conn,
            path: path.to_path_buf(),
        };
        s.init()?;
        Ok(s)
    }

    /// Opens the database at `path` if there is one (never creates it). Opened for writing so
    /// that SQLite can roll back what an interrupted run left in its journal.
    pub fn open_existing(path: &Path) -> Result<Option<Store>, StoreError> {
        if !path.is_file() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError {
            path: path.to_path_buf(),
            source,
        })?;
        let s = Store {
            conn,
            path: path.to_path_buf(),
        };
        s.init()?;
        Ok(Some(s))
    }

    fn init(&self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(Duration::from_secs(10))
            .map_err(|e| self.err(e))?;
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(|e| self.err(e))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version > SCHEMA_VERSION {
            return Err(self.err(rusqlite::Error::InvalidParameterName(format!(
                "schema version {version} is newer than this cabe's {SCHEMA_VERSION}"
            ))));
        }
        if version < SCHEMA_VERSION {
            self.conn
                .execute_batch(&format!(
                    "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                ))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a run: its row is written at once, inside the run's transaction.
    pub fn begin_run(&mut self, meta: &RunMeta) -> Result<RunWriter<'_>, StoreError> {
        let path = self.path.as_path();
        let mk = |source| StoreError {
            path: path.to_path_buf(),
            source,
        };
        let tx = Transaction::new(&mut self.conn, TransactionBehavior::Immediate).map_err(mk)?;
        tx.execute(
            "INSERT INTO runs (started_at, machine, backend, basis, server, url, server_version,
                model, model_source, quant, ctx, gen_tokens)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                meta.started_at,
                meta.machine,
                meta.backend,
                meta.basis,
                meta.server,
                meta.url,
                meta.server_version,
                meta.model,
                meta.model_source,
                meta.quant,
                meta.ctx.map(|c| c as i64),
                meta.gen_tokens as i64,
            ],
        )
        .map_err(mk)?;
        let run_id = tx.last_insert_rowid();
        Ok(RunWriter {
            tx,
            path,
            run_id,
            seq: 0,
        })
    }

    /// Finished runs, newest first (all with `limit` 0).
    pub fn runs(&self, limit: usize) -> Result<Vec<StoredRun>, StoreError> {
        self.query_runs("", &[], limit)
    }

    fn query_runs(
        &self,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
        limit: usize,
    ) -> Result<Vec<StoredRun>, StoreError> {
        let lim = if limit == 0 { -1 } else { limit as i64 };
        let sql = format!(
            "SELECT id, started_at, finished_at, machine, backend, basis, server, url,
                    server_version, model, model_source, quant, ctx, gen_tokens
             FROM runs WHERE finished_at IS NOT NULL {filter}
             ORDER BY finished_at DESC, id DESC LIMIT {lim}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let metas = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(2)?,
                    RunMeta {
                        started_at: r.get(1)?,
                        machine: r.get(3)?,
                        backend: r.get(4)?,
                        basis: r.get(5)?,
                        server: r.get(6)?,
                        url: r.get(7)?,
                        server_version: r.get(8)?,
                        model: r.get(9)?,
                        model_source: r.get(10)?,
                        quant: r.get(11)?,
                        ctx: r.get::<_, Option<i64>>(12)?.map(|c| c as u64),
                        gen_tokens: r.get::<_, i64>(13)? as u64,
                    },
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        let mut rows_stmt = self
            .conn
            .prepare(
                "SELECT target_tokens, prompt_tokens, prompt_ms, gen_tokens, gen_ms, prefill_tps,
                        decode_tps, predicted_prefill_tps, predicted_decode_tps
                 FROM measurements WHERE run_id = ?1 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(metas.len());
        for (id, finished_at, meta) in metas {
            let rows = rows_stmt
                .query_map([id], |r| {
                    Ok(Row {
                        target_tokens: r.get::<_, i64>(0)? as u64,
                        prompt_tokens: r.get::<_, i64>(1)? as u64,
                        prompt_ms: r.get(2)?,
                        gen_tokens: r.get::<_, i64>(3)? as u64,
                        gen_ms: r.get(4)?,
                        prefill_tps: r.get(5)?,
                        decode_tps: r.get(6)?,
                        predicted_prefill_tps: r.get(7)?,
                        predicted_decode_tps: r.get(8)?,
                    })
                })
                .map_err(|e| self.err(e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.err(e))?;
            out.push(StoredRun {
                id,
                prefill_ratio: med(rows.iter().filter_map(Row::prefill_ratio)),
                decode_ratio: med(rows.iter().filter_map(Row::decode_ratio)),
                meta,
                finished_at,
                rows,
            });
        }
        Ok(out)
    }

    /// The correction for predictions on `machine` with `backend` made on `basis`: `None` when
    /// no finished run of that kind has a ratio.
    pub fn correction(
        &self,
        machine: &str,
        backend: &str,
        basis: &str,
    ) -> Result<Option<Correction>, StoreError> {
        let runs = self.query_runs(
            "AND machine = ?1 AND backend = ?2 AND basis = ?3",
            &[&machine, &backend, &basis],
            CORRECTION_WINDOW,
        )?;
        Ok(correction_of(&runs, basis))
    }

    /// Finished runs for `machine`/`backend` made on another basis (to say why they are not
    /// used).
    pub fn runs_on_other_basis(
        &self,
        machine: &str,
        backend: &str,
        basis: &str,
    ) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL
                 AND machine = ?1 AND backend = ?2 AND basis <> ?3",
                params![machine, backend, basis],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Counts of (runs, measurements) rows, finished or not: for tests and `history`.
    pub fn counts(&self) -> Result<(i64, i64), StoreError> {
        let one = |sql: &str| {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .optional()
                .map(|v| v.unwrap_or(0))
                .map_err(|e| self.err(e))
        };
        Ok((
            one("SELECT COUNT(*) FROM runs")?,
            one("SELECT COUNT(*) FROM measurements")?,
        ))
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    pub fn integrity(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

fn med(it: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = it.collect();
    (!v.is_empty()).then(|| median(&v))
}

/// The correction from some runs: per factor, the median of the runs' median ratios.
pub fn correction_of(runs: &[StoredRun], basis: &str) -> Option<Correction> {
    let decode = med(runs.iter().filter_map(|r| r.decode_ratio));
    let prefill = med(runs.iter().filter_map(|r| r.prefill_ratio));
    let n = runs
        .iter()
        .filter(|r| r.decode_ratio.is_some() || r.prefill_ratio.is_some())
        .count();
    (n > 0).then(|| Correction {
        runs: n,
        decode,
        prefill,
        basis: basis.to_string(),
    })
}

impl RunWriter<'_> {
    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError {
            path: self.path.to_path_buf(),
            source,
        }
    }

    /// Writes one measurement (inside the run's transaction).
    pub fn add(&mut self, row: &Row) -> Result<(), StoreError> {
        self.seq += 1;
        self.tx
            .execute(
                "INSERT INTO measurements (run_id, seq, target_tokens, prompt_tokens, prompt_ms,
                    gen_tokens, gen_ms, prefill_tps, decode_tps, predicted_prefill_tps,
                    predicted_decode_tps)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    self.run_id,
                    self.seq,
                    row.target_tokens as i64,
                    row.prompt_tokens as i64,
                    row.prompt_ms,
                    row.gen_tokens as i64,
                    row.gen_ms,
                    row.prefill_tps,
                    row.decode_tps,
                    row.predicted_prefill_tps,
                    row.predicted_decode_tps,
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Marks the run finished and commits it with its rows.
    pub fn finish(self, finished_at: i64) -> Result<i64, StoreError> {
        self.tx
            .execute(
                "UPDATE runs SET finished_at = ?1 WHERE id = ?2",
                params![finished_at, self.run_id],
            )
            .map_err(|e| self.err(e))?;
        let (id, path) = (self.run_id, self.path.to_path_buf());
        self.tx
            .commit()
            .map_err(|source| StoreError { path, source })?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(basis: &str) -> RunMeta {
        RunMeta {
            started_at: 1_795_442_709,
            machine: "this-machine:test".into(),
            backend: "cpu".into(),
            basis: basis.into(),
            server: "llama-server".into(),
            url: "http://127.0.0.1:1".into(),
            server_version: Some("b11312".into()),
            model: "m.gguf".into(),
            model_source: None,
            quant: Some("Q4_K_M".into()),
            ctx: Some(4096),
            gen_tokens: 32,
        }
    }

    fn row(n: u64, decode_ratio: f64) -> Row {
        Row {
            target_tokens: n,
            prompt_tokens: n,
            prompt_ms: n as f64,
            gen_tokens: 32,
            gen_ms: 1000.0,
            prefill_tps: Some(1000.0),
            decode_tps: Some(32.0),
            predicted_prefill_tps: Some(1000.0),
            predicted_decode_tps: Some(32.0 / decode_ratio),
        }
    }

    #[test]
    fn a_run_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("h.sqlite");
        let mut s = Store::open(&path).unwrap();
        // A failure between rows: the writer is dropped before `finish`.
        {
            let mut w = s.begin_run(&meta("b")).unwrap();
            w.add(&row(512, 0.8)).unwrap();
            w.add(&row(2048, 0.8)).unwrap();
            let failed: Result<(), &str> = Err("server went away");
            assert!(failed.is_err());
        }
        assert_eq!(s.counts().unwrap(), (0, 0));
        assert!(s.runs(0).unwrap().is_empty());
        // A run that finishes is there with all its rows.
        let mut w = s.begin_run(&meta("b")).unwrap();
        w.add(&row(512, 0.8)).unwrap();
        w.add(&row(2048, 0.9)).unwrap();
        let id = w.finish(1_795_442_800).unwrap();
        let runs = s.runs(0).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].id, id);
        assert_eq!(runs[0].rows.len(), 2);
        assert_eq!(runs[0].rows[1].target_tokens, 2048);
        assert!((runs[0].decode_ratio.unwrap() - 0.85).abs() < 1e-9);
        assert_eq!(runs[0].prefill_ratio, Some(1.0));
        assert_eq!(s.counts().unwrap(), (1, 2));
        assert_eq!(s.integrity().unwrap(), "ok");
        // Reopened: still there; the schema is not re-created.
        drop(s);
        let s = Store::open_existing(&path).unwrap().unwrap();
        assert_eq!(s.runs(0).unwrap().len(), 1);
        assert!(Store::open_existing(&dir.path().join("none.sqlite"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn correction_is_the_median_of_runs_on_the_same_basis() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("h.sqlite")).unwrap();
        for (i, r) in [0.8, 0.83, 0.9, 0.5].into_iter().enumerate() {
            let basis = if i == 3 { "old" } else { "new" };
            let mut w = s.begin_run(&meta(basis)).unwrap();
            w.add(&row(512, r)).unwrap();
            w.finish(1_795_442_800 + i as i64).unwrap();
        }
        let c = s
            .correction("this-machine:test", "cpu", "new")
            .unwrap()
            .unwrap();
        assert_eq!(c.runs, 3);
        assert!((c.decode.unwrap() - 0.83).abs() < 1e-9);
        assert_eq!(c.prefill, Some(1.0));
        assert_eq!(
            s.runs_on_other_basis("this-machine:test", "cpu", "new")
                .unwrap(),
            1
        );
        assert!(s.correction("other", "cpu", "new").unwrap().is_none());
        assert!(s
            .correction("this-machine:test", "cuda", "new")
            .unwrap()
            .is_none());
    }
}
