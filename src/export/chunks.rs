//! Where `serve` keeps the per-level chunks of framework.json and framework.csv between
//! rebuilds: appended to an unlinked temporary file (`tempfile::tempfile`), not held in
//! memory. At 10,000 pages the chunks are 90 MB, the largest thing the server kept; on
//! disk they cost page cache that the kernel can drop, and splicing a file reads each
//! chunk back once. When the file cannot be made the chunks stay in memory, as before.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use crate::output::{Parts, fingerprint};

/// One chunk in the store: where it is, how long, and its fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Chunk {
    at: u64,
    len: u64,
    hash: u128,
}

/// Chunks appended one after the other; replaced chunks are garbage until
/// [`ChunkStore::compact`].
pub(super) struct ChunkStore {
    backing: Backing,
    /// Bytes appended so far (the end of the file).
    end: u64,
}

enum Backing {
    File(File),
    Memory(Vec<u8>),
}

impl ChunkStore {
    /// A store in a new temporary file, or in memory when none can be made.
    pub(super) fn new() -> ChunkStore {
        ChunkStore {
            backing: tempfile::tempfile().map_or(Backing::Memory(Vec::new()), Backing::File),
            end: 0,
        }
    }

    /// A store in memory (tests).
    #[cfg(test)]
    pub(super) fn in_memory() -> ChunkStore {
        ChunkStore {
            backing: Backing::Memory(Vec::new()),
            end: 0,
        }
    }

    /// Appends a chunk.
    pub(super) fn put(&mut self, bytes: &[u8]) -> io::Result<Chunk> {
        let chunk = Chunk {
            at: self.end,
            len: bytes.len() as u64,
            hash: fingerprint(bytes),
        };
        match &mut self.backing {
            Backing::File(f) => {
                f.seek(SeekFrom::Start(self.end))?;
                f.write_all(bytes)?;
            }
            Backing::Memory(v) => v.extend_from_slice(bytes),
        }
        self.end += chunk.len;
        Ok(chunk)
    }

    /// Reads a chunk into `buf` (replacing what it held).
    pub(super) fn read(&self, c: Chunk, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        match &self.backing {
            Backing::File(f) => {
                let mut f = f;
                f.seek(SeekFrom::Start(c.at))?;
                f.take(c.len).read_to_end(buf)?;
                if buf.len() as u64 != c.len {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the export chunk file is shorter than what was written to it",
                    ));
                }
            }
            Backing::Memory(v) => buf.extend_from_slice(&v[c.at as usize..(c.at + c.len) as usize]),
        }
        Ok(())
    }

    /// Copies the `live` chunks into a fresh store once the garbage left by replaced
    /// chunks outweighs them (and 16 MB), updating each handle: the file stays within
    /// twice what it holds.
    pub(super) fn compact<'c>(
        &mut self,
        live: impl Iterator<Item = &'c mut Chunk>,
    ) -> io::Result<()> {
        let live: Vec<&mut Chunk> = live.collect();
        let used: u64 = live.iter().map(|c| c.len).sum();
        if self.end - used <= used.max(16 << 20) {
            return Ok(());
        }
        let mut fresh = match self.backing {
            Backing::File(_) => ChunkStore::new(),
            Backing::Memory(_) => ChunkStore {
                backing: Backing::Memory(Vec::new()),
                end: 0,
            },
        };
        let mut buf = Vec::new();
        for c in live {
            self.read(*c, &mut buf)?;
            *c = fresh.put(&buf)?;
        }
        *self = fresh;
        Ok(())
    }

    /// The bytes appended so far, live or not.
    #[cfg(test)]
    pub(super) fn size(&self) -> u64 {
        self.end
    }
}

/// One piece of a spliced file.
pub(super) enum Piece<'a> {
    /// Bytes in memory (the JSON frame, the commas between levels, the CSV header).
    Inline(&'a [u8]),
    Stored(Chunk),
}

/// A file spliced from pieces, some of them in a [`ChunkStore`].
pub(super) struct Spliced<'a> {
    pub store: &'a ChunkStore,
    pub pieces: Vec<Piece<'a>>,
}

impl Spliced<'_> {
    /// A fingerprint equal for equal pieces, made from the chunks' own fingerprints
    /// without reading them: whether the file changed since it was last written.
    pub(super) fn fingerprint(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for p in &self.pieces {
            let f = match p {
                Piece::Inline(b) => fingerprint(b),
                Piece::Stored(c) => c.hash,
            };
            h.update(&f.to_le_bytes());
        }
        h.digest128()
    }
}

impl Parts for Spliced<'_> {
    fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut buf = Vec::new();
        for p in &self.pieces {
            match p {
                Piece::Inline(b) => w.write_all(b)?,
                Piece::Stored(c) => {
                    self.store.read(*c, &mut buf)?;
                    w.write_all(&buf)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &ChunkStore, c: Chunk) -> Vec<u8> {
        let mut buf = Vec::new();
        s.read(c, &mut buf).unwrap();
        buf
    }

    #[test]
    fn chunks_read_back_from_the_file_and_after_compaction() {
        for mut store in [ChunkStore::new(), ChunkStore::in_memory()] {
            let big = vec![b'x'; 20 << 20];
            let mut a = store.put(b"first").unwrap();
            let mut b = store.put(&big).unwrap();
            assert_eq!(read(&store, a), b"first");
            assert_eq!(read(&store, b), big);
            // Replace `b` twice: 40 MB of garbage against 20 MB live.
            store.put(&big).unwrap();
            b = store.put(&big[1..]).unwrap();
            store.compact([&mut a, &mut b].into_iter()).unwrap();
            assert_eq!(store.size(), 5 + (20 << 20) - 1);
            assert_eq!(read(&store, a), b"first");
            assert_eq!(read(&store, b), &big[1..]);
            // Little garbage: nothing to do.
            store.compact([&mut a, &mut b].into_iter()).unwrap();
            assert_eq!(store.size(), 5 + (20 << 20) - 1);
        }
    }

    #[test]
    fn a_spliced_file_is_its_pieces_and_fingerprints_by_their_fingerprints() {
        let mut store = ChunkStore::new();
        let c = store.put(b"chunk").unwrap();
        let d = store.put(b"chunk").unwrap();
        let e = store.put(b"other").unwrap();
        let spliced = |c| Spliced {
            store: &store,
            pieces: vec![Piece::Inline(b"["), Piece::Stored(c), Piece::Inline(b"]")],
        };
        let mut out = Vec::new();
        spliced(c).write_to(&mut out).unwrap();
        assert_eq!(out, b"[chunk]");
        // The same bytes stored twice are the same file; other bytes are not.
        assert_eq!(spliced(c).fingerprint(), spliced(d).fingerprint());
        assert_ne!(spliced(c).fingerprint(), spliced(e).fingerprint());
    }
}
