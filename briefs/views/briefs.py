"""Brief pages: writing, versions and their differences, distribution and acknowledgement."""
