"""Writes to projects: the project and its lifecycle (projects.py), its plan of phases,
deliverables and dependencies (plan.py), baselines (baselines.py), and a deliverable's
progress and review (review.py)."""
