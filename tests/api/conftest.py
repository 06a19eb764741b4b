from collections import Counter

# Cases run by role, filled by test_schemathesis.py and said at the end of the run.
CASES_RUN: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    if CASES_RUN:
        total = sum(CASES_RUN.values())
        terminalreporter.write_line(f"schemathesis: {total} cases; by role {dict(CASES_RUN)}")
