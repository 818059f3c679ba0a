//! Where cabe keeps what it measured: `$CABE_DATA_DIR`, else the platform's data dir
//! (`~/.local/share/cabe` on Linux, `~/Library/Application Support/cabe` on macOS,
//! `%APPDATA%\cabe` on Windows).

use std::path::PathBuf;

/// Overrides the data dir (tests point it at a temporary directory).
pub const DATA_DIR_ENV: &str = "CABE_DATA_DIR";

/// The calibration file's name in the data dir.
pub const CALIBRATION_FILE: &str = "calibration.json";
/// The history database's name in the data dir.
pub const HISTORY_FILE: &str = "history.sqlite";

/// The data dir, or an error saying how to set one.
pub fn data_dir() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    dirs::data_dir()
        .map(|d| d.join("cabe"))
        .ok_or_else(|| format!("no data directory for this user: set {DATA_DIR_ENV}"))
}

/// `data_dir()/calibration.json`.
pub fn calibration_path() -> Result<PathBuf, String> {
    Ok(data_dir()?.join(CALIBRATION_FILE))
}

/// `data_dir()/history.sqlite`.
pub fn history_path() -> Result<PathBuf, String> {
    Ok(data_dir()?.join(HISTORY_FILE))
}
