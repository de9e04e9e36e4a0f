//! Generic traversal of expressions: the direct children of a node, by reference or by value.
//! Used to bound the depth of a tree without recursion, and by later passes.

use crate::ast::{CompClause, Expr, ExprKind, StrPart};

/// Calls `f` on every direct child expression of `expr`, in source order.
pub fn for_each_child<'e>(expr: &'e Expr, f: &mut impl FnMut(&'e Expr)) {
    match &expr.kind {
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_)
        | ExprKind::Error => {}
        ExprKind::Str(lit) => {
            for part in &lit.parts {
                if let StrPart::Interp(e) = part {
                    f(e);
                }
            }
        }
        ExprKind::List(items) => items.iter().for_each(f),
        ExprKind::Record(fields) => fields.iter().for_each(|field| f(&field.value)),
        ExprKind::Field { base, .. } => f(base),
        ExprKind::Call { callee, args } => {
            f(callee);
            args.iter().for_each(|arg| f(&arg.value));
        }
        ExprKind::Instantiate { schema, fields, .. } => {
            f(schema);
            fields.iter().for_each(|field| f(&field.value));
        }
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            f(cond);
            f(then_branch);
            f(else_branch);
        }
        ExprKind::Let(l) => {
            f(&l.value);
            f(&l.body);
        }
        ExprKind::Fn { params, body } => {
            params
                .iter()
                .filter_map(|p| p.default.as_ref())
                .for_each(&mut *f);
            f(body);
        }
        ExprKind::ListComp { head, clauses } => {
            f(head);
            clause_children(clauses, f);
        }
        ExprKind::RecordComp(comp) => {
            f(&comp.value);
            clause_children(&comp.clauses, f);
        }
        ExprKind::Unary { operand, .. } => f(operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            f(lhs);
            f(rhs);
        }
        ExprKind::Paren(inner) => f(inner),
    }
}

fn clause_children<'e>(clauses: &'e [CompClause], f: &mut impl FnMut(&'e Expr)) {
    for clause in clauses {
        match clause {
            CompClause::For { iter, .. } => f(iter),
            CompClause::If { cond, .. } => f(cond),
        }
    }
}

/// Moves the direct child expressions of `expr` into `out`, dropping the node itself. Taking a
/// tree apart this way (with `out` as the work list) frees it without recursion.
pub fn into_children(expr: Expr, out: &mut Vec<Expr>) {
    match expr.kind {
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_)
        | ExprKind::Error => {}
        ExprKind::Str(lit) => {
            for part in lit.parts {
                if let StrPart::Interp(e) = part {
                    out.push(e);
                }
            }
        }
        ExprKind::List(items) => out.extend(items),
        ExprKind::Record(fields) => out.extend(fields.into_iter().map(|f| f.value)),
        ExprKind::Field { base, .. } => out.push(*base),
        ExprKind::Call { callee, args } => {
            out.push(*callee);
            out.extend(args.into_iter().map(|a| a.value));
        }
        ExprKind::Instantiate { schema, fields, .. } => {
            out.push(*schema);
            out.extend(fields.into_iter().map(|f| f.value));
        }
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => out.extend([*cond, *then_branch, *else_branch]),
        ExprKind::Let(l) => {
            let l = *l;
            out.extend([l.value, l.body]);
        }
        ExprKind::Fn { params, body } => {
            out.extend(params.into_iter().filter_map(|p| p.default));
            out.push(*body);
        }
        ExprKind::ListComp { head, clauses } => {
            out.push(*head);
            clauses_into(clauses, out);
        }
        ExprKind::RecordComp(comp) => {
            let comp = *comp;
            out.push(comp.value);
            clauses_into(comp.clauses, out);
        }
        ExprKind::Unary { operand, .. } => out.push(*operand),
        ExprKind::Binary { lhs, rhs, .. } => out.extend([*lhs, *rhs]),
        ExprKind::Paren(inner) => out.push(*inner),
    }
}

fn clauses_into(clauses: Vec<CompClause>, out: &mut Vec<Expr>) {
    for clause in clauses {
        match clause {
            CompClause::For { iter, .. } => out.push(iter),
            CompClause::If { cond, .. } => out.push(cond),
        }
    }
}

/// The depth of the deepest expression under `root` (a leaf is 1), and where it is, computed
/// without recursion. Stops early once `limit` is exceeded.
pub fn depth_beyond(root: &Expr, limit: usize) -> Option<crate::span::Span> {
    let mut stack: Vec<(&Expr, usize)> = vec![(root, 1)];
    while let Some((expr, depth)) = stack.pop() {
        if depth > limit {
            return Some(expr.span);
        }
        for_each_child(expr, &mut |child| stack.push((child, depth + 1)));
    }
    None
}

/// Frees a tree without recursion.
pub fn dismantle(root: Expr) {
    let mut work = vec![root];
    while let Some(expr) = work.pop() {
        into_children(expr, &mut work);
    }
}
