//! The integration tests: fixture sites built and checked through the real binary.

mod build;
mod change;
mod check;
mod cli;
mod compare;
mod corpus;
mod diff;
mod harness;
mod import;
mod schema;
mod serve;
