//! A reader that counts the bytes it hands out and hands them out in bounded steps.
//!
//! `cabe_gguf::read_from` wraps its reader in a 1 MiB `BufReader`; a `BufReader` refills with
//! whatever one `read` returns, so capping each `read` at [`STEP`] bytes makes a header of
//! 20 KB cost 64 KiB of I/O instead of 1 MiB, without touching the parser.

use std::io::{Read, Result, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The most one `read` returns.
pub const STEP: usize = 64 << 10;

/// Bytes read, shared between a reader and whoever asked for the count.
#[derive(Clone, Debug, Default)]
pub struct Counter(Arc<AtomicU64>);

impl Counter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

pub struct Counting<R> {
    inner: R,
    counter: Counter,
}

impl<R> Counting<R> {
    pub fn new(inner: R, counter: Counter) -> Counting<R> {
        Counting { inner, counter }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        let n = buf.len().min(STEP);
        let got = self.inner.read(&mut buf[..n])?;
        self.counter.add(got as u64);
        Ok(got)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> Result<u64> {
        self.inner.seek(pos)
    }
}
