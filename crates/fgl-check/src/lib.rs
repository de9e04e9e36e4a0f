//! Name resolution and the static type checker of fgl: everything that can be known from the
//! source without evaluating it.
//!
//! Data flow: [`loader::load`] parses the root file and its imports into a [`loader::Program`];
//! [`decls::collect`] records every module-level name, schema and type alias; [`check()`]
//! types every expression. The evaluator (`fgl-eval`) reuses the program and the declarations.

pub mod builtins;
mod check;
pub mod decls;
pub mod loader;
pub mod stdlib;
pub mod suggest;
pub mod ty;

pub use check::{check, check_with, Checked, Recorder};
pub use decls::{Decl, Decls, SchemaId, SchemaInfo};
pub use loader::{load, FsHost, Host, ModuleId, Program, RootSource};
pub use ty::Ty;
