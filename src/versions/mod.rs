//! `rungs diff`: what changed for readers between two versions of a framework. The
//! comparison itself is the change model's ([`compare`]); this module reads the two sides
//! ([`source`]) and writes the report ([`render`]).

pub mod render;
pub mod source;

pub use crate::change::history::{
    AttributeChange, BehaviourChange, CellChanges, CompetencyChanges, LevelChanges, Reason, Report,
    Structural, compare,
};
