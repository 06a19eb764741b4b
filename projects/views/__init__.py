"""Project pages (projects.py), deliverable pages (deliverables.py), the plan edited in place
(plan.py) and the timelines (timeline.py)."""
