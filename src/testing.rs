//! What the crate's unit tests share.

/// A small deterministic generator (xorshift64*), so randomised tests reproduce without
/// a crate. The seed must not be zero. Test modules add their own inherent methods
/// (random behaviours, words) in their own `impl Rng` blocks.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A behaviour as assembly would make it from `text` (no HTML), for tests that build or
/// edit a model by hand: its plain text and signature follow from `text`.
pub(crate) fn behaviour(
    id: Option<String>,
    anchor: String,
    text: &str,
    examples: Vec<crate::model::Example>,
) -> crate::model::Behaviour {
    let plain = crate::markdown::plain_text(text);
    let mut analyzer = crate::search::tokenize::Analyzer::default();
    crate::model::Behaviour {
        id,
        anchor,
        text: text.into(),
        html: "".into(),
        signature: crate::change::signature::signature(&plain, &mut analyzer).into(),
        plain: plain.into(),
        examples: examples.into(),
        from: None,
        origin: None,
    }
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub(crate) fn files_under(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}
