"""Pages of the briefs app: requests (intake) and briefs (writing, approval, distribution)."""
