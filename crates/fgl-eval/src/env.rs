//! Local scopes: a persistent chain of small frames (function parameters, `let … in`,
//! comprehension variables, a schema's fields), shared by the closures created in them. Module
//! names are not here: they are resolved through the declarations, after the locals.

use std::rc::Rc;

use fgl_check::ModuleId;

use crate::value::Value;

#[derive(Clone, Debug)]
pub struct Env<'a> {
    /// The module whose names are visible after the locals.
    pub module: ModuleId,
    pub scope: Option<Rc<Scope<'a>>>,
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub vars: Vec<(&'a str, Value<'a>)>,
    pub parent: Option<Rc<Scope<'a>>>,
}

impl<'a> Env<'a> {
    pub fn module(module: ModuleId) -> Self {
        Env {
            module,
            scope: None,
        }
    }

    /// This environment with one more frame.
    pub fn with(&self, vars: Vec<(&'a str, Value<'a>)>) -> Env<'a> {
        Env {
            module: self.module,
            scope: Some(Rc::new(Scope {
                vars,
                parent: self.scope.clone(),
            })),
        }
    }

    /// The innermost local named `name`. Within a frame the last entry wins (a comprehension
    /// `for x in xs for x in ys` shadows).
    pub fn lookup(&self, name: &str) -> Option<&Value<'a>> {
        let mut scope = self.scope.as_deref();
        while let Some(frame) = scope {
            if let Some((_, v)) = frame.vars.iter().rev().find(|(n, _)| *n == name) {
                return Some(v);
            }
            scope = frame.parent.as_deref();
        }
        None
    }
}
