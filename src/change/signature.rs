//! A behaviour's signature: what comparing it with other behaviours needs, worked out
//! once when its file is parsed. Words are the search index's (`search::tokenize`: runs
//! of letters and digits, lowercased, stemmed with Snowball English), so the browser's
//! comparison (`compare.js`, which shares `search.js`'s stemmer) finds the same words.

use crate::model::Signature;
use crate::search::tokenize::{Analyzer, is_stop_word, words};

/// Words that say who, not what: every behaviour of a framework written as "I …" or
/// "You …" shares them, so they must not make two behaviours look alike. Also dropped
/// by the browser's comparison.
pub(crate) const PRONOUNS: &[&str] = &[
    "i", "its", "me", "my", "our", "them", "they", "us", "we", "you", "your",
];

/// Whether a lowercased word counts when comparing behaviours.
fn is_content(lower: &str) -> bool {
    lower.chars().nth(1).is_some()
        && !is_stop_word(lower)
        && !(lower.len() <= 4 && PRONOUNS.contains(&lower))
}

/// The signature of a behaviour's plain text.
pub(crate) fn signature(plain: &str, analyzer: &mut Analyzer) -> Signature {
    let mut key_text = String::with_capacity(plain.len());
    let mut stems: Vec<u64> = Vec::new();
    for w in words(plain) {
        if !key_text.is_empty() {
            key_text.push(' ');
        }
        key_text.push_str(&w.lower);
        if is_content(&w.lower) {
            stems.push(analyzer.stem_hash(&w.lower));
        }
    }
    stems.sort_unstable();
    stems.dedup();
    Signature {
        key: crate::output::fingerprint(key_text.as_bytes()),
        text: crate::output::fingerprint(plain.as_bytes()),
        words: stems.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(s: &str) -> Signature {
        signature(s, &mut Analyzer::default())
    }

    #[test]
    fn case_punctuation_and_spacing_do_not_change_the_key() {
        assert_eq!(sig("Leads the team.").key, sig("leads  the team").key);
        assert_ne!(sig("Leads the team.").key, sig("Leads a team.").key);
    }

    #[test]
    fn words_are_stemmed_content_words() {
        // "mentors"/"mentoring" share a stem; "I", "the", "my" carry no content.
        assert_eq!(
            sig("I mentor the team").words,
            sig("Mentoring my teams").words
        );
        assert_eq!(sig("I and the").words.len(), 0);
    }

    #[test]
    fn pronouns_are_short_enough_for_the_length_test() {
        assert!(PRONOUNS.iter().all(|w| w.len() <= 4));
        assert!(!is_content("we") && !is_content("your") && is_content("yours"));
    }
}
