//! One module per kind of page, each building that page's context (a typed value that
//! borrows from the framework) in one place.

pub(crate) mod area;
pub(crate) mod assess;
pub(crate) mod compare;
pub(crate) mod competency;
pub(crate) mod home;
pub(crate) mod level;
pub(crate) mod matrix;
pub(crate) mod track;
