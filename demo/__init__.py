"""The demo studio behind `manage.py seed_demo`: a deterministic, realistic data
set with a login for each role, every date counted from the studio's today, built
through the product's own services (`demo.builder.demo_studio_seed`).

Nothing is imported here: Django loads this package with the app registry, before
the models the builder needs are ready."""
