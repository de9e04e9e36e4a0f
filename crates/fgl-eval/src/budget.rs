//! The evaluation budgets: steps (E0302) and nested calls (E0303). Together with the stack
//! growth in `eval`, they make every program end quickly with a value or a clear error.

use fgl_syntax::{codes, Diagnostic, Span};

use crate::eval::{Evaluator, Fail, R};

impl Evaluator<'_> {
    /// Spends `n` steps: one per expression evaluated, the size of every list or string built.
    /// Charged before the work, so nothing huge is ever allocated.
    #[inline]
    pub fn tick(&mut self, n: u64, span: Span) -> R<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.budget.max_steps {
            return Err(self.out_of_steps(span));
        }
        Ok(())
    }

    #[cold]
    fn out_of_steps(&mut self, span: Span) -> Fail {
        self.fatal = true;
        let max = self.budget.max_steps;
        let mut diag = Diagnostic::error(
            codes::STEP_BUDGET,
            span,
            format!("evaluation exceeded its budget of {} steps", thousands(max)),
        )
        .with_primary_message("still evaluating this when the budget ran out");
        if let Some(&outer) = self.calls.first() {
            if outer != span {
                diag = diag.with_label(outer, "in this call");
            }
        }
        self.fail(diag.with_help(
            "every expression evaluated costs a step, and building a list or string costs its \
                 size; look for recursion that calls itself more than once, or a huge `range`, \
                 comprehension or string",
        ))
    }

    /// Enters a function call made at `span`.
    pub fn enter_call(&mut self, span: Span) -> R<()> {
        if self.depth >= self.budget.max_depth {
            self.fatal = true;
            let max = self.budget.max_depth;
            return Err(self.fail(
                Diagnostic::error(
                    codes::DEPTH_BUDGET,
                    span,
                    format!(
                        "function calls nested more than {} levels deep",
                        thousands(max as u64)
                    ),
                )
                .with_primary_message(format!("this call would be level {}", max as u64 + 1))
                .with_help("this is usually recursion without a reachable base case"),
            ));
        }
        self.depth += 1;
        self.calls.push(span);
        Ok(())
    }

    pub fn leave_call(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.calls.pop();
    }
}

/// `10000000` → `10,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
