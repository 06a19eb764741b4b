"""Hours as people read them (`studio.hours`), where the schedules app writes them."""

from studio.hours import hours_text

__all__ = ["hours_text"]
