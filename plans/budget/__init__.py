"""The budget follow-up: full-time persons per benefit group against the budget (docs/budget.md)."""
