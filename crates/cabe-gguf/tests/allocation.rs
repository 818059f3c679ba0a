//! No allocation by a size the file only claims: a header may state a file size (a server's
//! `Content-Range` total) far past the bytes that arrive. The `gguf_local` fuzz target found
//! an 8 Mi-element array reserving 256 MiB of values before a byte of them was read; this
//! test binary's allocator records the largest single allocation.

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

#[test]
fn a_claimed_array_reserves_nothing_before_its_bytes_arrive() {
    // GGUF v3, 0 tensors, 1 KV: "a" = array of 8 Mi U8, of which no byte follows.
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(0u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.push(b'a');
    b.extend(9u32.to_le_bytes()); // ARRAY
    b.extend(0u32.to_le_bytes()); // of U8
    b.extend((8u64 << 20).to_le_bytes());
    // The file claims 16 MiB; the reader gets the 45 bytes above.
    let e = read_from(Cursor::new(&b), 16 << 20)
        .unwrap_err()
        .to_string();
    assert!(!e.contains('\n'), "{e}");
    let largest = LARGEST.load(Ordering::Relaxed);
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
    let e = read_from(Cursor::new(&b), 1 << 30).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(largest < 4 << 20, "largest allocation {largest} bytes: {e}");
}
