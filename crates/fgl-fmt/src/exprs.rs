//! Expressions: everything on one line except the brackets that hold entries (see
//! [`crate::entries`]); string and number literals verbatim; parentheses as written.

use fgl_syntax::ast::{
    Arg, BinaryOp, CompClause, Expr, ExprKind, FnParam, Ident, Key, LetExpr, RecordComp,
    RecordField,
};

use crate::entries::Brackets;
use crate::printer::Printer;
use crate::types::Then;

fn start(span: fgl_syntax::Span) -> usize {
    span.start as usize
}

fn end(span: fgl_syntax::Span) -> usize {
    span.end as usize
}

/// The offset of the closing bracket that ends `span`.
fn last(span: fgl_syntax::Span) -> usize {
    (span.end as usize).saturating_sub(1)
}

impl Printer<'_> {
    pub(crate) fn expr(&mut self, e: &Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e));
    }

    fn expr_inner(&mut self, e: &Expr) {
        match &e.kind {
            // Literals keep their spelling: escapes, interpolations, `"""` layout, `1_000`.
            ExprKind::Int(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Error => self.verbatim(e.span),
            ExprKind::Name(name) => self.write(&name.name),
            ExprKind::List(items) => self.bracketed(Brackets::square(e.span), items),
            ExprKind::Record(fields) => self.bracketed(Brackets::braces(e.span), fields),
            ExprKind::Field { base, name } => {
                self.expr(base);
                self.soft(start(name.span));
                self.write(".");
                // A keyword or a quoted name as written.
                self.verbatim(name.span);
            }
            ExprKind::Call { callee, args } => {
                self.expr(callee);
                self.write("(");
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        self.soft_before_token_after(end(args[i - 1].value.span));
                        self.write(", ");
                    }
                    self.arg(arg);
                }
                self.soft(last(e.span));
                self.write(")");
            }
            ExprKind::Instantiate {
                schema,
                fields,
                body_span,
            } => {
                self.expr(schema);
                self.write(" ");
                self.bracketed(Brackets::braces(*body_span), fields);
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.write("if ");
                self.soft(start(cond.span));
                self.expr(cond);
                self.soft_before_token_after(end(cond.span));
                self.write(" then ");
                self.soft(start(then_branch.span));
                self.expr(then_branch);
                self.soft_before_token_after(end(then_branch.span));
                self.write(" else ");
                self.soft(start(else_branch.span));
                self.expr(else_branch);
            }
            ExprKind::Let(l) => {
                let LetExpr {
                    name,
                    ty,
                    value,
                    body,
                } = &**l;
                // No break before the name: a line starting with `name =` is a new entry.
                self.write("let ");
                self.write(&name.name);
                let mut before_value = name.span;
                if let Some(ty) = ty {
                    self.soft_before_token_after(end(name.span));
                    self.write(": ");
                    self.soft_before_type(ty, Then::Assign);
                    self.ty_then(ty, Then::Assign);
                    before_value = ty.span;
                }
                self.soft_before_token_after(end(before_value));
                self.write(" = ");
                self.soft(start(value.span));
                self.expr(value);
                self.soft_before_token_after(end(value.span));
                self.write(" in ");
                self.soft(start(body.span));
                self.expr(body);
            }
            ExprKind::Fn { params, body } => {
                self.write("fn(");
                for (i, param) in params.iter().enumerate() {
                    if i > 0 {
                        self.soft_before_token_after(end(params[i - 1].span));
                        self.write(", ");
                    }
                    self.fn_param(param);
                }
                if let Some(param) = params.last() {
                    self.soft_before_token_after(end(param.span));
                }
                self.write(") => ");
                self.soft(start(body.span));
                self.expr(body);
            }
            ExprKind::ListComp { head, clauses } => {
                self.write("[");
                self.soft(start(head.span));
                self.expr(head);
                self.clauses(end(head.span), clauses);
                self.soft(last(e.span));
                self.write("]");
            }
            ExprKind::RecordComp(comp) => {
                let RecordComp {
                    key,
                    value,
                    clauses,
                } = &**comp;
                self.write("{ ");
                self.key(key);
                self.write(" = ");
                self.soft(start(value.span));
                self.expr(value);
                self.clauses(end(value.span), clauses);
                self.soft(last(e.span));
                self.write(" }");
            }
            ExprKind::Unary { op, operand } => {
                self.write(op.as_str());
                self.soft(start(operand.span));
                self.expr(operand);
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.expr(lhs);
                // A line may start with any binary operator but `-` (it would be a negation).
                if *op != BinaryOp::Sub {
                    self.soft_before_token_after(end(lhs.span));
                }
                self.write(" ");
                self.write(op.as_str());
                self.write(" ");
                self.soft(start(rhs.span));
                self.expr(rhs);
            }
            ExprKind::Paren(inner) => {
                self.write("(");
                self.soft(start(inner.span));
                self.expr(inner);
                self.soft(last(e.span));
                self.write(")");
            }
        }
    }

    fn arg(&mut self, arg: &Arg) {
        match &arg.name {
            Some(name) => {
                self.soft(start(name.span));
                self.write(&name.name);
                self.write(" = ");
                self.soft(start(arg.value.span));
            }
            None => self.soft(start(arg.value.span)),
        }
        self.expr(&arg.value);
    }

    fn fn_param(&mut self, param: &FnParam) {
        self.soft(start(param.span));
        self.write(&param.name.name);
        self.soft_before_token_after(end(param.name.span));
        self.write(": ");
        // Inside parentheses a line break never ends anything.
        self.soft_before_type(&param.ty, Then::Other);
        self.ty(&param.ty);
        if let Some(default) = &param.default {
            self.soft_before_token_after(end(param.ty.span));
            self.write(" = ");
            self.soft(start(default.span));
            self.expr(default);
        }
    }

    /// The `for` / `if` clauses of a comprehension whose head ends at `previous_end`.
    fn clauses(&mut self, mut previous_end: usize, clauses: &[CompClause]) {
        for clause in clauses {
            // `for`, `in` and a comprehension's `if` may start a line.
            self.soft_before_token_after(previous_end);
            match clause {
                CompClause::For { vars, iter, span } => {
                    self.write(" for ");
                    if let Some(var) = vars.first() {
                        self.soft(start(var.span));
                    }
                    self.idents(vars, ", ");
                    if let Some(var) = vars.last() {
                        self.soft_before_token_after(end(var.span));
                    }
                    self.write(" in ");
                    self.soft(start(iter.span));
                    self.expr(iter);
                    previous_end = end(*span);
                }
                CompClause::If { cond, span } => {
                    self.write(" if ");
                    self.soft(start(cond.span));
                    self.expr(cond);
                    previous_end = end(*span);
                }
            }
        }
    }

    /// Names joined by `separator` (`k, v`, or a dotted path `aws.Container`). A break may
    /// come before a `.` (it continues the line) or after a `,`.
    pub(crate) fn idents(&mut self, idents: &[Ident], separator: &str) {
        for (i, ident) in idents.iter().enumerate() {
            if i > 0 {
                if separator == "." {
                    self.soft(start(ident.span));
                    self.write(separator);
                } else {
                    self.write(separator);
                    self.soft(start(ident.span));
                }
            }
            self.write(&ident.name);
        }
    }

    pub(crate) fn record_field(&mut self, field: &RecordField) {
        // No break inside the key path: a line starting with `name =` is a new entry.
        for (i, key) in field.path.iter().enumerate() {
            if i > 0 {
                self.write(".");
            }
            self.key(key);
        }
        self.write(" = ");
        self.soft(start(field.value.span));
        self.expr(&field.value);
    }

    fn key(&mut self, key: &Key) {
        match key {
            Key::Ident(ident) => self.write(&ident.name),
            // Quoted keys stay quoted, escapes and interpolations as written.
            Key::Str(_, span) => self.verbatim(*span),
        }
    }
}
