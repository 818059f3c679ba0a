//! No allocation by a size the file only claims: a header may state a file size (a server's
//! `Content-Range` total) far past the bytes that arrive. The `gguf_local` fuzz target found
//! an 8 Mi-element array reserving 256 MiB of values before a byte of them was read, then a
//! long array whose values did arrive (zeros) growing to 128 MiB. This test binary's
//! allocator records the largest single allocation; the tests take turns.

use cabe_gguf::read_from;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LARGEST.fetch_max(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Largest = Largest;

/// Runs `f` alone and returns the largest allocation made meanwhile.
fn largest_during(f: impl FnOnce()) -> usize {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    LARGEST.store(0, Ordering::Relaxed);
    f();
    LARGEST.load(Ordering::Relaxed)
}

/// A GGUF v3 header with no tensors and one KV, "a" = an array of `count` U8.
fn u8_array_head(count: u64) -> Vec<u8> {
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(0u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.push(b'a');
    b.extend(9u32.to_le_bytes()); // ARRAY
    b.extend(0u32.to_le_bytes()); // of U8
    b.extend(count.to_le_bytes());
    b
}

#[test]
fn a_claimed_array_reserves_nothing_before_its_bytes_arrive() {
    // An array of as many U8 as a file may hold, of which no byte follows: the file claims
    // 16 MiB; the reader gets the 45 bytes of the head.
    let b = u8_array_head(cabe_gguf::MAX_TOTAL_ARRAY_ELEMENTS);
    let mut e = String::new();
    let largest = largest_during(|| {
        e = read_from(Cursor::new(&b), 16 << 20)
            .unwrap_err()
            .to_string();
    });
    assert!(!e.contains('\n'), "{e}");
    assert!(largest < 4 << 20, "largest allocation {largest} bytes: {e}");
}

#[test]
fn a_claimed_string_reserves_nothing_before_its_bytes_arrive() {
    // GGUF v3, 0 tensors, 1 KV: "a" = a string of 144 MiB, of which 3 bytes follow (the
    // `gguf_local` fuzz target's second find: a 150,994,945-byte allocation).
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(0u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.push(b'a');
    b.extend(8u32.to_le_bytes()); // STRING
    b.extend((144u64 << 20).to_le_bytes());
    b.extend(b"abc");
    let mut e = String::new();
    let largest = largest_during(|| {
        e = read_from(Cursor::new(&b), 1 << 30).unwrap_err().to_string();
    });
    assert!(!e.contains('\n'), "{e}");
    assert!(largest < 4 << 20, "largest allocation {largest} bytes: {e}");
}

#[test]
fn a_long_array_that_arrives_takes_no_more_than_its_values() {
    // As many U8 as a file may hold, every byte there (zeros: the `gguf_local` fuzz target's
    // third find). Each decoded value is 32 bytes; pushed one by one, the vector doubled past
    // the count to 4 Mi values, a 128 MiB allocation. Now it stops at the count: 96 MiB.
    let n = cabe_gguf::MAX_TOTAL_ARRAY_ELEMENTS;
    let mut b = u8_array_head(n);
    b.resize(b.len() + n as usize, 0);
    let len = b.len() as u64;
    let largest = largest_during(|| {
        let f = read_from(Cursor::new(&b), len).unwrap();
        assert_eq!(
            f.get("a").and_then(|v| v.as_array()).map(|a| a.len()),
            Some(n as usize)
        );
    });
    let values = n as usize * std::mem::size_of::<cabe_gguf::Value>();
    assert!(
        largest <= values,
        "largest allocation {largest} bytes, {values} of values"
    );
}
