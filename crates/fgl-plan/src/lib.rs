//! fgl-plan: the plan/apply engine (no AWS dependency).
