"""Chalice entry point: registers blueprints and middleware, nothing else.

Kept cheap to import: capability modules import their heavy dependencies lazily.
"""

from chalice import Chalice

from chalicelib.catalogue.api import catalogue
from chalicelib.core.health import health
from chalicelib.core.http import chalice_errors_as_problems
from chalicelib.inventory.api import inventory

app = Chalice(app_name="podium")
app.register_middleware(chalice_errors_as_problems, "http")
app.register_blueprint(health)
app.register_blueprint(catalogue)
app.register_blueprint(inventory)
