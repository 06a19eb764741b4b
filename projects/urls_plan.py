"""Creating and editing projects, their phases, deliverables, dependencies and baselines."""

urlpatterns = []
