"""A project's timeline and the portfolio timeline."""

urlpatterns = []
