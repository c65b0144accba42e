"""The staff API's blueprint: every `/v1/admin/*` route of every capability is registered on
this one object (app.py registers it once)."""

from __future__ import annotations

from chalicelib.core.http import ApiBlueprint

admin = ApiBlueprint("chalicelib.admin.api")
